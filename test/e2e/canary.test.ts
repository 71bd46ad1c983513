// Canary steps on the real node under load (docs/adr/0012): the sample auth service at 10
// replicas, steps 10 % -> 50 % -> switch. Every request opens a new connection, so each goes
// through kube-proxy's current rules and its X-Color header says which colour answered; the
// share of the new colour is measured inside each step's pause and compared with the share the
// operator reports (status.canary.achievedShare). Then an abort by spec.activeColor, and a bad
// release (FAULT_ERROR_RATE) caught by the first step's analysis. Numbers are printed for
// bench/results/canary-shares-*.md; the assertions are tolerances, not timings (the 2 s abort
// goal is measured and printed, never asserted on this shared machine).
import { isDeepStrictEqual } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, type ClusterInfo } from '../cluster/harness.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { buildSampleImage } from '../support/images.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { failures, startLoad, timeToColor, type LoadRun, type Sample } from '../../clusterkit/load.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import { waitForServiceAnswer } from '../../clusterkit/service-probe.ts';
import { authBgs, authTemplate, errorRateAnalysis } from '../support/samples.ts';
import { waitFor } from '../../clusterkit/wait.ts';
import type { BlueGreenServiceSpec, CanaryStatus } from '../../operator/src/api/types.ts';
import { Steps } from '../support/steps.ts';

let cluster: ClusterInfo;
let kube: TestKube;
let operator: OperatorProcess;
let steps: Steps;
let load: LoadRun;
const ns = `canary-e2e-${Date.now().toString(36)}`;
const name = 'auth';
const replicas = 10;
/** Percentage points between the measured share and status.canary.achievedShare (binomial noise over ~1,000 requests is ~1-2 pp). */
const TOLERANCE_PP = 6;
const PAUSE_SECONDS = 20;

/** 20 pods of auth on a shared 2-core node: a small CPU request so the canary fits beside others' tests. */
function smallTemplate(version: string, env: Record<string, string> = {}): BlueGreenServiceSpec['template'] {
  const t = authTemplate(version, env);
  t.spec!.containers[0]!.resources = { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } };
  return t;
}

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'real' });
  await Promise.all([installCrds(cluster), buildSampleImage()]);
  kube = new TestKube(cluster.kubeconfig);
  steps = new Steps(kube, ns);
  await kube.createNamespace(ns);
  operator = startOperator({
    kubeconfig: cluster.kubeconfig,
    namespace: ns,
    name: 'op-canary-e2e',
    port: 18131,
    env: { LEADER_ELECTION: 'false' },
  });
  const b = authBgs(ns, name, 'v1', {}, { replicas, scaleDownDelaySeconds: 20, promotion: { auto: true } });
  b.spec.template = smallTemplate('v1');
  await kube.createBgs(b);
  await steps.then.status(name, 'Healthy on blue', (s) => s.phase === 'Healthy' && s.activeColor === 'blue', {
    timeoutMs: 300_000,
  });
  const url = `http://${await steps.then.clusterIp(name)}/.well-known/jwks.json`;
  await waitForServiceAnswer(url, { what: 'the active Service to answer' });
  load = startLoad(url, { concurrency: 4, ratePerLoop: 25 });
}, 600_000);

afterAll(async () => {
  await load?.stop();
  await operator?.stop();
  if (operator && process.env['KEEP_LOGS']) console.log(operator.logs.join('\n'));
  await kube?.deleteNamespace(ns);
});

/**
 * Patch the spec and make sure spec.canary survived: on the shared cluster another worktree's
 * test may re-install an older CRD without spec.canary, and the API server then prunes it
 * silently. Re-install ours and patch again until the field reads back.
 */
async function patchWithCanary(spec: Record<string, unknown>, canary: BlueGreenServiceSpec['canary']) {
  // Everything but the template first: a release must never start while spec.canary is pruned.
  const { template, ...rest } = spec;
  await waitFor(
    async () => {
      await kube.patchBgsSpec(ns, name, { ...rest, canary });
      const stored = (await kube.getBgs(ns, name)).spec.canary;
      const kept = isDeepStrictEqual(weights(stored), weights(canary));
      if (!kept) await installCrds(cluster);
      return { done: kept, seen: stored };
    },
    { what: 'spec.canary stored (not pruned by an older CRD)', timeoutMs: 120_000, intervalMs: 500 },
  );
  await kube.patchBgsSpec(ns, name, { template });
  const stored = (await kube.getBgs(ns, name)).spec.canary;
  expect(weights(stored), 'spec.canary pruned while the release was applied (an older CRD re-installed)').toEqual(
    weights(canary),
  );
}

