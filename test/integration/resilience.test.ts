// Crash and failover: an operator killed mid-release resumes and finishes; of two operator
// processes exactly one reconciles, and a SIGTERM hands the Lease over at once.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, type ClusterInfo } from '../cluster/harness.ts';
import { kwokBgs, templateWithImage } from '../../clusterkit/bgs.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import { waitFor } from '../../clusterkit/wait.ts';

let cluster: ClusterInfo;
let kube: TestKube;
const ns = `res-${Date.now().toString(36)}`;
const running: OperatorProcess[] = [];

function operator(name: string, port: number): OperatorProcess {
  const p = startOperator({ kubeconfig: cluster.kubeconfig, namespace: ns, name, port });
  running.push(p);
  return p;
}

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'kwok' });
  await installCrds(cluster);
  kube = new TestKube(cluster.kubeconfig);
  await kube.createNamespace(ns);
});

afterAll(async () => {
  await Promise.all(running.map((p) => p.stop('SIGKILL')));
  await kube?.deleteNamespace(ns);
});

const phaseOf = async (name: string) => {
  const s = (await kube.getBgs(ns, name)).status ?? {};
  return {
    phase: s.phase,
    active: s.activeColor,
    reason: s.conditions?.find((c) => c.type === 'Progressing')?.reason,
    message: s.message,
  };
};

const leaseHolder = async () =>
  (
    await kube.req<{ spec?: { holderIdentity?: string } }>(
      'GET',
      `/apis/coordination.k8s.io/v1/namespaces/${ns}/leases/bluegreen-operator`,
    )
  ).spec?.holderIdentity;

describe('Given two operator processes with leader election', () => {
  it('Then exactly one holds the Lease and reconciles; SIGTERM hands over to the other', async () => {
    const a = operator('op-a', 18091);
    const b = operator('op-b', 18092);
    const first = await waitFor(
      async () => {
        const h = await leaseHolder();
        return { done: h === 'op-a' || h === 'op-b', seen: h };
      },
      { what: 'a lease holder' },
    );
    const [leader, standby] = first === 'op-a' ? [a, b] : [b, a];
    await kube.createBgs(kwokBgs(ns, 'ha', 'app:v1'));
    await waitFor(async () => ({ done: (await phaseOf('ha')).phase === 'Healthy', seen: await phaseOf('ha') }), {
      what: 'ha Healthy',
      timeoutMs: 180_000,
    });
    const reconciled = (p: OperatorProcess) => p.logs.some((l) => l.includes('"msg":"reconciled"'));
    expect(reconciled(leader)).toBe(true);
    expect(reconciled(standby)).toBe(false);

    const handoverStart = Date.now();
    await leader.stop('SIGTERM');
    await waitFor(
      async () => {
        const h = await leaseHolder();
        return { done: h === standby.name, seen: h };
      },
      { what: `the standby ${standby.name} to take the Lease`, timeoutMs: 20_000 },
    );
    console.log(`leader handover after SIGTERM: ${Date.now() - handoverStart} ms`);
    await kube.patchBgsSpec(ns, 'ha', { replicas: 3 });
    await waitFor(
      async () => {
        const d = await kube.getDeployment(ns, 'ha-blue');
        return { done: d.spec?.replicas === 3, seen: d.spec?.replicas };
      },
      { what: 'the new leader to scale ha-blue to 3', timeoutMs: 120_000 },
    );
    await standby.stop('SIGTERM');
  });
});

describe('Given an operator killed in the middle of an automatic release', () => {
  it('Then a new operator resumes from status and finishes the promotion', async () => {
    const first = operator('op-c', 18093);
    const base = kwokBgs(ns, 'crash', 'app:v1', { promotion: { auto: true, delaySeconds: 4 } });
    await kube.createBgs(base);
    await waitFor(async () => ({ done: (await phaseOf('crash')).phase === 'Healthy', seen: await phaseOf('crash') }), {
      what: 'crash Healthy on blue',
      timeoutMs: 180_000,
    });
    await kube.patchBgsSpec(ns, 'crash', { template: templateWithImage(base, 'app:v2') });
    await waitFor(
      async () => {
        const s = await phaseOf('crash');
        return { done: s.reason === 'PromotionDelay', seen: s };
      },
      { what: 'the promotion delay to start', timeoutMs: 180_000 },
    );
    await first.stop('SIGKILL');
    expect(await kube.serviceColor(ns, 'crash')).toBe('blue');

    operator('op-d', 18094);
    await waitFor(
      async () => ({ done: (await kube.serviceColor(ns, 'crash')) === 'green', seen: await phaseOf('crash') }),
      { what: 'the restarted operator to promote green', timeoutMs: 180_000 },
    );
    const final = await waitFor(
      async () => {
        const s = await phaseOf('crash');
        return { done: s.phase === 'Healthy' && s.active === 'green', seen: s };
      },
      { what: 'Healthy on green', timeoutMs: 180_000 },
    );
    expect(final.active).toBe('green');
    // Events are written after the status, best effort and without blocking the reconcile:
    // Healthy can be visible a moment before its event is.
    const promotions = await waitFor(
      async () => {
        const seen = (await kube.events(ns)).filter((e) => e.reason === 'AutoPromotion');
        return { done: seen.length > 0, seen };
      },
      { what: 'the AutoPromotion event', timeoutMs: 30_000 },
    );
    expect(promotions).toHaveLength(1);
  });
});
