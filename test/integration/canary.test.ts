// Canary steps on the kwok tier (docs/adr/0012): the operator runs as a real process against
// the real API server and controllers; the step analyses query the cluster's real Prometheus
// with constant expressions (vector(0) passes, vector(1) fails), so their verdicts are certain.
// A recorder samples the active Service and its EndpointSlices while the operator works, so
// the test judges every traffic state it saw, not only the last one.
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { V1EndpointSlice } from '@kubernetes/client-node';
import { ensureCluster, type ClusterInfo } from '../cluster/harness.ts';
import { kwokBgs, templateWithImage } from '../../clusterkit/bgs.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import { waitFor } from '../../clusterkit/wait.ts';
import type { BlueGreenService, BlueGreenServiceSpec } from '../../operator/src/api/types.ts';
import { Steps } from '../support/steps.ts';

let cluster: ClusterInfo;
let kube: TestKube;
let operator: OperatorProcess;
let steps: Steps;
const ns = `canary-${Date.now().toString(36)}`;

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'kwok' });
  await installCrds(cluster);
  kube = new TestKube(cluster.kubeconfig);
  await kube.createNamespace(ns);
  steps = new Steps(kube, ns);
  operator = startOperator({
    kubeconfig: cluster.kubeconfig,
    namespace: ns,
    name: 'op-canary',
    port: 18093,
    env: { LEADER_ELECTION: 'false' },
  });
});

afterAll(async () => {
  await operator?.stop();
  if (operator && process.env['KEEP_LOGS']) console.log(operator.logs.join('\n'));
  await kube?.deleteNamespace(ns);
});

/** What the active Service routes to at one instant: its selector and its ready endpoints per colour. */
interface TrafficState {
  both: boolean;
  color?: string;
  ready: { blue: number; green: number };
  notReady: number;
}

async function traffic(service: string): Promise<TrafficState> {
  const svc = await kube.getService(ns, service);
  const selector = svc.spec?.selector ?? {};
  const slices = await kube.req<{ items: V1EndpointSlice[] }>(
    'GET',
    `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices?labelSelector=kubernetes.io/service-name%3D${service}`,
  );
  const ready = { blue: 0, green: 0 };
  let notReady = 0;
  for (const slice of slices.items)
    for (const ep of slice.endpoints ?? []) {
      if (ep.conditions?.ready === false) notReady++;
      else if (ep.targetRef?.name?.startsWith(`${service}-green-`)) ready.green++;
      else if (ep.targetRef?.name?.startsWith(`${service}-blue-`)) ready.blue++;
    }
  const color = selector['bluegreen.dev/color'];
  return { both: color === undefined, ...(color ? { color } : {}), ready, notReady };
}

