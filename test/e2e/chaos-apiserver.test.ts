// The kube-apiserver restarted in the middle of a release, under load (issue 9): the
// operator's watches must recover, the release finish, and the switch happen exactly once.
// Traffic never depends on the API server (kube-proxy keeps its rules), so no request may fail.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clusterDir, clusterEnv, ensureCluster, type ClusterInfo, type NodeTiers } from '../cluster/harness.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { buildSampleImage } from '../support/images.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { failures, startLoad, type LoadRun } from '../../clusterkit/load.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import { waitForServiceAnswer } from '../../clusterkit/service-probe.ts';
import { authBgs, authTemplate, errorRateAnalysis } from '../support/samples.ts';
import { waitFor } from '../../clusterkit/wait.ts';
import { Steps } from '../support/steps.ts';

let cluster: ClusterInfo;
let kube: TestKube;
let operator: OperatorProcess;
let steps: Steps;
let load: LoadRun;
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
});

afterAll(async () => {
  await load?.stop();
  await operator?.stop();
  await kube?.deleteNamespace(ns);
});

/** Stops kube-apiserver (SIGTERM, like a control-plane upgrade) and brings it back with up.sh. */
async function restartApiServer(): Promise<number> {
  const pid = Number((await readFile(path.join(clusterDir, 'pids', 'kube-apiserver.pid'), 'utf8')).trim());
  const started = Date.now();
  process.kill(pid, 'SIGTERM');
  await waitFor(
    async () => {
      try {
        process.kill(pid, 0);
        return { done: false, seen: `pid ${pid} alive` };
      } catch {
        return { done: true, seen: 'gone' };
      }
    },
    { what: 'kube-apiserver to exit', timeoutMs: 60_000, intervalMs: 100 },
  );
  const nodes = (await clusterEnv())['CLUSTER_NODES'] as NodeTiers;
  await ensureCluster({ nodes });
  return Date.now() - started;
}

describe('Given a release in its pre-promotion analysis', () => {
  it('When kube-apiserver restarts, Then the release finishes with exactly one switch and no request fails', async () => {
    const from = load.samples.length;
    await kube.patchBgsSpec(ns, name, { template: authTemplate('v2') });
    await steps.then.status(name, 'analysing green', (s) => s.phase === 'Analyzing');
    const downMs = await restartApiServer();
    console.log(`kube-apiserver down and back in ${downMs} ms`);
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
