// The Reconciler against in-memory ports (the simulation's SimCluster), in the spirit of
// sample-controller's syncHandler tests: assert the calls that matter, and their order only
// where order is a safety property (a traffic move starts after what it depends on was accepted).
import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ApiError } from '../k8s/request.ts';
import { TerminalError } from '../runtime/runner.ts';
import { NS, SimCluster } from '../../../test/sim/cluster.ts';
import { simBgs, settle, type Config } from '../../../test/sim/scenario.ts';
import { SimOperator } from '../../../test/sim/world.ts';

const cfg: Config = {
  steady: false,
  replicas: 2,
  previewReplicas: undefined,
  auto: true,
  pre: undefined,
  post: undefined,
  scaleDownDelaySeconds: 30,
  progressDeadlineSeconds: 600,
  rival: false,
  canary: undefined,
};

/** A cluster where `shop` has converged: blue serves app:v1. */
async function steadyShop(): Promise<{ cluster: SimCluster; op: SimOperator }> {
  const cluster = new SimCluster();
  cluster.putBgs(simBgs('shop', cfg, { image: 'app:v1', activeColor: undefined, replicas: 2 }));
  const op = new SimOperator(cluster);
  for (let i = 0; i < 6; i++) {
    await op.reconcile('shop');
    settle(cluster, op);
  }
  expect(cluster.bgs.get('shop')?.status?.phase).toBe('Healthy');
  return { cluster, op };
}

describe('Reconciler', () => {
  it('Given a steady state, When reconciled again, Then it writes nothing (not even status)', async () => {
    const { cluster, op } = await steadyShop();
    const before = cluster.writes.length;
    await op.reconcile('shop');
    expect(cluster.writes.slice(before)).toEqual([]);
  });

  it('Given a promotion in the same plan as a write it depends on, Then the switch starts after that write was accepted', async () => {
    const { cluster, op } = await steadyShop();
    const manual = { ...cfg, auto: false };
    cluster.putBgs(simBgs('shop', manual, { image: 'app:v2', activeColor: undefined, replicas: 2 }));
    for (let i = 0; i < 6; i++) {
      op.syncAll();
      await op.reconcile('shop');
      settle(cluster, op);
    }
    expect(cluster.bgs.get('shop')?.status?.phase).toBe('AwaitingPromotion');
    // green's per-colour Service is gone (its EndpointSlices are still cached), and the user promotes.
    cluster.deleteService('shop-green-endpoints');
    op.sync('services');
    cluster.putBgs(simBgs('shop', manual, { image: 'app:v2', activeColor: 'green', replicas: 2 }));
    op.sync('bgs');
    const order: string[] = [];
    const apply = cluster.apply.bind(cluster);
    cluster.apply = async <T extends KubernetesObject>(obj: T): Promise<T> => {
      order.push(`start ${obj.metadata?.name}`);
      await Promise.resolve(); // let a concurrent write start meanwhile, if the reconciler allowed one
      const out = await apply(obj);
      order.push(`done ${obj.metadata?.name}`);
      return out;
    };
    await op.reconcile('shop');
    expect(order).toEqual(['start shop-green-endpoints', 'done shop-green-endpoints', 'start shop', 'done shop']);
  });

  it('Given the API server refuses a Deployment (admission webhook), Then status names it and the error is retried (safety item 7: it was retried silently with a frozen status)', async () => {
    const { cluster, op } = await steadyShop();
    cluster.putBgs(simBgs('shop', cfg, { image: 'app:v2', activeColor: undefined, replicas: 2 }));
    op.syncAll();
    cluster.faults.push('none', 'invalid'); // the kept template copy goes through, the Deployment is refused
    const errorsBefore = op.errors.length;
    await op.reconcile('shop');
    expect(op.errors.length).toBe(errorsBefore + 1);
    const status = cluster.bgs.get('shop')!.status!;
    expect(status.phase).toBe('Degraded');
    expect(status.message).toContain('the API server refused Deployment shop-green');
    expect(status.message).toContain('admission webhook denied it');
    expect(status.conditions?.find((c) => c.type === 'Ready')?.status).toBe('False');
    expect(status.activeColor).toBe('blue');
  });

  it('Given a namespace being deleted, Then the reconcile ends with a TerminalError (no retries)', async () => {
    const { cluster, op } = await steadyShop();
    cluster.putBgs(simBgs('shop', cfg, { image: 'app:v2', activeColor: undefined, replicas: 2 }));
    op.syncAll();
    cluster.apply = () =>
      Promise.reject(
        new ApiError(`unable to create new content in namespace ${NS} because it is being terminated`, 403),
      );
    const err = await op.reconcileRaw('shop').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TerminalError);
  });

  it('Given a pre-promotion analysis whose headers Secret is missing, Then the round is Inconclusive naming the Secret', async () => {
    const { cluster, op } = await steadyShop();
    const withAnalysis = simBgs(
      'shop',
      { ...cfg, pre: { count: 1, failureLimit: 0, inconclusiveLimit: 0 } },
      {
        image: 'app:v2',
        activeColor: undefined,
        replicas: 2,
      },
    );
    withAnalysis.spec.analysis!.prometheus!.headersSecretRef = { name: 'prom-auth' };
    cluster.putBgs(withAnalysis);
    for (let i = 0; i < 6; i++) {
      op.syncAll();
      await op.reconcile('shop');
      settle(cluster, op);
    }
    const analysis = cluster.bgs.get('shop')!.status!.analysis!;
    expect(analysis.phase).toBe('Inconclusive');
    expect(analysis.measurements[0]?.message).toContain('headers Secret sim/prom-auth');
    expect(cluster.answers).toEqual([]);
  });

  it('Given a release in flight, Then the requeue is the planned timer, capped at the in-flight resync', async () => {
    const { cluster, op } = await steadyShop();
    cluster.putBgs(simBgs('shop', cfg, { image: 'app:v2', activeColor: undefined, replicas: 2 }));
    op.syncAll();
    const result = await op.reconcile('shop');
    expect(result?.requeueAfterMs).toBe(30_000);
  });
});