/** Samples the Service until stopped; returns the distinct states in order. */
function record(service: string): { stop: () => Promise<TrafficState[]> } {
  const seen: TrafficState[] = [];
  let running = true;
  const loop = (async () => {
    while (running) {
      const s = await traffic(service).catch(() => undefined);
      if (s && JSON.stringify(s) !== JSON.stringify(seen.at(-1))) seen.push(s);
      // A poll interval inside a recorder that runs until the test stops it, not a wait for a condition.
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
      return seen;
    },
  };
}

/**
 * Create it and make sure spec.canary was stored: on the shared cluster another worktree's test
 * may re-install an older CRD without spec.canary, which the API server then prunes silently.
 */
async function givenWithCanary(b: BlueGreenService): Promise<void> {
  await waitFor(
    async () => {
      const existing = await kube.getBgs(ns, b.metadata.name!).catch(() => undefined);
      if (!existing) await steps.given.bgs(b);
      else await kube.patchBgsSpec(ns, b.metadata.name!, { canary: b.spec.canary });
      const stored = (await kube.getBgs(ns, b.metadata.name!)).spec.canary;
      // Weights only: the API server fills in the analysis defaults.
      const kept = isDeepStrictEqual(
        stored?.steps.map((x) => x.setWeight),
        b.spec.canary?.steps.map((x) => x.setWeight),
      );
      if (!kept) await installCrds(cluster);
      return { done: kept, seen: stored };
    },
    { what: 'spec.canary stored (not pruned by an older CRD)', timeoutMs: 120_000, intervalMs: 500 },
  );
}

const prometheus = () => ({ prometheus: { address: cluster.prometheusUrl, timeoutSeconds: 5 } });
const metric = (query: string) => ({ name: 'errors', query, max: 0.5 });

describe('Given a BlueGreenService with canary steps 20 % -> 50 % and auto promotion', () => {
  const name = 'steps';
  const canary: BlueGreenServiceSpec['canary'] = {
    steps: [
      { setWeight: 20, pause: { seconds: 4 } },
      { setWeight: 50, analysis: { intervalSeconds: 1, count: 3, metrics: [metric('vector(0)')] } },
    ],
  };
  const base = () =>
    kwokBgs(ns, name, 'app:v1', {
      replicas: 4,
      previewReplicas: 2,
      promotion: { auto: true },
      scaleDownDelaySeconds: 5,
      analysis: prometheus(),
      canary,
    });

  it('When a release is applied, Then each step widens the Service onto exactly the ready pods of its share, then the switch follows', async () => {
    const b = base();
    await givenWithCanary(b);
    await steps.then.status(name, 'Healthy on blue', (s) => s.phase === 'Healthy' && s.activeColor === 'blue');
    const recorder = record(name);
    await steps.when.patchSpec(name, { template: templateWithImage(b, 'app:v2') });
    const step1 = await steps.then.status(
      name,
      'canary step 1 reached',
      (s) => s.canary?.currentStepIndex === 0 && s.canary.stepReachedAt !== undefined,
      { failOn: ['Degraded'] },
    );
    expect(step1.canary).toMatchObject({ weight: 20, canaryReplicas: 1, stableReplicas: 4 });
    await steps.then.status(name, 'Healthy on green', (s) => s.phase === 'Healthy' && s.activeColor === 'green', {
      failOn: ['Degraded'],
    });
    const states = await recorder.stop();
    console.log(`traffic states seen:\n${states.map((s) => JSON.stringify(s)).join('\n')}`);
    const mixed = states.filter((s) => s.both);
    // Every mixed state routes to ready pods of both colours and nothing unready.
    expect(mixed.length).toBeGreaterThan(0);
    for (const s of mixed) expect(s.notReady, JSON.stringify(s)).toBe(0);
    // The first widened state with canary endpoints is step 1 exactly: 1 green next to 4 blue
    // (20 %). The active Service's own EndpointSlices may lag its selector for a moment (blue only).
    const firstCanary = mixed.find((s) => s.ready.green > 0);
    expect(firstCanary?.ready).toEqual({ blue: 4, green: 1 });
    // Step 2 (50 %) was held: 4 green next to 4 blue.
    expect(mixed.some((s) => s.ready.blue === 4 && s.ready.green === 4)).toBe(true);
    // The order of traffic: blue alone, both colours, green alone; never back.
    const phases = states.map((s) => (s.both ? 'both' : s.color)).filter((p, i, a) => p !== a[i - 1]);
    expect(phases).toEqual(['blue', 'both', 'green']);
    const reasons = (await kube.events(ns)).map((e) => e.reason);
    expect(reasons.filter((r) => r === 'CanaryStepReached').length).toBeGreaterThanOrEqual(2);
    expect(reasons).toContain('CanaryCompleted');
    expect((await steps.then.statusOf(name)).canary).toBeUndefined();
  });
});

describe('Given a canary whose first step analysis fails', () => {
  const name = 'bad';
  const base = () =>
    kwokBgs(ns, name, 'app:v1', {
      replicas: 3,
      promotion: { auto: true },
      scaleDownDelaySeconds: 2,
      analysis: prometheus(),
      canary: {
        steps: [
          { setWeight: 25, analysis: { intervalSeconds: 1, count: 2, metrics: [metric('vector(1)')] } },
          { setWeight: 50 },
        ],
      },
    });

  it('When the release reaches step 1, Then the Service goes back to blue alone first, the revision is recorded aborted, then green is scaled to 0', async () => {
    const b = base();
    await givenWithCanary(b);
    await steps.then.status(name, 'Healthy on blue', (s) => s.phase === 'Healthy' && s.activeColor === 'blue');
    const recorder = record(name);
    await steps.when.patchSpec(name, { template: templateWithImage(b, 'app:v2') });
    const s = await steps.then.status(name, 'canary aborted', (s) => s.canary?.aborted === true);
    expect(s).toMatchObject({ phase: 'Degraded', activeColor: 'blue', abortedRevision: s.updateRevision });
    expect(s.canary).toMatchObject({ currentStepIndex: 0, weight: 25 });
    const svc = await kube.getService(ns, name);
    expect(svc.spec?.selector?.['bluegreen.dev/color']).toBe('blue');
    expect(svc.metadata?.annotations?.['bluegreen.dev/aborted-revision']).toBe(s.updateRevision);
    await waitFor(
      async () => {
        const dep = await kube.getDeployment(ns, `${name}-green`);
        return { done: dep.spec?.replicas === 0, seen: dep.spec?.replicas };
      },
      { what: `${name}-green scaled to 0 after the abort`, timeoutMs: 60_000 },
    );
    const states = await recorder.stop();
    console.log(`traffic states seen:\n${states.map((x) => JSON.stringify(x)).join('\n')}`);
    const phases = states.map((x) => (x.both ? 'both' : x.color)).filter((p, i, a) => p !== a[i - 1]);
    // The step may be shorter than one sample of the recorder: its Event proves it was reached.
    expect(phases[0]).toBe('blue');
    expect(phases.at(-1)).toBe('blue');
    expect(phases).not.toContain('green');
    expect((await kube.events(ns)).some((e) => e.reason === 'CanaryStepReached' && e.message.includes('25'))).toBe(
      true,
    );
    // Narrowed before any green pod went away. The Service's EndpointSlice follows a selector
    // change a moment later (the endpoint controller), so a mixed state may not list the green
    // pod yet when the step is short; once listed it stays until the selector is narrowed, and
    // never more than the step's 1 pod (a fresh run on a loaded machine saw green 0 right after
    // the widening).
    const mixed = states.filter((x) => x.both).map((x) => x.ready);
    expect(
      mixed.every((r) => r.blue === 3 && r.green <= 1),
      JSON.stringify(mixed),
    ).toBe(true);
    const listed = mixed.findIndex((r) => r.green === 1);
    if (listed >= 0) expect(mixed.slice(listed).map((r) => r.green)).not.toContain(0);
    // Not released again on its own.
    expect((await steps.then.statusOf(name)).activeColor).toBe('blue');
  });
});

describe('Given a canary paused until promoted', () => {
  const name = 'pin';
  const base = () =>
    kwokBgs(ns, name, 'app:v1', {
      replicas: 2,
      scaleDownDelaySeconds: 1,
      canary: { steps: [{ setWeight: 50, pause: {} }] },
    });

  it('When spec.activeColor is pinned to the stable colour, Then the Service selects blue alone again and green goes to 0', async () => {
    const b = base();
    await givenWithCanary(b);
    await steps.then.status(name, 'Healthy on blue', (s) => s.phase === 'Healthy' && s.activeColor === 'blue');
    await steps.when.patchSpec(name, { template: templateWithImage(b, 'app:v2') });
    await steps.then.status(
      name,
      'paused at step 1',
      (s) => s.phase === 'AwaitingPromotion' && !!s.canary?.stepReachedAt,
    );
    expect((await traffic(name)).both).toBe(true);
    const started = Date.now();
    await steps.when.setActiveColor(name, 'blue');
    await steps.then.selector(name, 'blue', { intervalMs: 20 });
    console.log(`abort by spec.activeColor: selector narrowed ${Date.now() - started} ms after the edit`);
    const s = await steps.then.status(name, 'aborted', (s) => s.canary?.aborted === true);
    expect(s.abortedRevision).toBe(s.updateRevision);
    await waitFor(
      async () => {
        const dep = await kube.getDeployment(ns, `${name}-green`);
        return { done: dep.spec?.replicas === 0, seen: dep.spec?.replicas };
      },
      { what: `${name}-green scaled to 0 after the abort`, timeoutMs: 60_000 },
    );
  });
});
