import { describe, expect, it } from 'vitest';
import type { BlueGreenServiceSpec, BlueGreenServiceStatus } from '../api/types.ts';
import type { V1PodTemplateSpec as Template } from '@kubernetes/client-node';
import { desiredActiveService } from './desired.ts';
import { bgs, iso, observed, rev, T0, type World } from './fixtures.ts';
import { plan } from './plan.ts';
import type { Action, Plan } from './types.ts';

/** One short line per action, so tables read like a story. */
function describeAction(a: Action): string {
  switch (a.kind) {
    case 'applyDeployment':
      return `apply ${a.color} x${a.object.spec!.replicas} ${a.object.spec!.template.spec!.containers[0]!.image}`;
    case 'scaleDeployment':
      return `scale ${a.color} x${a.replicas}`;
    case 'adoptDeployment':
      return `adopt ${a.color}`;
    case 'keepTemplate':
      return `keep ${(a.object.data as { template: Template }).template.spec!.containers[0]!.image}`;
    case 'dropTemplate':
      return `drop ${a.name}`;
    case 'applyService':
    case 'patchServiceSelector':
      return a.role === 'color'
        ? `color service`
        : `${a.role} -> ${a.kind === 'applyService' ? a.object.spec!.selector!['bluegreen.dev/color'] : a.selector['bluegreen.dev/color']}`;
    case 'setRouteWeights':
      return `route ${a.name} ${a.canaryWeight}%`;
  }
}
/**
 * The plan's writes in order: one entry per wave, the writes of a wave (which run
 * concurrently, so their order means nothing) sorted and joined with " & ".
 */
const summary = (p: Plan) => p.waves.map((wave) => wave.map(describeAction).sort().join(' & '));

const V1 = 'orders:v1';
const V2 = 'orders:v2';
const steadyBlue: BlueGreenServiceStatus = {
  activeColor: 'blue',
  lastSwitchTime: iso(T0 - 3_600_000),
  lastSwitchReason: 'InitialDeploy',
};
interface Row {
  name: string;
  spec?: Partial<BlueGreenServiceSpec>;
  status?: BlueGreenServiceStatus;
  world: World;
  actions: string[];
  phase: string;
  switched?: string;
}

describe('plan: transitions', () => {
  const rows: Row[] = [
    {
      name: 'first deploy creates blue only',
      world: {},
      actions: ['keep orders:v1', 'apply blue x3 orders:v1'],
      phase: 'Progressing',
    },
    {
      name: 'first deploy waits for every endpoint before creating the active Service',
      world: { blue: { image: V1, replicas: 3, ready: 2 } },
      actions: [],
      phase: 'Progressing',
    },
    {
      name: 'first deploy switches once blue is fully ready',
      world: { blue: { image: V1, replicas: 3 } },
      actions: ['active -> blue', 'preview -> blue'],
      phase: 'Healthy',
      switched: 'InitialDeploy',
    },
    {
      name: 'steady state writes nothing',
      status: steadyBlue,
      world: { blue: { image: V1, replicas: 3 }, active: 'blue', preview: 'blue' },
      actions: [],
      phase: 'Healthy',
    },
    {
      name: 'new template goes to the idle colour at previewReplicas; blue untouched',
      spec: {
        template: bgs({}).spec.template && {
          ...bgs().spec.template,
          spec: { containers: [{ name: 'app', image: V2 }] },
        },
        previewReplicas: 1,
      },
      status: steadyBlue,
      world: { blue: { image: V1, replicas: 3 }, active: 'blue', preview: 'blue' },
      actions: ['keep orders:v2', 'apply green x1 orders:v2'],
      phase: 'Progressing',
    },
  ];
  it.each(rows)('$name', (row) => {
    const b = bgs(row.spec, row.status);
    const p = plan(observed(b, row.world));
    expect(summary(p)).toEqual(row.actions);
    expect(p.status.phase).toBe(row.phase);
    expect(p.switched?.reason).toBe(row.switched);
  });
});

