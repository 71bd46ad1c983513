// Canary steps, one row per decision, run once per traffic router (docs/adr/0024): the rules of
// the release do not depend on how a share reaches the canary. Blue serves v1 (3 pods); the
// release v2 goes to green; the rows vary green's pods, what carries the share (the active
// Service on both colours, or the HTTPRoute's weight on the preview Service) and status.canary.
// Order is asserted where it is the safety property: a share goes on last, and a take-back comes
// first in its pass. Each router's own rules stay in its own file: canary.test.ts
// (replica-weighted, ADR 0012), canary-gateway.test.ts (HTTPRoute weights, ADR 0017).
import { describe, expect, it } from 'vitest';
import type { BlueGreenServiceSpec, BlueGreenServiceStatus, CanaryStatus } from '../api/types.ts';
import { desiredActiveService } from './desired.ts';
import {
  bgs,
  iso,
  observed,
  rev,
  summary,
  T0,
  template,
  type World,
  measuringCanary,
  runningCanaryRun,
} from './fixtures.ts';
import { plan } from './plan.ts';

const V1 = 'orders:v1';
const V2 = 'orders:v2';
const metric = { name: 'errors', query: 'x{color="{{color}}"}', max: 0.01 };
const steps: NonNullable<BlueGreenServiceSpec['canary']>['steps'] = [
  { setWeight: 10, pause: { seconds: 60 } },
  { setWeight: 50, analysis: { intervalSeconds: 10, count: 1, metrics: [metric] } },
];

/** What differs between routers, for 3 stable pods and steps of 10 % and 50 %. */
interface RouterKit {
  router: string;
  canary: BlueGreenServiceSpec['canary'];
  /** The canary's pods at 10 % and at 50 %. */
  pods: readonly [number, number];
  /** The world's traffic objects while the canary receives `weight` percent (0: none). */
  carrying(weight: number): Pick<World, 'active' | 'route'>;
  /** The world's traffic objects once the abort's writes are seen (the share taken back). */
  withdrawn: Pick<World, 'route'>;
  /** The waves that put step 1's share on the canary (10 %), or raise it to step 2's (50 %). */
  putOn: (weight: number) => string[];
  /** The waves that take the share back: an abort records its revision on the active Service too. */
  takeBack: (aborted: boolean) => string[];
  /** status.canary.achievedShare while the canary carries step 1's / step 2's share. */
  achieved: readonly [number, number];
  /** Fields every canary record of this router has. */
  record: Partial<CanaryStatus>;
  /** The abort is a switch of the active Service (with an Event), not only a route write. */
  abortSwitches: boolean;
}

const kits: RouterKit[] = [
  {
    router: 'replica-weighted Service selector',
    canary: { steps },
    pods: [1, 3],
    carrying: (w) => ({ active: w > 0 ? 'both' : 'blue' }),
    withdrawn: {},
    // The Service already selects both colours at step 2: the share grows with the pods.
    putOn: (w) => (w === 10 ? ['active -> both'] : []),
    takeBack: (aborted) => [`active -> blue${aborted ? ' (aborted)' : ''}`],
    achieved: [25, 50],
    record: {},
    abortSwitches: true,
  },
  {
    router: 'HTTPRoute weights',
    canary: { steps, trafficRouting: { gatewayAPI: { httpRoute: 'orders' } } },
    pods: [1, 2],
    carrying: (w) => ({ active: 'blue', route: w }),
    withdrawn: { route: 0 },
    putOn: (w) => [`route ${w}%`],
    // The route's 0 comes first; the aborted revision then goes onto the active Service (its selector unchanged).
    takeBack: (aborted) => (aborted ? ['route 0%', 'active -> blue (aborted)'] : ['route 0%']),
    achieved: [10, 50],
    record: { httpRoute: 'orders' },
    abortSwitches: false,
  },
];

const release = { revision: rev(V2), color: 'green' as const, startedAt: iso(T0 - 120_000), readyAt: iso(T0 - 90_000) };
const stable: BlueGreenServiceStatus = {
  activeColor: 'blue',
  lastSwitchTime: iso(T0 - 3_600_000),
  lastSwitchReason: 'InitialDeploy',
  release,
};
const blue = { image: V1, replicas: 3 };
const green = (replicas: number, ready = replicas) => ({ image: V2, replicas, ready });

interface Row {
  name: string;
  spec?: Partial<BlueGreenServiceSpec>;
  status: BlueGreenServiceStatus;
  world: World;
  waves: string[];
  phase: string;
  step?: number;
  share?: number;
}

