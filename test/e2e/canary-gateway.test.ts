// Canary steps with exact weights through the Gateway API (docs/adr/0017) on the real node under
// load: the sample auth service at 4 replicas behind Traefik v3 (a host process, its
// kubernetesGateway provider; built from its Go module by test/cluster/gateway-api.sh), steps
// 10 % -> 50 % -> switch. The load goes through Traefik's entry point on loopback, which
// balances requests by the HTTPRoute's weights; each response's X-Color says which colour
// answered. Per step, the new colour's share of responses is compared with the weight (the
// replica-weighted mode could only reach 20 % and 50 % with 4 stable pods). Then an abort by
// spec.activeColor and a bad release (FAULT_ERROR_RATE) caught by the first step's analysis.
// Numbers are printed for bench/results/canary-shares-gateway-*.md; the assertions are
// tolerances and zero failures, not timings (the 2 s abort goal is measured and printed).
import { isDeepStrictEqual } from 'node:util';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, repoRoot, type ClusterInfo } from '../cluster/harness.ts';
import { run } from '../cluster/run.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { buildSampleImage } from '../support/images.ts';
import { gatewayObjects, startTraefik, type TraefikProcess } from '../support/gateway.ts';
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
let traefik: TraefikProcess | undefined;
let steps: Steps;
let load: LoadRun;
let tools: Record<string, string>;
const suffix = Date.now().toString(36);
const ns = `canary-gw-e2e-${suffix}`;
const className = `bluegreen-e2e-traefik-${suffix}`;
const name = 'auth';
const route = 'auth';
const replicas = 4;
const TRAEFIK_PORT = 18093;
/**
 * Percentage points between the measured share of responses and the step's weight. Traefik's
 * weighted round robin is deterministic per request, so the noise is the window's edges and
 * requests in flight at a weight change: a few tenths of a point over ~1,000 requests.
 */
const TOLERANCE_PP = 3;
const PAUSE_SECONDS = 20;
const crdsWeCreated: string[] = [];
const routing = { gatewayAPI: { httpRoute: route } };

const kubectl = (args: string[], input?: string) =>
  run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], {
    timeoutMs: 120_000,
    ...(input === undefined ? {} : { input }),
  });

async function must(what: string, p: Promise<{ code: number; stdout: string; stderr: string }>): Promise<string> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** 8 pods of auth at most on a shared 2-core node: a small CPU request. */
function smallTemplate(version: string, env: Record<string, string> = {}): BlueGreenServiceSpec['template'] {
  const t = authTemplate(version, env);
  t.spec!.containers[0]!.resources = { requests: { cpu: '10m', memory: '64Mi' }, limits: { memory: '256Mi' } };
  return t;
}

/** The two weights on the route, as stored: [stable, canary]. */
async function routeWeights(): Promise<number[]> {
  const out = await must(
    'get httproute',
    kubectl(['get', 'httproute', route, '-n', ns, '-o', 'jsonpath={.spec.rules[0].backendRefs[*].weight}']),
  );
  return out.trim().split(/\s+/).map(Number);
}

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'real' });
  await Promise.all([installCrds(cluster), buildSampleImage()]);
  // Builds (first time only) Traefik and caches the Gateway API CRDs of the pinned module.
  const prepared = await must(
    'gateway-api.sh',
    run('bash', [path.join(repoRoot, 'test/cluster/gateway-api.sh')], { timeoutMs: 3_000_000 }),
  );
  tools = Object.fromEntries(
    prepared
      .trim()
      .split(/\s+/)
      .map((kv) => kv.split('=') as [string, string]),
  );
  console.log(`gateway tools: ${prepared.trim()}`);
  // A CRD already there (another run, or a user's Gateway API install) is used and left alone.
  const crdFiles = readdirSync(tools['GATEWAY_CRD_DIR']!).filter((f) =>
    /^gateway\.networking\.k8s\.io_.*\.yaml$/.test(f),
  );
  for (const f of crdFiles) {
    const crd = f.replace(/^gateway\.networking\.k8s\.io_(.*)\.yaml$/, '$1.gateway.networking.k8s.io');
    if ((await kubectl(['get', 'crd', crd])).code !== 0) {
      crdsWeCreated.push(crd);
      await must(`CRD ${crd}`, kubectl(['apply', '--server-side', '-f', path.join(tools['GATEWAY_CRD_DIR']!, f)]));
    }
  }
  await must(
    'Gateway API CRDs established',
    kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/httproutes.gateway.networking.k8s.io']),
  );
  kube = new TestKube(cluster.kubeconfig);
  steps = new Steps(kube, ns);
  await kube.createNamespace(ns);
  const objects = gatewayObjects({
    className,
    namespace: ns,
    port: TRAEFIK_PORT,
    route,
    stableService: name,
    canaryService: `${name}-preview`,
    servicePort: 80,
  });
  await must(
    'gateway objects',
    kubectl(['apply', '-f', '-'], JSON.stringify({ apiVersion: 'v1', kind: 'List', items: objects })),
  );
  traefik = startTraefik({
    bin: tools['TRAEFIK_BIN']!,
    kubeconfig: cluster.kubeconfig,
    port: TRAEFIK_PORT,
    namespace: ns,
  });
  operator = startOperator({
    kubeconfig: cluster.kubeconfig,
    namespace: ns,
    name: 'op-canary-gw-e2e',
    port: 18132,
    env: { LEADER_ELECTION: 'false' },
  });
  const b = authBgs(ns, name, 'v1', {}, { replicas, scaleDownDelaySeconds: 20, promotion: { auto: true } });
  b.spec.template = smallTemplate('v1');
  await kube.createBgs(b);
  await steps.then.status(name, 'Healthy on blue', (s) => s.phase === 'Healthy' && s.activeColor === 'blue', {
    timeoutMs: 300_000,
  });
  const url = `http://127.0.0.1:${TRAEFIK_PORT}/.well-known/jwks.json`;
  try {
    await waitForServiceAnswer(url, { what: 'Traefik to route the HTTPRoute to the active Service' });
  } catch (err) {
    throw new Error(`${(err as Error).message}\ntraefik:\n${traefik.logs.slice(-40).join('\n')}`, { cause: err });
  }
  load = startLoad(url, { concurrency: 4, ratePerLoop: 25 });
}, 3_600_000);

