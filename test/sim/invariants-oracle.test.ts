// The blue-green invariants the soaks refined (per-revision flap keys, answers for the pods that
// run) still fail on what they exist to catch: each row writes through the simulated API server
// what the operator must never do and checks the invariant names it.
import { describe, expect, it } from 'vitest';
import type { Color } from '../../operator/src/api/constants.ts';
import { revisionOf } from '../../operator/src/api/revision.ts';
import { desiredActiveService, desiredDeployment } from '../../operator/src/planner/desired.ts';
import { NS, SimCluster } from './cluster.ts';
import { Invariants } from './invariants.ts';
import { type Config, MAIN, simBgs } from './scenario.ts';

const cfg: Config = {
  replicas: 1,
  previewReplicas: undefined,
  auto: true,
  pre: { count: 1, failureLimit: 0, inconclusiveLimit: 0 },
  post: undefined,
  scaleDownDelaySeconds: 30,
  progressDeadlineSeconds: 0,
  rival: false,
  steady: false,
  canary: undefined,
};

/** Blue serves app:v1 through the active Service; the template is app:v2, which green runs (1 ready pod). */
function world() {
  const cluster = new SimCluster();
  const bgs = simBgs(MAIN, cfg, { image: 'app:v2', activeColor: undefined, replicas: 1 });
  cluster.putBgs(bgs);
  const v1 = {
    ...bgs,
    spec: {
      ...bgs.spec,
      template: simBgs(MAIN, cfg, { image: 'app:v1', activeColor: undefined, replicas: 1 }).spec.template,
    },
  };
  const put = (color: Color, b: typeof bgs) => {
    const d = desiredDeployment(b, color, 1, revisionOf(b.spec.template));
    cluster.deployments.set(d.metadata!.name!, d);
    cluster.pods.set(d.metadata!.name!, [{ revision: revisionOf(b.spec.template), ready: true, crashing: false }]);
  };
  put('blue', v1);
  put('green', bgs);
  cluster.services.set(MAIN, desiredActiveService(bgs, 'blue'));
  const inv = new Invariants(cluster, cfg, (name) => cluster.bgs.get(name));
  cluster.reconciling = MAIN;
  const switchTo = async (color: Color) => {
    await cluster.patchServiceSelector(NS, MAIN, { 'bluegreen.dev/color': color }, [], { labels: {}, annotations: {} });
    inv.afterCommand({ do: 'reconcile' });
  };
  const scaleGreen = async (replicas: number) => {
    await cluster.scaleDeployment(NS, `${MAIN}-green`, replicas);
    inv.afterCommand({ do: 'reconcile' });
  };
  const answer = () => {
    cluster.answers.push({
      step: cluster.step,
      stage: 'pre',
      color: 'green',
      revision: revisionOf(bgs.spec.template),
      answer: 'good',
    });
  };
  return { cluster, inv, switchTo, scaleGreen, answer };
}

describe('simulation invariants: what the soaks refined still fails', () => {
  it('Given a good answer for green, When its pods are scaled to 0 and up again and it is promoted, Then no answer counts', async () => {
    const { cluster, inv, switchTo, scaleGreen, answer } = world();
    answer();
    cluster.step++;
    await scaleGreen(0);
    cluster.step++;
    await scaleGreen(1);
    await switchTo('green');
    expect(inv.violations.join('\n')).toContain('auto-promoted green');
  });

  it('Given a good answer for the pods green runs, When it is promoted, Then no invariant fails', async () => {
    const { cluster, inv, switchTo, answer } = world();
    answer();
    cluster.step++;
    await switchTo('green');
    expect(inv.violations).toEqual([]);
  });

  it('Given the active Service on blue, When it goes to green and back to green at the same revisions without an input, Then it is a flap', async () => {
    const { cluster, inv, switchTo, answer } = world();
    answer();
    for (const color of ['green', 'blue', 'green'] as const) {
      cluster.step++;
      await switchTo(color);
    }
    expect(inv.violations.join('\n')).toContain('Service shop colour went back to green at');
  });

  it('Given green rolled back automatically, When it is switched to again with the same pods, Then it is an aborted revision auto-promoted', async () => {
    const { cluster, inv, switchTo, answer } = world();
    answer();
    for (const color of ['green', 'blue'] as const) {
      cluster.step++;
      await switchTo(color);
    }
    cluster.step++;
    cluster.answers.push({ step: cluster.step, stage: 'post', color: 'green', revision: 'x', answer: 'bad' });
    await switchTo('green');
    expect(inv.violations.join('\n')).toContain('again after rolling it back');
  });
});