/** A release of v2 while blue serves v1; green state varies per row. */
describe('plan: releases', () => {
  const v2 = {
    template: { metadata: { labels: { app: 'orders' } }, spec: { containers: [{ name: 'app', image: V2 }] } },
  };
  const release = { revision: rev(V2), color: 'green' as const, startedAt: iso(T0 - 60_000) };
  const readyRelease = { ...release, readyAt: iso(T0 - 30_000) };
  const rows: Row[] = [
    {
      name: 'preview ready, manual promotion: waits, preview Service points at green',
      spec: { ...v2, previewReplicas: 1 },
      status: { ...steadyBlue, release },
      world: { blue: { image: V1, replicas: 3 }, green: { image: V2, replicas: 1 }, active: 'blue', preview: 'blue' },
      actions: ['preview -> green'],
      phase: 'AwaitingPromotion',
    },
    {
      name: 'manual promotion by kubectl edit of activeColor scales green first',
      spec: { ...v2, previewReplicas: 1, activeColor: 'green' },
      status: { ...steadyBlue, release: readyRelease },
      world: { blue: { image: V1, replicas: 3 }, green: { image: V2, replicas: 1 }, active: 'blue', preview: 'green' },
      actions: ['scale green x3'],
      phase: 'Promoting',
    },
    {
      name: 'manual promotion switches once green has every endpoint ready',
      spec: { ...v2, activeColor: 'green' },
      status: { ...steadyBlue, release: readyRelease },
      world: { blue: { image: V1, replicas: 3 }, green: { image: V2, replicas: 3 }, active: 'blue', preview: 'green' },
      actions: ['active -> green'],
      phase: 'Healthy',
      switched: 'ManualPromotion',
    },
    {
      name: 'never switches to a colour whose endpoints lag its Deployment',
      spec: { ...v2, activeColor: 'green' },
      status: { ...steadyBlue, release: readyRelease },
      world: {
        blue: { image: V1, replicas: 3 },
        green: { image: V2, replicas: 3, ready: 2 },
        active: 'blue',
        preview: 'green',
      },
      actions: [],
      phase: 'Promoting',
    },
    {
      name: 'auto promotion without analysis switches at once',
      spec: { ...v2, promotion: { auto: true } },
      status: { ...steadyBlue, release },
      world: { blue: { image: V1, replicas: 3 }, green: { image: V2, replicas: 3 }, active: 'blue', preview: 'blue' },
      actions: ['active -> green', 'preview -> green'],
      phase: 'Healthy',
      switched: 'AutoPromotion',
    },
    {
      name: 'auto promotion waits for promotion.delaySeconds',
      spec: { ...v2, promotion: { auto: true, delaySeconds: 60 } },
      status: { ...steadyBlue, release: readyRelease },
      world: { blue: { image: V1, replicas: 3 }, green: { image: V2, replicas: 3 }, active: 'blue', preview: 'green' },
      actions: [],
      phase: 'AwaitingPromotion',
    },
    {
      name: 'progress deadline exceeded while the preview never gets ready',
      spec: { ...v2, progressDeadlineSeconds: 30 },
      status: { ...steadyBlue, release },
      world: {
        blue: { image: V1, replicas: 3 },
        green: { image: V2, replicas: 3, ready: 0 },
        active: 'blue',
        preview: 'blue',
      },
      actions: [],
      phase: 'Degraded',
    },
    {
      name: 'template changed mid-release: green re-deployed with the newest revision',
      spec: {
        template: {
          metadata: { labels: { app: 'orders' } },
          spec: { containers: [{ name: 'app', image: 'orders:v3' }] },
        },
      },
      status: { ...steadyBlue, release: readyRelease },
      world: { blue: { image: V1, replicas: 3 }, green: { image: V2, replicas: 3 }, active: 'blue', preview: 'green' },
      actions: ['keep orders:v3', 'apply green x3 orders:v3', `drop orders-template-${rev(V2)}`],
      phase: 'Progressing',
    },
    {
      name: 'HPA raised replicas mid-release: live blue follows, preview keeps previewReplicas',
      spec: { ...v2, replicas: 5, previewReplicas: 1 },
      status: { ...steadyBlue, release },
      world: { blue: { image: V1, replicas: 3 }, green: { image: V2, replicas: 1 }, active: 'blue', preview: 'green' },
      actions: ['scale blue x5'],
      phase: 'AwaitingPromotion',
    },
  ];
  it.each(rows)('$name', (row) => {
    const p = plan(observed(bgs(row.spec, row.status), row.world));
    expect(summary(p)).toEqual(row.actions);
    expect(p.status.phase).toBe(row.phase);
    expect(p.switched?.reason).toBe(row.switched);
  });

  it('an HPA change reaches the preview at promotion, not the old colour', () => {
    const b = bgs(
      { ...v2, replicas: 5, previewReplicas: 1, activeColor: 'green' },
      { ...steadyBlue, release: readyRelease },
    );
    const p = plan(
      observed(b, {
        blue: { image: V1, replicas: 3 },
        green: { image: V2, replicas: 1 },
        active: 'blue',
        preview: 'green',
      }),
    );
    expect(summary(p)).toEqual(['scale green x5']);
  });
});

describe('plan: drift', () => {
  it('Given spec.service.ports changed, Then the active Service is re-applied with the same selector', () => {
    const b = bgs({ service: { ports: [{ port: 8080 }] } }, steadyBlue);
    const before = desiredActiveService(bgs(), 'blue');
    const p = plan(observed(b, { blue: { image: V1, replicas: 3 }, activeService: before, preview: 'blue' }));
    const applied = p.waves.flat().find((a) => a.kind === 'applyService' && a.role === 'active');
    expect(applied && applied.kind === 'applyService' && applied.object.spec?.ports?.[0]?.port).toBe(8080);
    expect(p.switched).toBeUndefined();
  });
});