afterAll(async () => {
  await load?.stop();
  await operator?.stop();
  await traefik?.stop();
  if (process.env['KEEP_LOGS']) console.log([...(operator?.logs ?? []), ...(traefik?.logs ?? [])].join('\n'));
  await kube?.deleteNamespace(ns);
  if (cluster) {
    await kubectl(['delete', 'gatewayclass', className, '--ignore-not-found']);
    for (const crd of crdsWeCreated) await kubectl(['delete', 'crd', crd, '--ignore-not-found']);
  }
});

/**
 * Patch the spec and make sure spec.canary (with trafficRouting) survived: on the shared cluster
 * another worktree's test may re-install an older CRD without it, and the API server then prunes
 * it silently. Re-install ours and patch again until the field reads back.
 */
async function patchWithCanary(spec: Record<string, unknown>, canary: BlueGreenServiceSpec['canary']) {
  const { template, ...rest } = spec;
  await waitFor(
    async () => {
      await kube.patchBgsSpec(ns, name, { ...rest, canary });
      const stored = (await kube.getBgs(ns, name)).spec.canary;
      const kept = isDeepStrictEqual(shape(stored), shape(canary));
      if (!kept) await installCrds(cluster);
      return { done: kept, seen: stored };
    },
    { what: 'spec.canary stored (not pruned by an older CRD)', timeoutMs: 120_000, intervalMs: 500 },
  );
  await kube.patchBgsSpec(ns, name, { template });
  expect(shape((await kube.getBgs(ns, name)).spec.canary), 'spec.canary pruned by an older CRD').toEqual(shape(canary));
}

/** What pruning would lose: the weights and the route (the API server fills in analysis defaults). */
const shape = (c: BlueGreenServiceSpec['canary']) => ({
  weights: c?.steps.map((x) => x.setWeight),
  route: c?.trafficRouting?.gatewayAPI?.httpRoute,
});

function shareOf(samples: readonly Sample[], color: string): number {
  const answered = samples.filter((s) => s.color !== undefined);
  return answered.length === 0
    ? Number.NaN
    : (100 * answered.filter((s) => s.color === color).length) / answered.length;
}

/** Waits for step `index` to be reached, then measures the new colour's share of responses during its pause. */
async function measureStep(index: number, color: string) {
  const s = await steps.then.status(
    name,
    `canary step ${index + 1} reached`,
    (s) => s.canary?.currentStepIndex === index && s.canary.stepReachedAt !== undefined,
    { failOn: ['Degraded'], timeoutMs: 300_000, intervalMs: 200 },
  );
  const reachedAt = Date.parse(s.canary!.stepReachedAt!);
  const weights = await routeWeights();
  // The route is written in the pass that reaches the step; Traefik applies it within a second.
  const from = reachedAt + 2_000;
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
    routeWeights: weights.join('/'),
    canaryPods: s.canary!.canaryReplicas,
    achievedShare: s.canary!.achievedShare,
    measured: Math.round(measured * 10) / 10,
    requests: window.length,
    failed: failures(window).length,
  };
  console.log(`gateway canary step: ${JSON.stringify(row)}`);
  return row;
}

