// The operator repeats the CRD's canary rules (objects stored before them, API servers without
// CEL): each problem names its field, and an invalid spec changes nothing (plan.ts).
import { describe, expect, it } from 'vitest';
import { bgs } from '../planner/fixtures.ts';
import type { BlueGreenServiceSpec } from './types.ts';
import { validateSpec } from './validate.ts';

const metric = { name: 'errors', query: 'x{color="{{color}}"}', max: 0.01 };
const fields = (spec: Partial<BlueGreenServiceSpec>) => validateSpec(bgs(spec)).map((e) => e.field);

describe('validateSpec: spec.canary', () => {
  it.each<[string, Partial<BlueGreenServiceSpec>, string[]]>([
    ['valid steps', { canary: { steps: [{ setWeight: 10, pause: {} }, { setWeight: 50 }] } }, []],
    ['no steps', { canary: { steps: [] } }, ['spec.canary.steps']],
    ['weight 0', { canary: { steps: [{ setWeight: 0 }] } }, ['spec.canary.steps[0].setWeight']],
    ['weight 100', { canary: { steps: [{ setWeight: 100 }] } }, ['spec.canary.steps[0].setWeight']],
    ['weight 12.5', { canary: { steps: [{ setWeight: 12.5 }] } }, ['spec.canary.steps[0].setWeight']],
    [
      'weights not increasing',
      { canary: { steps: [{ setWeight: 50 }, { setWeight: 50 }, { setWeight: 20 }] } },
      ['spec.canary.steps[1].setWeight', 'spec.canary.steps[2].setWeight'],
    ],
    [
      'negative pause',
      { canary: { steps: [{ setWeight: 10, pause: { seconds: -5 } }] } },
      ['spec.canary.steps[0].pause.seconds'],
    ],
    [
      'step analysis without prometheus',
      { canary: { steps: [{ setWeight: 10, analysis: { metrics: [metric] } }] } },
      ['spec.analysis.prometheus.address'],
    ],
    [
      'step analysis with an unknown query variable',
      {
        analysis: { prometheus: { address: 'http://p:9090' } },
        canary: { steps: [{ setWeight: 10, analysis: { metrics: [{ ...metric, query: 'x{a="{{nope}}"}' }] } }] },
      },
      ['spec.canary.steps[0].analysis.metrics[0].query'],
    ],
    ['replicas 0', { replicas: 0, canary: { steps: [{ setWeight: 10 }] } }, ['spec.replicas']],
    [
      'gatewayAPI with a route name',
      { canary: { steps: [{ setWeight: 10 }], trafficRouting: { gatewayAPI: { httpRoute: 'orders' } } } },
      [],
    ],
    [
      'trafficRouting without gatewayAPI',
      { canary: { steps: [{ setWeight: 10 }], trafficRouting: {} } },
      ['spec.canary.trafficRouting.gatewayAPI.httpRoute'],
    ],
    [
      'a route name that is no object name',
      { canary: { steps: [{ setWeight: 10 }], trafficRouting: { gatewayAPI: { httpRoute: 'Orders_Route' } } } },
      ['spec.canary.trafficRouting.gatewayAPI.httpRoute'],
    ],
    [
      'gatewayAPI with the preview Service disabled (it is the canary backendRef)',
      {
        previewService: { enabled: false },
        canary: { steps: [{ setWeight: 10 }], trafficRouting: { gatewayAPI: { httpRoute: 'orders' } } },
      },
      ['spec.previewService.enabled'],
    ],
  ])('%s', (_name, spec, expected) => {
    expect(fields(spec)).toEqual(expected);
  });
});
