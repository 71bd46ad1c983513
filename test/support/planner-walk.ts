// Walks the real planner through whole releases on the planner's own fixtures
// (operator/src/planner/fixtures.ts): each step plans, applies the plan's actions to a small
// world model (Deployments become ready as the scenario says, Services follow their selectors),
// feeds back the status and any measurements asked for, and advances the clock to the requeue.
// Every status the planner produced on the way is returned, so a test can hold them all against
// the CRD's status schema.
import type { Measurement, MeasurementPhase } from '../../operator/src/analysis/types.ts';
import { LABELS, type Color } from '../../operator/src/api/constants.ts';
import type { BlueGreenServiceSpec, BlueGreenServiceStatus } from '../../operator/src/api/types.ts';
import { bgs, iso, observed, T0, template, type World } from '../../operator/src/planner/fixtures.ts';
import { plan } from '../../operator/src/planner/plan.ts';
import type { Action, Observed, Plan } from '../../operator/src/planner/types.ts';

export interface Scenario {
  name: string;
  /** Spec at each step (called with the step number and the last status); defaults to v1. */
  spec: (step: number, status: BlueGreenServiceStatus) => Partial<BlueGreenServiceSpec>;
  /** Ready pods of a freshly applied colour running image; defaults to all of them. */
  ready?: (image: string, replicas: number) => number;
  /** Verdict of every measurement taken in this stage; defaults to Successful. */
  verdict?: (stage: 'PrePromotion' | 'Canary' | 'PostPromotion') => MeasurementPhase;
  /** Extra world changes before planning (e.g. a Service owned by someone else). */
  world?: (w: World) => World;
  steps?: number;
}

function colorOf(selector: Record<string, string> | undefined): Color | undefined {
  const c = selector?.[LABELS.color];
  return c === 'blue' || c === 'green' ? c : undefined;
}

function apply(w: World, a: Action, s: Scenario): World {
  switch (a.kind) {
    case 'applyDeployment': {
      const image = a.object.spec?.template.spec?.containers[0]?.image ?? '';
      const replicas = a.object.spec?.replicas ?? 0;
      return { ...w, [a.color]: { image, replicas, ready: s.ready?.(image, replicas) ?? replicas } };
    }
    case 'scaleDeployment': {
      const prev = w[a.color];
      return prev
        ? {
            ...w,
            // A scaled colour becomes ready as a freshly applied one does (canary steps scale up).
            [a.color]: { ...prev, replicas: a.replicas, ready: s.ready?.(prev.image, a.replicas) ?? a.replicas },
          }
        : w;
    }
    case 'adoptDeployment':
      return w;
    case 'applyService':
    case 'patchServiceSelector': {
      if (a.role === 'color') return w;
      const selector = a.kind === 'applyService' ? a.object.spec?.selector : a.selector;
      const color = colorOf(selector);
      if (a.role === 'preview') return { ...w, preview: color };
      // A canary step: the selector keeps our service key and drops the colour key.
      const both = color === undefined && selector?.[LABELS.service] !== undefined;
      return { ...w, active: both ? 'both' : color, activeService: undefined };
    }
    case 'keepTemplate':
    case 'dropTemplate':
      return w; // kept template copies are not part of the walked world
    case 'setRouteWeights':
      return { ...w, route: a.canaryWeight };
  }
}

function measured(p: Plan, now: number, s: Scenario): Observed['measurements'] {
  if (!p.measure) return undefined;
  const phase = s.verdict?.(p.measure.stage) ?? 'Successful';
  const measurements: Measurement[] = p.measure.metrics.map((m) => ({
    metric: m.name,
    phase,
    at: iso(now),
    ...(phase === 'Inconclusive' ? { message: 'no data' } : { value: phase === 'Successful' ? 0 : 0.5 }),
  }));
  return { stage: p.measure.stage, color: p.measure.color, revision: p.measure.revision, measurements };
}

/** Every status the planner writes while the scenario runs, in order. */
export function walk(s: Scenario): BlueGreenServiceStatus[] {
  let world: World = {};
  let status: BlueGreenServiceStatus = {};
  let now = T0;
  let measurements: Observed['measurements'];
  const seen: BlueGreenServiceStatus[] = [];
  for (let step = 0; step < (s.steps ?? 40); step++) {
    const b = bgs(s.spec(step, status), Object.keys(status).length > 0 ? status : undefined);
    const w = s.world ? s.world({ ...world, now }) : { ...world, now };
    const obs = observed(b, w);
    const p = plan(measurements ? { ...obs, measurements } : obs);
    seen.push(p.status);
    status = p.status;
    for (const a of p.waves.flat()) world = apply(world, a, s);
    measurements = measured(p, now, s);
    now += Math.max(1_000, p.requeueAfterMs ?? 5_000);
  }
  return seen;
}