/** The steps' weights: what pruning would lose (the API server also fills in analysis defaults). */
const weights = (c: BlueGreenServiceSpec['canary']) => c?.steps.map((x) => x.setWeight);

function shareOf(samples: readonly Sample[], color: string): number {
  const answered = samples.filter((s) => s.color !== undefined);
  return answered.length === 0
    ? Number.NaN
    : (100 * answered.filter((s) => s.color === color).length) / answered.length;
}

/** Waits for step `index` to be reached, then measures the new colour's share during its pause. */
async function measureStep(index: number, color: string) {
  const s = await steps.then.status(
    name,
    `canary step ${index + 1} reached`,
    (s) => s.canary?.currentStepIndex === index && s.canary.stepReachedAt !== undefined,
    { failOn: ['Degraded'], timeoutMs: 300_000, intervalMs: 200 },
  );
  const reachedAt = Date.parse(s.canary!.stepReachedAt!);
  // From one kube-proxy sync (1 s) plus margin after the widening until just before the pause ends.
  const from = reachedAt + 3_000;
  const to = reachedAt + (PAUSE_SECONDS - 2) * 1000;
  await waitFor(async () => ({ done: Date.now() > to, seen: load.samples.length }), {
    what: `the pause of step ${index + 1}`,
    timeoutMs: (PAUSE_SECONDS + 10) * 1000,
    intervalMs: 500,
  });
  const window = load.samples.filter((x) => x.at >= from && x.at <= to);
  const measured = shareOf(window, color);
  const row = {
    step: index + 1,
    weight: s.canary!.weight,
    split: `${s.canary!.canaryReplicas}+${s.canary!.stableReplicas}`,
    achievedShare: s.canary!.achievedShare,
    measured: Math.round(measured * 10) / 10,
    requests: window.length,
    failed: failures(window).length,
  };
  console.log(`canary step: ${JSON.stringify(row)}`);
  return row;
}