describe('Given auth v1 at 4 replicas behind Traefik under steady load', () => {
  it('When v2 is released with steps 10 % -> 50 % through the HTTPRoute, Then each step gets its weight within tolerance, the switch follows, the route ends at 100/0, and no request fails', async () => {
    const from = load.samples.length;
    const canary: BlueGreenServiceSpec['canary'] = {
      trafficRouting: routing,
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
    const reset = await waitFor(
      async () => {
        const w = await routeWeights();
        return { done: w[0] === 100 && w[1] === 0, seen: w };
      },
      { what: 'the route back at 100/0 after the switch', timeoutMs: 60_000, intervalMs: 100 },
    );
    await waitFor(async () => ({ done: Date.now() > switchedAt + 5_000, seen: load.samples.length }), {
      what: '5 s of load after the switch',
      intervalMs: 200,
    });
    const window = load.samples.slice(from);
    console.log(
      `gateway release through steps and switch: ${window.length} requests, ${failures(window).length} failed; ` +
        `100 % green ${timeToColor(window, switchedAt, 'green')} ms after the switch was observed; route ${reset.join('/')}`,
    );
    expect(rows.map((r) => [r.routeWeights, r.canaryPods])).toEqual([
      ['90/10', 1],
      ['50/50', 2],
    ]);
    for (const r of rows) expect(Math.abs(r.measured - r.weight), JSON.stringify(r)).toBeLessThanOrEqual(TOLERANCE_PP);
    expect(failures(window)).toEqual([]);
    expect(timeToColor(window, switchedAt, 'green')).toBeDefined();
  }, 900_000);

  it('When spec.activeColor pins green during step 1 of v3, Then the route goes to 0 first, 100 % is back on green (time printed), and no request fails', async () => {
    const canary: BlueGreenServiceSpec['canary'] = {
      trafficRouting: routing,
      steps: [{ setWeight: 10, pause: {} }, { setWeight: 50 }],
    };
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
      { what: 'canary traffic on blue through the route', timeoutMs: 30_000, intervalMs: 200 },
    );
    const from = load.samples.length;
    const editedAt = Date.now();
    await kube.patchBgsSpec(ns, name, { activeColor: 'green' });
    await waitFor(
      async () => {
        const w = await routeWeights();
        return { done: w[1] === 0, seen: w };
      },
      { what: 'the canary weight at 0', timeoutMs: 30_000, intervalMs: 20 },
    );
    const zeroAt = Date.now();
    await waitFor(async () => ({ done: Date.now() > editedAt + 6_000, seen: load.samples.length }), {
      what: '6 s of load after the edit',
      intervalMs: 200,
    });
    const window = load.samples.slice(from);
    const toGreen = timeToColor(window, editedAt, 'green');
    console.log(
      `gateway abort by spec.activeColor: canary weight 0 ${zeroAt - editedAt} ms after the edit; 100 % green ${toGreen} ms after the edit; ` +
        `${window.length} requests, ${failures(window).length} failed`,
    );
    expect(failures(window)).toEqual([]);
    expect(toGreen).toBeDefined();
    const s = await steps.then.status(name, 'aborted', (s) => s.canary?.aborted === true);
    expect(s.abortedRevision).toBe(s.updateRevision);
    expect(await kube.serviceColor(ns, name)).toBe('green');
  }, 600_000);

  it('When v4 returns 50 % errors, Then the first step analysis aborts it, only that step weight of requests saw errors, and 100 % is back on green (time printed)', async () => {
    const analysis = errorRateAnalysis(cluster.prometheusUrl);
    const canary: BlueGreenServiceSpec['canary'] = {
      trafficRouting: routing,
      steps: [{ setWeight: 10, analysis: analysis.prePromotion! }, { setWeight: 50 }],
    };
    const from = load.samples.length;
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
      { timeoutMs: 300_000, intervalMs: 200 },
    );
    await waitFor(
      async () => {
        const status = await steps.then.statusOf(name);
        const w = await routeWeights();
        return { done: w[1] === 0 && ofV4(status.canary) && status.canary?.aborted === true, seen: status.message };
      },
      { what: 'the analysed abort', timeoutMs: 300_000, intervalMs: 50 },
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
      `gateway bad release: aborted at step ${s.canary!.currentStepIndex + 1} (weight ${reached.canary!.weight} %); ` +
        `during the step ${failures(stepWindow).length} of ${stepWindow.length} requests failed (${failedShare.toFixed(1)} %); ` +
        `100 % green ${toGreen} ms after the abort was observed; reason ${s.conditions?.find((c) => c.type === 'Degraded')?.reason}`,
    );
    expect(s.canary).toMatchObject({ aborted: true, currentStepIndex: 0 });
    expect(s.abortedRevision).toBe(s.updateRevision);
    // Only the step's weight can have seen the bad colour: about 10 % x 50 % errors.
    expect(failedShare).toBeLessThanOrEqual(reached.canary!.weight * 0.5 + TOLERANCE_PP);
    expect(toGreen).toBeDefined();
    // Every failed request was answered by the bad canary (blue): green never failed.
    const unexpected = failures(load.samples.slice(from)).filter((x) => x.color !== 'blue');
    expect(unexpected).toEqual([]);
  }, 900_000);
});
