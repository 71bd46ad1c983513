// Every promise of the contract oracle fails on a planted violation, and every id has a row: an
// oracle that cannot see the harm it names is not a check. Relaxation rows (docs/adr/0023) show
// the narrower rule still catches the harm it must.
import { appendFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_PROMISE_IDS } from './all.ts';
import { NS } from '../cluster.ts';
import { OWNER, V1, V2, type World, world, writes } from './planted.ts';

const ACTIVE = OWNER;
const PREVIEW = `${OWNER}-preview`;
const good = (w: World, n = 1) => {
  for (let i = 0; i < n; i++) w.answer('pre', 'green', V2, true);
};

interface Row {
  id: string;
  name: string;
  run: () => Promise<string[]>;
}

const rows: Row[] = [
  {
    id: 'ready-before-traffic',
    name: 'the active Service switched to green while its only pod is not ready',
    run: async () => {
      const w = world();
      good(w);
      await w.input((c) => (c.pods.get(`${OWNER}-green`)![0]!.ready = false));
      return w.pass(writes.select(ACTIVE, 'green'));
    },
  },
  {
    id: 'ready-before-traffic',
    name: 'relaxation R1 still fails: the preview Service moved to a colour with no ready pod',
    run: async () => {
      const w = world();
      await w.pass(writes.select(PREVIEW, 'blue'));
      await w.input((c) => (c.pods.get(`${OWNER}-green`)![0]!.ready = false));
      return w.pass(writes.select(PREVIEW, 'green'));
    },
  },
  {
    id: 'ready-before-traffic',
    name: 'relaxation R2 still fails: a narrowing that is no abort onto a stable colour short of ready pods',
    run: async () => {
      const w = world({ replicas: 2, canary: { steps: [{ setWeight: 50 }] } }, { blue: 2, green: 2 });
      good(w);
      await w.pass(writes.select(ACTIVE, 'both'));
      await w.input((c) => (c.pods.get(`${OWNER}-blue`)![0]!.ready = false));
      return w.pass(writes.select(ACTIVE, 'blue'));
    },
  },
  {
    id: 'serving-template-kept',
    name: 'the live colour blue rewritten to the new template',
    run: async () => world().pass(writes.deploy('blue', V2, 1)),
  },
  {
    id: 'serving-capacity-kept',
    name: 'the live colour scaled to 0',
    run: async () => world().pass(writes.scale('blue', 0)),
  },
  {
    id: 'serving-capacity-kept',
    name: 'the stable colour scaled below spec.replicas while both colours serve',
    run: async () => {
      const w = world({ replicas: 2, canary: { steps: [{ setWeight: 50 }] } }, { blue: 2, green: 2 });
      good(w);
      await w.pass(writes.select(ACTIVE, 'both'));
      return w.pass(writes.scale('blue', 1));
    },
  },
  {
    id: 'rollback-kept-while-live-short',
    name: 'the previous colour scaled to 0 while the live one lost its only ready pod',
    run: async () => {
      const w = world();
      good(w);
      await w.pass(writes.select(ACTIVE, 'green'));
      await w.input((c) => (c.pods.get(`${OWNER}-green`)![0]!.ready = false));
      return w.pass(writes.scale('blue', 0));
    },
  },
  {
    id: 'live-recreated-at-its-revision',
    name: 'the deleted live Deployment re-created with the unpromoted template',
    run: async () => {
      const w = world();
      await w.input((c) => c.deleteDeployment(`${OWNER}-blue`));
      return w.pass(writes.deploy('blue', V2, 1));
    },
  },
  {
    id: 'live-recreated-at-its-revision',
    name: 'relaxation R5 still fails: the active Service gone, status still records blue live, blue re-created with the template',
    run: async () => {
      const w = world();
      w.setStatus({
        activeColor: 'blue',
        colors: { blue: { revision: V1, images: ['app:v1'], replicas: 1, readyEndpoints: 1 } },
      });
      await w.input((c) => {
        c.deleteDeployment(`${OWNER}-blue`);
        c.deleteService(ACTIVE);
      });
      return w.pass(writes.deploy('blue', V2, 1));
    },
  },
  {
    id: 'automatic-moves-earned',
    name: 'a switch without the pre-promotion answers its count needs',
    run: async () => {
      const w = world({
        analysis: { prometheus: { address: 'http://p' }, prePromotion: { count: 2, metrics: [] } },
      });
      good(w, 1);
      return w.pass(writes.select(ACTIVE, 'green'));
    },
  },
  {
    id: 'automatic-moves-earned',
    name: 'a switch on its own with promotion.auto false and no pin',
    run: async () => {
      const w = world({ promotion: { auto: false } });
      return w.pass(writes.select(ACTIVE, 'green'));
    },
  },
  {
    id: 'automatic-moves-earned',
    name: 'a switch after a canary whose step analysis had no good answer',
    run: async () => {
      const w = world({
        canary: { steps: [{ setWeight: 50, analysis: { count: 1, metrics: [] } }] },
        analysis: { prometheus: { address: 'http://p' } },
      });
      await w.pass(writes.select(ACTIVE, 'both'));
      return w.pass(writes.select(ACTIVE, 'green'));
    },
  },
  {
    id: 'automatic-moves-earned',
    name: 'green given traffic again after a narrowing aborted it, with the same template',
    run: async () => {
      const w = world({ canary: { steps: [{ setWeight: 50 }] } });
      await w.pass(writes.select(ACTIVE, 'both'));
      await w.pass(writes.select(ACTIVE, 'blue', V2));
      return w.pass(writes.select(ACTIVE, 'both'));
    },
  },
  {
    id: 'automatic-moves-earned',
    name: 'a rollback onto the revision that was rolled back, after the template was reverted to the live one (issue 18 item 1)',
    run: async () => {
      const w = world();
      good(w);
      await w.pass(writes.select(ACTIVE, 'green'));
      w.answer('post', 'green', V2, false);
      await w.pass(writes.select(ACTIVE, 'blue', V2));
      // The user reverts the template to v1 (blue); blue then loses a pod.
      await w.input((c, spec) => {
        spec.template = { ...spec.template, spec: { containers: [{ name: 'app', image: 'app:v1' }] } };
        c.pods.get(`${OWNER}-blue`)![0]!.ready = false;
      });
      return w.pass(writes.select(ACTIVE, 'green'));
    },
  },
  {
    id: 'automatic-moves-earned',
    name: 'traffic moved to a revision that is neither the template nor the one live before',
    run: async () => {
      const w = world();
      await w.input(
        (c) =>
          (c.deployments.get(`${OWNER}-green`)!.spec!.template.metadata!.labels!['bluegreen.dev/revision'] = 'other'),
      );
      await w.input((c) => (c.pods.get(`${OWNER}-green`)![0]!.revision = 'other'));
      return w.pass(writes.select(ACTIVE, 'green'));
    },
  },
  {
    id: 'pin-obeyed',
    name: 'a switch to green while spec.activeColor pins blue',
    run: async () => {
      const w = world();
      good(w);
      await w.input((_c, spec) => (spec.activeColor = 'blue'));
      return w.pass(writes.select(ACTIVE, 'green'));
    },
  },
  {
    id: 'pin-obeyed',
    name: 'a widening while spec.activeColor pins the stable colour',
    run: async () => {
      const w = world({ canary: { steps: [{ setWeight: 50 }] } });
      await w.input((_c, spec) => (spec.activeColor = 'blue'));
      return w.pass(writes.select(ACTIVE, 'both'));
    },
  },
  {
    id: 'pin-obeyed',
    name: 'relaxation R6 still fails: a narrowing away from the pinned canary colour that already runs the template',
    run: async () => {
      const w = world({ canary: { steps: [{ setWeight: 50 }] } });
      await w.pass(writes.select(ACTIVE, 'both'));
      await w.input((_c, spec) => (spec.activeColor = 'green'));
      return w.pass(writes.select(ACTIVE, 'blue'));
    },
  },
  {
    id: 'own-services-only',
    name: 'a Service another BlueGreenService serves is rewritten',
    run: async () => {
      const w = world();
      await w.input((c) =>
        c.services.set('front', {
          ...c.services.get(ACTIVE)!,
          metadata: { name: 'front', namespace: NS },
          spec: { selector: { 'bluegreen.dev/service': 'rival', 'bluegreen.dev/color': 'blue' } },
        }),
      );
      return w.pass(writes.select('front', 'blue'));
    },
  },
  {
    id: 'canary-only-when-asked',
    name: 'both colours selected without spec.canary',
    run: async () => {
      const w = world();
      good(w);
      return w.pass(writes.select(ACTIVE, 'both'));
    },
  },
  {
    id: 'canary-only-when-asked',
    name: 'relaxation R7 still fails: a route raised without spec.canary.trafficRouting',
    run: async () => {
      const w = world();
      await w.input((c) =>
        c.routes.set(`${OWNER}-route`, {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: `${OWNER}-route`, namespace: NS },
          spec: {
            rules: [
              {
                backendRefs: [
                  { name: ACTIVE, weight: 100 },
                  { name: PREVIEW, weight: 0 },
                ],
              },
            ],
          },
        }),
      );
      return w.pass((c) =>
        c.patchHTTPRoute(NS, `${OWNER}-route`, [{ op: 'add', path: '/spec/rules/0/backendRefs/1/weight', value: 10 }]),
      );
    },
  },
  {
    id: 'no-flap',
    name: 'the active Service goes green, blue, green with nothing in between',
    run: async () => {
      const w = world();
      good(w);
      await w.pass(writes.select(ACTIVE, 'green'));
      await w.pass(writes.select(ACTIVE, 'blue'));
      return w.pass(writes.select(ACTIVE, 'green'));
    },
  },
  {
    id: 'abort-takes-traffic-back',
    name: 'status records the canary aborted while the Service still selects both colours',
    run: async () => {
      const w = world({ canary: { steps: [{ setWeight: 50 }] } });
      await w.pass(writes.select(ACTIVE, 'both'));
      w.setStatus({
        activeColor: 'blue',
        canary: {
          revision: V2,
          color: 'green',
          currentStepIndex: 0,
          weight: 50,
          canaryReplicas: 1,
          stableReplicas: 1,
          achievedShare: 50,
          aborted: true,
        },
      });
      return w.pass(async () => undefined);
    },
  },
  {
    id: 'step-completes-while-serving',
    name: 'status moves a canary to its next step while the canary has no ready pod',
    run: async () => {
      const w = world({ canary: { steps: [{ setWeight: 10 }, { setWeight: 50 }] } });
      const canary = (index: number) => ({
        revision: V2,
        color: 'green' as const,
        currentStepIndex: index,
        weight: 10,
        canaryReplicas: 1,
        stableReplicas: 1,
        achievedShare: 50,
      });
      w.setStatus({ activeColor: 'blue', canary: canary(0) });
      await w.pass(writes.select(ACTIVE, 'both'));
      await w.input((c) => (c.pods.get(`${OWNER}-green`)![0]!.ready = false));
      return w.pass((c) => c.applyStatus(c.bgs.get(OWNER)!, { activeColor: 'blue', canary: canary(1) }));
    },
  },
  {
    id: 'abort-takes-traffic-back',
    name: 'relaxation R9 still fails: a canary recorded aborted while the route still weighs it and status reports no unusable route',
    run: async () => {
      const w = world({ canary: { steps: [{ setWeight: 10 }] } });
      await w.input((c) => {
        c.routes.set(`${OWNER}-route`, {
          apiVersion: 'gateway.networking.k8s.io/v1',
          kind: 'HTTPRoute',
          metadata: { name: `${OWNER}-route`, namespace: NS },
          spec: {
            rules: [
              {
                backendRefs: [
                  { name: ACTIVE, weight: 90 },
                  { name: PREVIEW, weight: 10 },
                ],
              },
            ],
          },
        });
      });
      w.setStatus({
        activeColor: 'blue',
        canary: {
          revision: V2,
          color: 'green',
          currentStepIndex: 0,
          weight: 10,
          canaryReplicas: 1,
          stableReplicas: 1,
          achievedShare: 10,
          aborted: true,
        },
      });
      return w.pass(async () => undefined);
    },
  },
];