describe('Given auth v1 at 10 replicas under steady load', () => {
  it('When v2 is released with steps 10 % -> 50 %, Then each step gets its share within tolerance, the switch follows, and no request fails', async () => {
    const from = load.samples.length;
    const canary: BlueGreenServiceSpec['canary'] = {
      steps: [
        { setWeight: 10, pause: { seconds: PAUSE_SECONDS } },
        { setWeight: 50, pause: { seconds: PAUSE_SECONDS } },
      ],
    };
    await patchWithCanary({ template: smallTemplate('v2') }, canary);
    const rows = [await measureStep(0, 'green'), await measureStep(1, 'green')];
    await waitFor(async () => ({ done: (await kube.serviceColor(ns, name)) === 'green', seen: 'not green yet' }), {
      what: 'the switch to green',
      timeoutMs: 300_000,
      intervalMs: 50,
    });
    const switchedAt = Date.now();
    await waitFor(async () => ({ done: Date.now() > switchedAt + 5_000, seen: load.samples.length }), {
      what: '5 s of load after the switch',
      intervalMs: 200,
    });
    const window = load.samples.slice(from);
    console.log(
      `release through steps and switch: ${window.length} requests, ${failures(window).length} failed; ` +
        `100 % green ${timeToColor(window, switchedAt, 'green')} ms after the switch was observed`,
    );
    expect(rows.map((r) => r.split)).toEqual(['1+10', '10+10']);
    for (const r of rows)
      expect(Math.abs(r.measured - r.achievedShare), JSON.stringify(r)).toBeLessThanOrEqual(TOLERANCE_PP);
    expect(failures(window)).toEqual([]);
    expect(timeToColor(window, switchedAt, 'green')).toBeDefined();
  }, 900_000);

  it('When spec.activeColor pins green during step 1 of v3, Then the abort puts 100 % back on green (time printed) and no request fails', async () => {
    const canary: BlueGreenServiceSpec['canary'] = { steps: [{ setWeight: 10, pause: {} }, { setWeight: 50 }] };
    await patchWithCanary({ template: smallTemplate('v3') }, canary);
    await steps.then.status(
      name,
      'step 1 paused',
      (s) => s.phase === 'AwaitingPromotion' && !!s.canary?.stepReachedAt,
      {
        failOn: ['Degraded'],
        timeoutMs: 300_000,
      },
    );
    await waitFor(
      async () => ({
        done: load.samples.some((x) => x.color === 'blue' && x.at > Date.now() - 2_000),
        seen: 'no blue yet',
      }),
      {
        what: 'canary traffic on blue',
        timeoutMs: 30_000,
        intervalMs: 200,
      },
    );
    const from = load.samples.length;
    const editedAt = Date.now();
    await kube.patchBgsSpec(ns, name, { activeColor: 'green' });
    await steps.then.selector(name, 'green', { timeoutMs: 30_000, intervalMs: 20 });
    const narrowedAt = Date.now();
    await waitFor(async () => ({ done: Date.now() > editedAt + 6_000, seen: load.samples.length }), {
      what: '6 s of load after the edit',
      intervalMs: 200,
    });
    const window = load.samples.slice(from);
    const toGreen = timeToColor(window, editedAt, 'green');
    console.log(
      `abort by spec.activeColor: selector narrowed ${narrowedAt - editedAt} ms after the edit; 100 % green ${toGreen} ms after the edit; ` +
        `${window.length} requests, ${failures(window).length} failed`,
    );
    expect(failures(window)).toEqual([]);
    expect(toGreen).toBeDefined();
    const s = await steps.then.status(name, 'aborted', (s) => s.canary?.aborted === true);
    expect(s.abortedRevision).toBe(s.updateRevision);
  }, 600_000);

  it('When v4 returns 50 % errors, Then the first step analysis aborts it, only that step share of requests saw errors, and 100 % is back on green (time printed)', async () => {
    const analysis = errorRateAnalysis(cluster.prometheusUrl);
    const canary: BlueGreenServiceSpec['canary'] = {
      steps: [{ setWeight: 10, analysis: analysis.prePromotion! }, { setWeight: 50 }],
    };
    const from = load.samples.length;
    // The previous test's abort is still in status until the operator sees v4: wait for v4's own canary.
    const previous = (await steps.then.statusOf(name)).canary?.revision;
    const ofV4 = (c: CanaryStatus | undefined) => c !== undefined && c.revision !== previous;
    await patchWithCanary(
      {
        activeColor: null,
        template: smallTemplate('v4-bad', { FAULT_ERROR_RATE: '0.5' }),
        analysis: { prometheus: analysis.prometheus! },
      },
      canary,
    );
    const reached = await steps.then.status(
      name,
      'step 1 reached',
      (s) => ofV4(s.canary) && (!!s.canary?.stepReachedAt || s.canary?.aborted === true),
      {
        timeoutMs: 300_000,
        intervalMs: 200,
      },
    );
    await waitFor(
      async () => {
        const status = await steps.then.statusOf(name);
        const color = await kube.serviceColor(ns, name);
        return {
          done: color === 'green' && ofV4(status.canary) && status.canary?.aborted === true,
          seen: status.message,
        };
      },
      {
        what: 'the analysed abort',
        timeoutMs: 300_000,
        intervalMs: 50,
      },
    );
    const abortedAt = Date.now();
    await waitFor(async () => ({ done: Date.now() > abortedAt + 6_000, seen: load.samples.length }), {
      what: '6 s of load after the abort',
      intervalMs: 200,
    });
    const s = await steps.then.statusOf(name);
    const stepWindow = load.samples
      .slice(from)
      .filter((x) => x.at >= Date.parse(reached.canary!.stepReachedAt!) && x.at < abortedAt);
    const failedShare = (100 * failures(stepWindow).length) / Math.max(1, stepWindow.length);
    const toGreen = timeToColor(load.samples.slice(from), abortedAt, 'green');
    console.log(
      `bad release: aborted at step ${s.canary!.currentStepIndex + 1} (achieved share ${reached.canary!.achievedShare} %); ` +
        `during the step ${failures(stepWindow).length} of ${stepWindow.length} requests failed (${failedShare.toFixed(1)} %); ` +
        `100 % green ${toGreen} ms after the abort was observed; reason ${s.conditions?.find((c) => c.type === 'Degraded')?.reason}`,
    );
    expect(s.canary).toMatchObject({ aborted: true, currentStepIndex: 0 });
    expect(s.abortedRevision).toBe(s.updateRevision);
    // Only the step's share can have seen the bad colour: about achievedShare x 50 % errors.
    expect(failedShare).toBeLessThanOrEqual(reached.canary!.achievedShare * 0.5 + TOLERANCE_PP);
    expect(toGreen).toBeDefined();
    // Every failed request was answered by the bad canary (blue): green never failed, and no
    // connection error happened at the abort.
    const unexpected = failures(load.samples.slice(from)).filter((x) => x.color !== 'blue');
    expect(unexpected).toEqual([]);
  }, 900_000);
});