describe.each(kits)('canary steps through the $router', (kit) => {
  const v2 = { template: template(V2), canary: kit.canary, analysis: { prometheus: { address: 'http://prom:9090' } } };
  const at = (index: number, canaryReplicas: number, reachedMs?: number): CanaryStatus => ({
    revision: rev(V2),
    color: 'green',
    currentStepIndex: index,
    weight: index === 0 ? 10 : 50,
    canaryReplicas,
    stableReplicas: 3,
    achievedShare: 0,
    ...kit.record,
    ...(reachedMs !== undefined ? { stepReachedAt: iso(reachedMs) } : {}),
  });
  const [step1, step2] = kit.pods;
  const rows: Row[] = [
    {
      name: 'the preview is ready: step 1 scales green to the pods of 10 %, no share yet',
      status: stable,
      world: { blue, green: green(3), preview: 'green', ...kit.carrying(0) },
      waves: [`scale green x${step1}`],
      phase: 'Progressing',
      step: 0,
      share: 0,
    },
    {
      name: "green runs exactly step 1's pods, all listed ready, next to blue's 3: the share goes on, last",
      status: { ...stable, canary: at(0, step1) },
      world: { blue, green: green(step1), preview: 'green', ...kit.carrying(0) },
      waves: kit.putOn(10),
      phase: 'Progressing',
      step: 0,
      share: kit.achieved[0],
    },
    {
      name: 'a terminating green pod is still listed ready (2 for 1): no share yet',
      status: { ...stable, canary: at(0, step1) },
      world: { blue, green: green(step1, step1 + 1), preview: 'green', ...kit.carrying(0) },
      waves: [],
      phase: 'Progressing',
      step: 0,
    },
    {
      name: 'the stable colour is short of a ready pod: no share yet',
      status: { ...stable, canary: at(0, step1) },
      world: { blue: { ...blue, ready: 2 }, green: green(step1), preview: 'green', ...kit.carrying(0) },
      waves: [],
      phase: 'Progressing',
      step: 0,
    },
    {
      name: 'step 1 reached and pausing: nothing is written',
      status: { ...stable, canary: at(0, step1, T0 - 30_000) },
      world: { blue, green: green(step1), preview: 'green', ...kit.carrying(10) },
      waves: [],
      phase: 'Progressing',
      step: 0,
      share: kit.achieved[0],
    },
    {
      name: 'the pause is over: the step completes, the next is scaled for on the next pass',
      status: { ...stable, canary: at(0, step1, T0 - 60_000) },
      world: { blue, green: green(step1), preview: 'green', ...kit.carrying(10) },
      waves: [],
      phase: 'Progressing',
      step: 1,
    },
    {
      name: "step 2 scales green to its pods while step 1's share holds",
      status: { ...stable, canary: at(1, step1) },
      world: { blue, green: green(step1), preview: 'green', ...kit.carrying(10) },
      waves: [`scale green x${step2}`],
      phase: 'Progressing',
      step: 1,
      share: kit.achieved[0],
    },
    {
      name: "step 2 with its pods exactly ready: step 2's share goes on",
      status: { ...stable, canary: at(1, step2) },
      world: { blue, green: green(step2), preview: 'green', ...kit.carrying(10) },
      waves: kit.putOn(50),
      phase: 'Progressing',
      step: 1,
      share: kit.achieved[1],
    },
    {
      name: 'every step completed, manual promotion: the last share holds',
      status: { ...stable, canary: at(2, step2, T0 - 1_000) },
      world: { blue, green: green(step2), preview: 'green', ...kit.carrying(50) },
      waves: [],
      phase: 'AwaitingPromotion',
      step: 2,
      share: kit.achieved[1],
    },
    {
      name: 'every step completed, auto promotion: green scaled to full size first, the last share holds',
      spec: { replicas: 4, promotion: { auto: true } },
      status: { ...stable, canary: at(2, step2, T0 - 1_000) },
      world: { blue: { image: V1, replicas: 4 }, green: green(step2), preview: 'green', ...kit.carrying(50) },
      waves: ['scale green x4'],
      phase: 'Promoting',
      step: 2,
    },
    {
      name: 'every step completed, green at full size: the active Service switches to green (a route is not written in that pass)',
      spec: { promotion: { auto: true } },
      status: { ...stable, canary: at(2, step2, T0 - 1_000) },
      world: { blue, green: green(3), preview: 'green', ...kit.carrying(50) },
      waves: ['active -> green'],
      phase: 'Healthy',
    },
    {
      name: "promoted by hand at step 1: green scaled to full size, step 1's share holds",
      spec: { activeColor: 'green' },
      status: { ...stable, canary: at(0, step1, T0 - 1_000) },
      world: { blue, green: green(step1), preview: 'green', ...kit.carrying(10) },
      waves: ['scale green x3'],
      phase: 'Promoting',
      step: 0,
    },
    {
      name: 'spec.activeColor pinned to the stable colour before the canary starts: no canary, a preview as without steps',
      spec: { activeColor: 'blue' },
      status: stable,
      world: { blue, green: green(3), preview: 'green', ...kit.carrying(0) },
      waves: [],
      phase: 'AwaitingPromotion',
    },
    {
      name: 'a lost status (a crash after the share went on): the canary resumes at step 1, nothing written',
      status: { ...stable, release: undefined },
      world: { blue, green: green(step1), preview: 'green', ...kit.carrying(10) },
      waves: [],
      phase: 'Progressing',
      step: 0,
    },
  ];
  it.each(rows)('$name', (row) => {
    const p = plan(observed(bgs({ ...v2, ...row.spec }, row.status), row.world));
    expect(summary(p)).toEqual(row.waves);
    expect(p.status.phase).toBe(row.phase);
    expect(p.status.canary?.currentStepIndex).toBe(row.step);
    if (row.share !== undefined) expect(p.status.canary?.achievedShare).toBe(row.share);
  });

  describe('abort and replacement', () => {
    const failedRun = (reachedMs: number) => runningCanaryRun(V2, reachedMs);
    const measuring = measuringCanary(V2);

    it('a failed step analysis takes the share back first, with the aborted revision, scales nothing, and counts as the switch back', () => {
      const reached = T0 - 20_000;
      const b = bgs(v2, { ...stable, canary: at(1, step2, reached), analysis: failedRun(reached) });
      const obs = observed(b, { blue, green: green(step2), preview: 'green', ...kit.carrying(50) });
      const p = plan({
        ...obs,
        measurements: { ...measuring, measurements: [{ metric: 'errors', phase: 'Failed', value: 0.3, at: iso(T0) }] },
      });
      expect(summary(p)).toEqual(kit.takeBack(true));
      expect(p.status).toMatchObject({ phase: 'Degraded', abortedRevision: rev(V2), activeColor: 'blue' });
      expect(p.status.canary).toMatchObject({ aborted: true, currentStepIndex: 1, achievedShare: 0 });
      // The failed colour is kept for scaleDownDelaySeconds from here.
      expect(p.status.lastSwitchTime).toBe(iso(T0));
      if (kit.abortSwitches) expect(p.switched).toMatchObject({ from: 'green', to: 'blue', reason: 'CanaryAborted' });
    });

    it('spec.activeColor pinned to blue mid-step aborts the same way', () => {
      const b = bgs({ ...v2, activeColor: 'blue' }, { ...stable, canary: at(0, step1, T0 - 10_000) });
      const p = plan(observed(b, { blue, green: green(step1), preview: 'green', ...kit.carrying(10) }));
      expect(summary(p)).toEqual(kit.takeBack(true));
      expect(p.status.abortedRevision).toBe(rev(V2));
    });

    const aborted: BlueGreenServiceStatus = {
      ...stable,
      abortedRevision: rev(V2),
      lastSwitchTime: iso(T0 - 60_000),
      canary: { ...at(1, step2, T0 - 80_000), aborted: true },
    };
    it('while the share is still seen on green, green is not scaled (the preview may move onto blue)', () => {
      const b = bgs({ ...v2, activeColor: 'blue' }, aborted);
      const p = plan(observed(b, { blue, green: green(step2), preview: 'green', ...kit.carrying(50) }));
      expect(summary(p)).toEqual([...kit.takeBack(true), 'preview -> blue']);
    });

    it('with the share seen taken back, the canary goes to 0 after scaleDownDelaySeconds and the preview returns to blue', () => {
      const b = bgs({ ...v2, activeColor: 'blue' }, aborted);
      const activeService = desiredActiveService(b, 'blue', rev(V2));
      const p = plan(observed(b, { blue, green: green(step2), preview: 'green', activeService, ...kit.withdrawn }));
      expect(summary(p)).toEqual(['scale green x0', 'preview -> blue']);
    });

    it('a new template mid-canary takes the share back first and leaves green as it is', () => {
      const b = bgs({ ...v2, template: template('orders:v3') }, { ...stable, canary: at(0, step1, T0 - 10_000) });
      const p = plan(observed(b, { blue, green: green(step1), preview: 'green', ...kit.carrying(10) }));
      expect(summary(p)).toEqual(kit.takeBack(false));
    });
  });
});
