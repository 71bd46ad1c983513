// The Reconciler with a gateway canary (docs/adr/0017) against the simulation's in-memory
// cluster: the route is read fresh, written with a JSON patch whose test ops the cluster checks,
// and a concurrent edit of the entries or a refused read end as the ADR says.
import { describe, expect, it } from 'vitest';
import { ApiError } from '../k8s/request.ts';
import { SimCluster } from '../../../test/sim/cluster.ts';
import { ROUTE, simBgs, simRoute, settle, type Config } from '../../../test/sim/scenario.ts';
import { SimOperator } from '../../../test/sim/world.ts';
import type { HTTPRouteLike } from '../api/httproute.ts';

const cfg: Config = {
  steady: false,
  replicas: 4,
  previewReplicas: undefined,
  auto: true,
  pre: undefined,
  post: undefined,
  scaleDownDelaySeconds: 30,
  progressDeadlineSeconds: 600,
  rival: false,
  canary: { weights: [10, 50], pause: 30, analysis: undefined, gateway: true },
};
const weights = (r: HTTPRouteLike | undefined) => r?.spec?.rules?.[0]?.backendRefs?.map((b) => `${b.name}=${b.weight}`);

/** `shop` converged on app:v1 with its route at 100/0; then app:v2 is applied. */
async function releasing(): Promise<{ cluster: SimCluster; op: SimOperator }> {
  const cluster = new SimCluster();
  cluster.routes.set(ROUTE, simRoute(cfg));
  cluster.putBgs(simBgs('shop', cfg, { image: 'app:v1', activeColor: undefined, replicas: 4 }));
  const op = new SimOperator(cluster);
  for (let i = 0; i < 6; i++) {
    await op.reconcile('shop');
    settle(cluster, op);
  }
  expect(cluster.bgs.get('shop')?.status?.phase).toBe('Healthy');
  cluster.putBgs(simBgs('shop', cfg, { image: 'app:v2', activeColor: undefined, replicas: 4 }));
  op.syncAll();
  return { cluster, op };
}

/** Reconcile and settle until `done`, at most `passes` times (time moves 31 s a pass: the pauses end). */
async function until(cluster: SimCluster, op: SimOperator, done: () => boolean, passes = 20): Promise<void> {
  for (let i = 0; i < passes && !done(); i++) {
    await op.reconcile('shop');
    settle(cluster, op);
    cluster.now += 31_000;
  }
}

describe('Reconciler with an HTTPRoute canary', () => {
  it('Given a release, Then the route carries 10 %, then 50 %, and 100/0 once green is live', async () => {
    const { cluster, op } = await releasing();
    const seen: string[] = [];
    await until(
      cluster,
      op,
      () => {
        const w = weights(cluster.routes.get(ROUTE))!.join(',');
        if (seen.at(-1) !== w) seen.push(w);
        const s = cluster.bgs.get('shop')!.status!;
        return s.activeColor === 'green' && w === 'shop=100,shop-preview=0';
      },
      40,
    );
    expect(seen).toEqual([
      'shop=100,shop-preview=0',
      'shop=90,shop-preview=10',
      'shop=50,shop-preview=50',
      'shop=100,shop-preview=0',
    ]);
    // The active Service never selected both colours in this mode.
    const selectors = cluster.writes
      .filter((w) => w.kind === 'Service' && w.name === 'shop')
      .map((w) => (w.after as { spec?: { selector?: Record<string, string> } }).spec?.selector ?? {});
    expect(selectors.length).toBeGreaterThan(0);
    expect(selectors.filter((sel) => !('bluegreen.dev/color' in sel))).toEqual([]);
  });

  it('Given a user reorders the backendRefs between the read and the write, Then the test op refuses the patch, nothing is reported as refused, and the next pass writes the right entries', async () => {
    const { cluster, op } = await releasing();
    await until(
      cluster,
      op,
      () => cluster.bgs.get('shop')?.status?.canary?.canaryReplicas === 1 && cluster.readyPods('shop-green') === 1,
    );
    // The next read returns the route as it was; right after it, the user swaps the two entries.
    const read = cluster.getHTTPRoute.bind(cluster);
    let swapped = false;
    cluster.getHTTPRoute = async (ns, name) => {
      const r = await read(ns, name);
      if (!swapped) {
        swapped = true;
        const stored = cluster.routes.get(ROUTE)!;
        stored.spec!.rules![0]!.backendRefs!.reverse();
      }
      return r;
    };
    op.syncAll();
    await op.reconcile('shop');
    expect(op.errors.at(-1)).toMatch(/testing value .* failed/);
    expect(cluster.bgs.get('shop')!.status!.conditions?.find((c) => c.type === 'Degraded')?.reason).not.toBe(
      'ApplyFailed',
    );
    expect(weights(cluster.routes.get(ROUTE))).toEqual(['shop-preview=0', 'shop=100']);
    await op.reconcile('shop');
    expect(weights(cluster.routes.get(ROUTE))).toEqual(['shop-preview=10', 'shop=90']);
  });

  it('Given the operator may not read the route (403), Then status names the field and the chart value, and nothing is written to it', async () => {
    const { cluster, op } = await releasing();
    cluster.getHTTPRoute = async () => {
      throw new ApiError('httproutes.gateway.networking.k8s.io "shop-route" is forbidden', 403, 'Forbidden');
    };
    await until(cluster, op, () => cluster.bgs.get('shop')?.status?.phase === 'Degraded');
    const s = cluster.bgs.get('shop')!.status!;
    expect(s.message).toContain('spec.canary.trafficRouting.gatewayAPI.httpRoute: the operator may not read HTTPRoute');
    expect(s.message).toContain('rbac.gatewayAPI=true');
    expect(cluster.writes.filter((w) => w.kind === 'HTTPRoute')).toEqual([]);
  });

  it('Given the preview Service deleted and the cache not told yet, When a step is due, Then no weight goes onto it (soak seed 20261218)', async () => {
    const { cluster, op } = await releasing();
    await until(
      cluster,
      op,
      () => cluster.bgs.get('shop')?.status?.canary?.canaryReplicas === 1 && cluster.readyPods('shop-green') === 1,
    );
    // Deleted in the API server only: the informers (op.syncAll) never hear of it in this test.
    cluster.deleteService('shop-preview');
    await op.reconcile('shop');
    expect(weights(cluster.routes.get(ROUTE))).toEqual(['shop=100', 'shop-preview=0']);
  });
});