const metric = { name: 'error-rate', query: 'sum(rate(x{color="{{color}}",rev="{{revision}}"}[1m]))', max: 0.01 };
const analysis = {
  prometheus: { address: 'http://prometheus:9090' },
  prePromotion: { intervalSeconds: 10, count: 2, metrics: [metric] },
  postPromotion: { intervalSeconds: 10, count: 2, metrics: [metric] },
};
const canary = {
  steps: [
    { setWeight: 10, pause: { seconds: 5 } },
    { setWeight: 50, analysis: { intervalSeconds: 10, count: 1, metrics: [metric] } },
  ],
};
/** Exact weights on the HTTPRoute `orders` (docs/adr/0017); the walked world starts it at 0 %. */
const routed = { trafficRouting: { gatewayAPI: { httpRoute: 'orders' } } };
/** v1 for the first steps, then v2: a first deploy followed by a release. */
const v1ThenV2 = (step: number) => ({ template: template(step < 6 ? 'orders:v1' : 'orders:v2') });

/** Releases that reach every phase, condition and status field the planner writes. */
export const scenarios: Scenario[] = [
  {
    name: 'manual promotion, then manual rollback',
    spec: (step) => ({
      ...v1ThenV2(step),
      scaleDownDelaySeconds: 5,
      ...(step >= 12 ? { activeColor: step >= 20 ? 'blue' : 'green' } : {}),
    }),
  },
  {
    name: 'auto promotion after pre- and post-promotion analysis pass',
    spec: (step) => ({ ...v1ThenV2(step), promotion: { auto: true, delaySeconds: 5 }, analysis }),
  },
  {
    name: 'pre-promotion analysis fails',
    spec: (step) => ({ ...v1ThenV2(step), promotion: { auto: true }, analysis }),
    verdict: () => 'Failed',
  },
  {
    name: 'pre-promotion analysis is inconclusive',
    spec: (step) => ({ ...v1ThenV2(step), promotion: { auto: true }, analysis }),
    verdict: () => 'Inconclusive',
  },
  {
    name: 'post-promotion analysis fails and the operator switches back',
    spec: (step) => ({ ...v1ThenV2(step), promotion: { auto: true }, analysis }),
    verdict: (stage) => (stage === 'PostPromotion' ? 'Failed' : 'Successful'),
  },
  {
    name: 'canary steps, each analysed, then auto promotion',
    spec: (step) => ({ ...v1ThenV2(step), promotion: { auto: true }, analysis, canary }),
    steps: 60,
  },
  {
    name: 'a canary step analysis fails and the canary is aborted',
    spec: (step) => ({ ...v1ThenV2(step), promotion: { auto: true }, analysis, canary }),
    verdict: (stage) => (stage === 'Canary' ? 'Failed' : 'Successful'),
  },
  {
    name: 'canary steps through an HTTPRoute, each analysed, then auto promotion',
    spec: (step) => ({ ...v1ThenV2(step), promotion: { auto: true }, analysis, canary: { ...canary, ...routed } }),
    world: (w) => ({ ...w, route: w.route ?? 0 }),
    steps: 60,
  },
  {
    name: 'a canary step analysis fails through an HTTPRoute and the weight goes back to 0',
    spec: (step) => ({ ...v1ThenV2(step), promotion: { auto: true }, analysis, canary: { ...canary, ...routed } }),
    world: (w) => ({ ...w, route: w.route ?? 0 }),
    verdict: (stage) => (stage === 'Canary' ? 'Failed' : 'Successful'),
  },
  {
    name: 'a canary paused until promoted, then promoted by hand',
    spec: (step) => ({
      ...v1ThenV2(step),
      canary: { steps: [{ setWeight: 25, pause: {} }] },
      ...(step >= 20 ? { activeColor: 'green' } : {}),
    }),
  },
  {
    name: 'the new colour never becomes ready (progress deadline)',
    spec: (step) => ({ ...v1ThenV2(step), progressDeadlineSeconds: 30 }),
    ready: (image, replicas) => (image === 'orders:v2' ? replicas - 1 : replicas),
  },
  {
    name: 'an invalid spec after a healthy start',
    spec: (step) => ({
      ...v1ThenV2(step),
      ...(step >= 8 ? { analysis: { prometheus: analysis.prometheus, prePromotion: { metrics: [] } } } : {}),
    }),
  },
  {
    name: 'the active Service is controlled by someone else',
    spec: () => ({ template: template('orders:v1') }),
    world: (w) => ({
      ...w,
      activeService: {
        metadata: {
          name: 'orders',
          ownerReferences: [{ apiVersion: 'v1', kind: 'Other', name: 'x', uid: 'x', controller: true }],
        },
        spec: { selector: { app: 'orders' } },
      },
    }),
  },
];
