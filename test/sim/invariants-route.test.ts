// The gateway invariants of the simulation (docs/adr/0017) can fail: each row puts the simulated
// cluster in a state the operator must never produce and checks the invariant names it.
import { describe, expect, it } from 'vitest';
import { desiredActiveService, desiredDeployment, desiredPreviewService } from '../../operator/src/planner/desired.ts';
import { NS, SimCluster } from './cluster.ts';
import { Invariants } from './invariants.ts';
import { type Config, MAIN, ROUTE, simBgs, simRoute } from './scenario.ts';
import { revisionOf } from '../../operator/src/api/revision.ts';

const cfg: Config = {
  replicas: 2,
  previewReplicas: undefined,
  auto: false,
  pre: undefined,
  post: undefined,
  scaleDownDelaySeconds: 30,
  progressDeadlineSeconds: 0,
  rival: false,
  steady: false,
  canary: { weights: [10, 50], pause: 'none', analysis: undefined, gateway: true },
};

/** Green runs v2 with `ready` of 1 pod ready, behind the preview Service; the route at 0 %. */
function world(ready: boolean) {
  const cluster = new SimCluster();
  const bgs = simBgs(MAIN, cfg, { image: 'app:v2', activeColor: undefined, replicas: 2 });
  cluster.putBgs(bgs);
  cluster.routes.set(ROUTE, simRoute(cfg));
  const green = desiredDeployment(bgs, 'green', 1, revisionOf(bgs.spec.template));
  cluster.deployments.set(green.metadata!.name!, green);
  cluster.pods.set(green.metadata!.name!, [{ revision: revisionOf(bgs.spec.template), ready, crashing: false }]);
  cluster.services.set(`${MAIN}-preview`, desiredPreviewService(bgs, 'green'));
  const inv = new Invariants(cluster, cfg, (name) => cluster.bgs.get(name));
  return { cluster, inv };
}

const patchTo = (weight: number) => [
  { op: 'add' as const, path: '/spec/rules/0/backendRefs/0/weight', value: 100 - weight },
  { op: 'add' as const, path: '/spec/rules/0/backendRefs/1/weight', value: weight },
];

describe('simulation invariants: HTTPRoute weights', () => {
  it('Given green without a ready pod, When the route is raised onto it, Then the invariant fails naming it', async () => {
    const { cluster, inv } = world(false);
    cluster.reconciling = MAIN;
    await cluster.patchHTTPRoute(NS, ROUTE, patchTo(10));
    inv.afterCommand({ do: 'reconcile' });
    expect(inv.violations.join('\n')).toContain('set 10% on green with no ready pod');
  });

  it('Given green ready, When the route is raised onto it, Then no invariant fails', async () => {
    const { cluster, inv } = world(true);
    cluster.reconciling = MAIN;
    await cluster.patchHTTPRoute(NS, ROUTE, patchTo(10));
    inv.afterCommand({ do: 'reconcile' });
    expect(inv.violations).toEqual([]);
  });

  it('Given an aborted canary in status, When the route still weighs the preview, Then the invariant fails', async () => {
    const { cluster, inv } = world(true);
    cluster.reconciling = MAIN;
    await cluster.patchHTTPRoute(NS, ROUTE, patchTo(10));
    const b = cluster.bgs.get(MAIN)!;
    const revision = revisionOf(b.spec.template);
    b.status = {
      canary: {
        revision,
        color: 'green',
        currentStepIndex: 0,
        weight: 10,
        canaryReplicas: 1,
        stableReplicas: 2,
        achievedShare: 10,
        aborted: true,
      },
    };
    inv.afterCommand({ do: 'reconcile' });
    expect(inv.violations.join('\n')).toContain('recorded aborted while HTTPRoute shop-route sends the preview 10%');
  });

  it('Given the route weighing green, When it goes 10 -> 50 -> 10 without an input, Then it is a flap', async () => {
    const { cluster, inv } = world(true);
    cluster.reconciling = MAIN;
    for (const w of [10, 50, 10]) {
      await cluster.patchHTTPRoute(NS, ROUTE, patchTo(w));
      inv.afterCommand({ do: 'reconcile' });
    }
    expect(inv.violations.join('\n')).toContain('canary weight went back to 10');
  });

  it('Given the route weighing green, When it goes 0 -> 75, green becomes active, then 0, Then it is no flap (soak seed 20261206)', async () => {
    const { cluster, inv } = world(true);
    cluster.reconciling = MAIN;
    for (const w of [0, 75]) {
      await cluster.patchHTTPRoute(NS, ROUTE, patchTo(w));
      inv.afterCommand({ do: 'reconcile' });
    }
    const bgs = cluster.bgs.get(MAIN)!;
    cluster.services.set(MAIN, desiredActiveService(bgs, 'green'));
    await cluster.patchHTTPRoute(NS, ROUTE, patchTo(0));
    inv.afterCommand({ do: 'reconcile' });
    expect(inv.violations).toEqual([]);
  });
});