describe('the contract oracle: every promise fails on its planted violation', () => {
  it.each(rows)('[$id] Given $name, Then the oracle names the promise', async ({ id, run }) => {
    const violations = await run();
    if (process.env['SHOW_PLANTED']) appendFileSync(process.env['SHOW_PLANTED'], `${id}: ${violations.join(' / ')}\n`);
    expect(violations.join('\n')).toContain(`[${id}]`);
  });

  it('Then every promise id has at least one planted row', () => {
    const planted = new Set(rows.map((r) => r.id));
    expect(ALL_PROMISE_IDS.filter((id) => !planted.has(id))).toEqual([]);
  });
});

describe('the contract oracle: relaxation R8', () => {
  it('Given spec.canary removed mid-canary, When the canary is narrowed away and the release then switched, Then nothing fails', async () => {
    const w = world({ canary: { steps: [{ setWeight: 50 }] } });
    await w.pass(writes.select(ACTIVE, 'both'));
    await w.input((_c, spec) => delete spec.canary);
    expect(await w.pass(writes.select(ACTIVE, 'blue'))).toEqual([]);
    expect(await w.pass(writes.select(ACTIVE, 'green'))).toEqual([]);
  });
});

describe('the contract oracle: what the contract allows passes', () => {
  it('Given green ready with its pre-promotion answer, When it is promoted, Then nothing fails', async () => {
    const w = world({ analysis: { prometheus: { address: 'http://p' }, prePromotion: { count: 1, metrics: [] } } });
    good(w);
    expect(await w.pass(writes.select(ACTIVE, 'green'))).toEqual([]);
  });

  it('Given a canary aborted by its verdict, When the Service narrows onto one ready stable pod of two, Then nothing fails (R2)', async () => {
    const w = world({ replicas: 2, canary: { steps: [{ setWeight: 50 }] } }, { blue: 2, green: 2 });
    await w.pass(writes.select(ACTIVE, 'both'));
    await w.input((c) => (c.pods.get(`${OWNER}-blue`)![0]!.ready = false));
    expect(await w.pass(writes.select(ACTIVE, 'blue', V2))).toEqual([]);
  });

  it('Given a post-promotion failure, When traffic goes back to blue, Then the rollback is no flap', async () => {
    const w = world();
    good(w);
    await w.pass(writes.select(ACTIVE, 'green'));
    w.answer('post', 'green', V2, false);
    expect(await w.pass(writes.select(ACTIVE, 'blue', V2))).toEqual([]);
  });
});
