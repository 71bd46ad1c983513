// The status as generic Kubernetes tooling reads it, against a real API server with the CRD
// from crds/ and the operator as a real process (pods on kwok nodes): `kubectl explain` shows the
// status schema, `kubectl wait --for=condition=Ready` works (kstatus, Argo CD health and
// `kubectl wait` all read the Ready condition), `kubectl get bgs` prints the columns GUIDE.md
// promises, and a status field the API server would have pruned with a partial schema
// (previousColor) survives the round trip.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, type ClusterInfo } from '../cluster/harness.ts';
import { run } from '../cluster/run.ts';
import { kwokBgs, templateWithImage } from '../../clusterkit/bgs.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import { waitFor } from '../../clusterkit/wait.ts';

let cluster: ClusterInfo;
let kube: TestKube;
let operator: OperatorProcess;
const ns = `status-${Date.now().toString(36)}`;
const name = 'ready';
const base = kwokBgs(ns, name, 'app:v1');

const kubectl = (args: string[]) =>
  run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { timeoutMs: 240_000 });

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'kwok' });
  await installCrds(cluster);
  kube = new TestKube(cluster.kubeconfig);
  await kube.createNamespace(ns);
  // kubectl learns new resource types from its discovery cache, which may predate the CRD:
  // wait until `bgs` resolves (the API server serves it once the CRD is Established).
  await waitFor(
    async () => {
      const r = await kubectl(['explain', 'bgs.status']);
      return { done: r.code === 0, seen: r.stderr };
    },
    { what: 'kubectl to know bgs', timeoutMs: 60_000 },
  );
  operator = startOperator({
    kubeconfig: cluster.kubeconfig,
    namespace: ns,
    name: 'op-status',
    port: 18091,
    env: { LEADER_ELECTION: 'false' },
  });
});

afterAll(async () => {
  await operator?.stop();
  if (operator && process.env['KEEP_LOGS']) console.log(operator.logs.join('\n'));
  await kube?.deleteNamespace(ns);
});

describe('Given the CRD from crds/', () => {
  it.each([
    ['bgs.status.analysis', ['stage', 'revision', 'phase', 'passedRounds', 'measurements', 'startedAt']],
    ['bgs.status.analysis.measurements', ['metric', 'phase', 'value', 'at']],
    ['bgs.status.colors.blue', ['revision', 'images', 'replicas', 'readyEndpoints']],
    ['bgs.status.release', ['revision', 'color', 'startedAt', 'readyAt', 'promotingSince']],
    ['bgs.status.conditions', ['type', 'status', 'reason', 'message', 'lastTransitionTime', 'observedGeneration']],
  ])('When `kubectl explain %s` runs, it documents %j', async (path, fields) => {
    const r = await kubectl(['explain', path]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    for (const f of fields) expect(r.stdout, `${path}.${f}`).toMatch(new RegExp(`^\\s+${f}\\s+<`, 'm'));
  });
});

describe('Given a BlueGreenService the operator reconciles', () => {
  it('When it becomes Healthy, `kubectl wait --for=condition=Ready` returns and `kubectl get bgs` shows ACTIVE PREVIEW PHASE READY AGE', async () => {
    await kube.createBgs(base);
    const r = await kubectl(['wait', '-n', ns, '--for=condition=Ready', `bgs/${name}`, '--timeout=180s']);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('condition met');
    expect((await kube.getBgs(ns, name)).status?.phase).toBe('Healthy');
    const table = await kubectl(['get', 'bgs', name, '-n', ns]);
    expect(table.stdout.split('\n')[0]!.split(/\s+/).filter(Boolean)).toEqual([
      'NAME',
      'ACTIVE',
      'PREVIEW',
      'PHASE',
      'READY',
      'AGE',
    ]);
    expect(table.stdout).toMatch(new RegExp(`^${name}\\s+blue\\s+\\S*\\s*Healthy\\s+2/2\\s+`, 'm'));
  });

  it('When a release waits for promotion, Ready is False; when promoted, Ready again and previousColor kept by the API server', async () => {
    await kube.patchBgsSpec(ns, name, { template: templateWithImage(base, 'app:v2') });
    const notReady = await kubectl(['wait', '-n', ns, '--for=condition=Ready=false', `bgs/${name}`, '--timeout=180s']);
    expect(notReady.stdout).toContain('condition met');
    await waitFor(
      async () => {
        const s = (await kube.getBgs(ns, name)).status;
        return { done: s?.phase === 'AwaitingPromotion', seen: { phase: s?.phase, message: s?.message } };
      },
      { what: 'v2 awaiting promotion', timeoutMs: 180_000 },
    );
    await kube.patchBgsSpec(ns, name, { activeColor: 'green' });
    const ready = await kubectl(['wait', '-n', ns, '--for=condition=Ready', `bgs/${name}`, '--timeout=180s']);
    expect(ready.stdout).toContain('condition met');
    const status = (await kube.getBgs(ns, name)).status;
    expect(status).toMatchObject({ activeColor: 'green', previousColor: 'blue', phase: 'Healthy' });
    expect(status?.conditions?.find((c) => c.type === 'Ready')).toMatchObject({ status: 'True' });
  });
});
