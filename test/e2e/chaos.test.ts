// Hostile conditions on the real node, under load (issue 9, docs/adr/0011): the analysis's
// Prometheus becomes unreachable in the middle of a pre-promotion analysis, and a promoted
// colour starts crash-looping. The bar is the zero-downtime suite's: no failed request.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, type ClusterInfo } from '../cluster/harness.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { buildSampleImage } from '../support/images.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { failures, startLoad, type LoadRun } from '../../clusterkit/load.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import { waitForServiceAnswer } from '../../clusterkit/service-probe.ts';
import { authBgs, authTemplate, errorRateAnalysis } from '../support/samples.ts';
import { Steps } from '../support/steps.ts';
import { startTcpProxy, type TcpProxy } from '../support/tcp-proxy.ts';

let cluster: ClusterInfo;
let kube: TestKube;
let operator: OperatorProcess;
let steps: Steps;
const ns = `chaos-${Date.now().toString(36)}`;

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'real' });
  await Promise.all([installCrds(cluster), buildSampleImage()]);
  kube = new TestKube(cluster.kubeconfig);
  steps = new Steps(kube, ns);
  await kube.createNamespace(ns);
  operator = startOperator({
    kubeconfig: cluster.kubeconfig,
    namespace: ns,
    name: 'op-chaos',
    port: 18131,
    env: { LEADER_ELECTION: 'false' },
  });
});

afterAll(async () => {
  await operator?.stop();
  if (operator && process.env['KEEP_LOGS']) console.log(operator.logs.slice(-60).join('\n'));
  await kube?.deleteNamespace(ns);
});

/** A BlueGreenService Healthy on blue with steady load on its active Service. */
async function servingUnderLoad(name: string): Promise<LoadRun> {
  await steps.then.status(name, `${name} Healthy on blue`, (s) => s.phase === 'Healthy' && s.activeColor === 'blue');
  const url = `http://${await steps.then.clusterIp(name)}/.well-known/jwks.json`;
  await waitForServiceAnswer(url, { what: `the ${name} Service to answer` });
  return startLoad(url, { concurrency: 4, ratePerLoop: 25 });
}

describe('Given the analysis reaches Prometheus through a link that goes down mid-analysis', () => {
  const name = 'prom';
  let link: TcpProxy;
  let load: LoadRun;
  let previewLoad: LoadRun;

  beforeAll(async () => {
    // The operator queries the real Prometheus through a TCP proxy the test can cut: from the
    // operator's side exactly an unreachable Prometheus, without stopping the shared one.
    link = await startTcpProxy(new URL(cluster.prometheusUrl));
    await kube.createBgs(
      authBgs(
        ns,
        name,
        'v1',
        {},
        {
          promotion: { auto: true },
          analysis: {
            ...errorRateAnalysis(link.url, 2),
            prePromotion: { ...errorRateAnalysis(link.url, 2).prePromotion!, inconclusiveLimit: 4 },
          },
        },
      ),
    );
    load = await servingUnderLoad(name);
    // The analysis measures the preview's own traffic (testers' requests): without it every
    // round is "no data", whatever Prometheus does.
    const previewUrl = `http://${await steps.then.clusterIp(`${name}-preview`)}/.well-known/jwks.json`;
    await waitForServiceAnswer(previewUrl, { what: 'the preview Service to answer' });
    previewLoad = startLoad(previewUrl, { concurrency: 2, ratePerLoop: 10 });
  });

  afterAll(async () => {
    await load?.stop();
    await previewLoad?.stop();
    await link?.close();
  });

  it('When Prometheus is unreachable, Then rounds are inconclusive and nothing is promoted; once it is back the release is analysed and promoted, and no request fails', async () => {
    const from = load.samples.length;
    await link.cut();
    await kube.patchBgsSpec(ns, name, { template: authTemplate('v2') });
    const during = await steps.then.status(
      name,
      'an inconclusive round while Prometheus is unreachable',
      (s) => (s.analysis?.inconclusive ?? 0) >= 1,
      { timeoutMs: 180_000 },
    );
    console.log(`while cut: phase ${during.phase}, analysis ${during.analysis?.message}`);
    expect(during.activeColor).toBe('blue');
    expect(during.analysis).toMatchObject({ stage: 'PrePromotion', phase: 'Running', successful: 0 });
    expect(await kube.serviceColor(ns, name)).toBe('blue');

    await link.restore();
    const after = await steps.then.status(name, 'promoted to green', (s) => s.activeColor === 'green', {
      timeoutMs: 180_000,
    });
    console.log(`after restore: ${after.analysis?.message}`);
    expect(after.analysis).toMatchObject({ stage: 'PrePromotion', phase: 'Successful' });
    expect(after.analysis?.inconclusive).toBeGreaterThanOrEqual(1);
    const failed = failures(load.samples.slice(from));
    console.log(`prometheus outage: ${load.samples.length - from} requests, ${failed.length} failed`);
    expect(failed).toEqual([]);
  });
});

describe('Given a release that passes its checks and then crash-loops once it is live', () => {
  const name = 'crash';
  const scaleDownDelaySeconds = 180;
  let load: LoadRun;

  beforeAll(async () => {
    // Three pods: the first one to leave the endpoints sends traffic back; only all of them
    // leaving within the second that takes would leave the Service empty (with two pods and
    // crashes spread over 22 s, a coincidence likely enough to make the test a coin toss; with
    // every pod of a colour down at once no operator can keep a request from failing).
    await kube.createBgs(
      authBgs(ns, name, 'v1', {}, { promotion: { auto: true }, scaleDownDelaySeconds, replicas: 3 }),
    );
    load = await servingUnderLoad(name);
  });

  afterAll(async () => {
    await load?.stop();
  });

  it('When the promoted colour loses its pods, Then traffic is back on blue within the scale-down window, the revision is recorded as aborted, and no request fails', async () => {
    const from = load.samples.length;
    // Each green pod fails readiness 45-67 s after it starts, stays out of the Service until its
    // probes saw it (FAULT_CRASH_DRAIN_PROBES, default 3 = the probe's failureThreshold), drains
    // and exits 1: a crash loop as the kubelet sees one, not requests lost inside a dying process.
    await kube.patchBgsSpec(ns, name, { template: authTemplate('v2', { FAULT_CRASH_AFTER_SECONDS: '45' }) });
    await steps.then.selector(name, 'green', { timeoutMs: 180_000 });
    const promotedAt = Date.now();
    await steps.then.selector(name, 'blue', { timeoutMs: scaleDownDelaySeconds * 1000 });
    console.log(`crash-looping green: traffic back on blue ${Date.now() - promotedAt} ms after the promotion was seen`);
    const s = await steps.then.status(name, 'rolled back', (x) => x.activeColor === 'blue' && x.phase === 'Degraded');
    expect(s.abortedRevision).toBe(s.updateRevision);
    expect(s.conditions?.find((c) => c.type === 'Degraded')?.reason).toMatch(/ActiveUnavailable|RolledBack/);
    const failed = failures(load.samples.slice(from));
    const when = failed.slice(0, 5).map((f) => `${f.at - promotedAt} ms: ${f.error ?? f.status}`);
    console.log(`crash loop: ${load.samples.length - from} requests, ${failed.length} failed`, when);
    expect(failed).toEqual([]);
  });
});
