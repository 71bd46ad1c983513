// The CRD schema and CEL rules reject bad specs on a real API server, naming the field.
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster } from '../cluster/harness.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { kwokBgs } from '../../clusterkit/bgs.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import type { BlueGreenService } from '../../operator/src/api/types.ts';

let kube: TestKube;
const ns = `crd-${Date.now().toString(36)}`;

beforeAll(async () => {
  const cluster = await ensureCluster({ nodes: 'kwok' });
  await installCrds(cluster);
  kube = new TestKube(cluster.kubeconfig);
  await kube.createNamespace(ns);
  return () => kube.deleteNamespace(ns);
});

const metric = { name: 'errors', query: 'sum(rate(x[1m]))', max: 0.01 };
type Mutate = (b: BlueGreenService) => void;
const cases: [string, Mutate, string][] = [
  ['activeColor outside blue/green', (b) => void (b.spec.activeColor = 'purple' as never), 'spec.activeColor'],
  ['negative replicas', (b) => void (b.spec.replicas = -1), 'spec.replicas'],
  ['no containers', (b) => void (b.spec.template.spec!.containers = []), 'spec.template.spec.containers'],
  ['no service ports', (b) => void (b.spec.service.ports = []), 'spec.service.ports'],
  [
    'preview named like the active Service',
    (b) => void ((b.spec.service.name = 'x'), (b.spec.previewService = { name: 'x' })),
    'spec.previewService.name',
  ],
  [
    'reserved template label',
    (b) => void (b.spec.template.metadata!.labels!['bluegreen.dev/color'] = 'blue'),
    'spec.template.metadata.labels',
  ],
  [
    'analysis without prometheus',
    (b) => void (b.spec.analysis = { prePromotion: { metrics: [metric] } }),
    'spec.analysis',
  ],
  [
    'min above max',
    (b) =>
      void (b.spec.analysis = {
        prometheus: { address: 'http://p:9090' },
        prePromotion: { metrics: [{ ...metric, min: 2, max: 1 }] },
      }),
    'spec.analysis.prePromotion.metrics[0].min',
  ],
  [
    'metric without bounds',
    (b) =>
      void (b.spec.analysis = {
        prometheus: { address: 'http://p:9090' },
        postPromotion: { metrics: [{ name: 'm', query: 'up' }] },
      }),
    'spec.analysis.postPromotion.metrics[0]',
  ],
  [
    'duplicate metric names',
    (b) =>
      void (b.spec.analysis = {
        prometheus: { address: 'http://p:9090' },
        prePromotion: { metrics: [metric, metric] },
      }),
    'spec.analysis.prePromotion.metrics',
  ],
  [
    'count 0',
    (b) =>
      void (b.spec.analysis = {
        prometheus: { address: 'http://p:9090' },
        prePromotion: { count: 0, metrics: [metric] },
      }),
    'spec.analysis.prePromotion.count',
  ],
  [
    'prometheus address without scheme',
    (b) => void (b.spec.analysis = { prometheus: { address: 'prom:9090' } }),
    'spec.analysis.prometheus.address',
  ],
  ...canaryCases(),
  ...nameCases(),
];

/** Names the operator derives from metadata.name never collide and stay valid (issue 18 item 12). */
function nameCases(): [string, Mutate, string][] {
  return [
    [
      'the active Service named like a readiness Service',
      (b) => void (b.spec.service.name = `${b.metadata.name}-blue-endpoints`),
      'spec.service.name must not be <name>-blue-endpoints',
    ],
    [
      'the preview Service named like a readiness Service',
      (b) => void (b.spec.previewService = { name: `${b.metadata.name}-green-endpoints` }),
      'spec.previewService.name must not be <name>-blue-endpoints',
    ],
    [
      'the preview Service named like the defaulted active one',
      (b) => void (b.spec.previewService = { name: b.metadata.name! }),
      'spec.previewService.name must differ from the active Service',
    ],
    [
      'a name of 48 characters (its <name>-green-endpoints Service cannot exist)',
      (b) => void (b.metadata.name = `bad-${'n'.repeat(44)}`),
      'metadata.name must be a DNS-1035 label',
    ],
    ['a name that starts with a digit', (b) => void (b.metadata.name = `1bad-${b.metadata.name}`), 'metadata.name'],
  ];
}

