// The kube-apiserver restarted in the middle of a release, under load (issue 9): the
// operator's watches must recover, the release finish, and the switch happen exactly once.
// Traffic never depends on the API server (kube-proxy keeps its rules), so no request may fail.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, restartApiServer, type ClusterInfo } from '../cluster/harness.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { buildSampleImage } from '../support/images.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { failures, startLoad, type LoadRun } from '../../clusterkit/load.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import { waitForServiceAnswer } from '../../clusterkit/service-probe.ts';
import { authBgs, authTemplate, errorRateAnalysis } from '../support/samples.ts';
import { Steps } from '../support/steps.ts';

let cluster: ClusterInfo;
let kube: TestKube;
let operator: OperatorProcess;
let steps: Steps;
let load: LoadRun;
let previewLoad: LoadRun;
const ns = `chaos-api-${Date.now().toString(36)}`;
const name = 'api';

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'real' });
  await Promise.all([installCrds(cluster), buildSampleImage()]);
  kube = new TestKube(cluster.kubeconfig);
  steps = new Steps(kube, ns);
  await kube.createNamespace(ns);
  operator = startOperator({
    kubeconfig: cluster.kubeconfig,
    namespace: ns,
    name: 'op-chaos-api',
    port: 18133,
    env: { LEADER_ELECTION: 'false' },
  });
  await kube.createBgs(
    authBgs(ns, name, 'v1', {}, { promotion: { auto: true }, analysis: errorRateAnalysis(cluster.prometheusUrl) }),
  );
  await steps.then.status(name, 'Healthy on blue', (s) => s.phase === 'Healthy' && s.activeColor === 'blue');
  const url = `http://${await steps.then.clusterIp(name)}/.well-known/jwks.json`;
  await waitForServiceAnswer(url, { what: 'the active Service to answer' });
  load = startLoad(url, { concurrency: 4, ratePerLoop: 25 });
  // The analysis measures the preview's own traffic (testers' requests): without it every
  // round is "no data" and the release ends Inconclusive, restart or not.
  const previewUrl = `http://${await steps.then.clusterIp(`${name}-preview`)}/.well-known/jwks.json`;
  await waitForServiceAnswer(previewUrl, { what: 'the preview Service to answer' });
  previewLoad = startLoad(previewUrl, { concurrency: 2, ratePerLoop: 10 });
});

afterAll(async () => {
  await load?.stop();
  await previewLoad?.stop();
  await operator?.stop();
  await kube?.deleteNamespace(ns);
});

describe('Given a release in its pre-promotion analysis', () => {
  it('When kube-apiserver restarts, Then the release finishes with exactly one switch and no request fails', async () => {
    const from = load.samples.length;
    await kube.patchBgsSpec(ns, name, { template: authTemplate('v2') });
    await steps.then.status(name, 'analysing green', (s) => s.phase === 'Analyzing');
    const restartedAt = Date.now();
    await restartApiServer();
    console.log(`kube-apiserver stopped and ready again in ${Date.now() - restartedAt} ms`);
    await steps.then.status(name, 'promoted to green', (s) => s.activeColor === 'green' && s.phase === 'Healthy');
    const switches = operator.logs.filter(
      (l) => l.includes('"msg":"switched"') && l.includes('"to":"green"') && l.includes(`"bgs":"${ns}/${name}"`),
    );
    console.log(`switches logged: ${switches.length}`);
    expect(switches).toHaveLength(1);
    expect(await kube.serviceColor(ns, name)).toBe('green');
    const failed = failures(load.samples.slice(from));
    console.log(
      `apiserver restart: ${load.samples.length - from} requests, ${failed.length} failed`,
      failed.slice(0, 3),
    );
    expect(failed).toEqual([]);
  });
});