/** spec.canary (docs/adr/0012): OpenAPI bounds and CEL rules, each naming its field. */
function canaryCases(): [string, Mutate, string][] {
  const steps = (...weights: number[]) => weights.map((setWeight) => ({ setWeight }));
  return [
    ['a canary weight of 0', (b) => void (b.spec.canary = { steps: steps(0) }), 'spec.canary.steps[0].setWeight'],
    [
      'a canary weight of 100',
      (b) => void (b.spec.canary = { steps: steps(10, 100) }),
      'spec.canary.steps[1].setWeight',
    ],
    ['canary weights decreasing', (b) => void (b.spec.canary = { steps: steps(50, 10) }), 'spec.canary.steps'],
    [
      'canary weights repeated',
      (b) => void (b.spec.canary = { steps: steps(10, 10) }),
      'setWeight must be strictly increasing',
    ],
    ['no canary steps', (b) => void (b.spec.canary = { steps: [] }), 'spec.canary.steps'],
    [
      'a negative canary pause',
      (b) => void (b.spec.canary = { steps: [{ setWeight: 10, pause: { seconds: -1 } }] }),
      'spec.canary.steps[0].pause.seconds',
    ],
    [
      'a canary step analysis without prometheus',
      (b) => void (b.spec.canary = { steps: [{ setWeight: 10, analysis: { metrics: [metric] } }] }),
      'spec.analysis.prometheus is required when a spec.canary.steps[*].analysis is set',
    ],
    [
      'a canary with replicas 0',
      (b) => void ((b.spec.replicas = 0), (b.spec.canary = { steps: steps(10) })),
      'spec.replicas must be at least 1 when spec.canary is set',
    ],
    [
      'a gatewayAPI canary without a route name',
      (b) => void (b.spec.canary = { steps: steps(10), trafficRouting: { gatewayAPI: {} as never } }),
      'spec.canary.trafficRouting.gatewayAPI.httpRoute',
    ],
    [
      'a gatewayAPI canary route name that is no object name',
      (b) => void (b.spec.canary = { steps: steps(10), trafficRouting: { gatewayAPI: { httpRoute: 'Orders_Route' } } }),
      'spec.canary.trafficRouting.gatewayAPI.httpRoute',
    ],
    [
      'a gatewayAPI canary with the preview Service disabled',
      (b) =>
        void (
          (b.spec.previewService = { enabled: false }),
          (b.spec.canary = { steps: steps(10), trafficRouting: { gatewayAPI: { httpRoute: 'orders' } } })
        ),
      'spec.previewService.enabled must not be false when spec.canary.trafficRouting.gatewayAPI is set',
    ],
  ];
}

describe('Given the BlueGreenService CRD on a real API server', () => {
  it.each(cases)('When a spec has %s, Then it is rejected naming %s', async (_name, mutate, field) => {
    const b = kwokBgs(ns, `bad-${Math.random().toString(36).slice(2, 8)}`, 'img:1');
    mutate(b);
    const err = await kube.createBgs(b).then(
      () => undefined,
      (e: unknown) => e as Error,
    );
    expect(err, 'the API server accepted an invalid spec').toBeInstanceOf(Error);
    expect(err!.message).toContain(field);
  });

  it('When a spec is valid, Then it is accepted with defaults filled in', async () => {
    const created = await kube.createBgs(kwokBgs(ns, 'good', 'img:1', { replicas: undefined }));
    expect(created.spec).toMatchObject({ replicas: 1, scaleDownDelaySeconds: 30, progressDeadlineSeconds: 600 });
  });

  it('When a spec has valid canary steps, Then they are accepted as written (pause {} kept)', async () => {
    const canary = {
      steps: [
        { setWeight: 10, pause: { seconds: 30 } },
        { setWeight: 50, pause: {} },
      ],
    };
    const created = await kube.createBgs(kwokBgs(ns, 'canary-good', 'img:1', { replicas: 10, canary }));
    expect(created.spec.canary).toEqual(canary);
  });
});
