// Canary steps with exact weights through the Gateway API (docs/adr/0017): the rows only this
// router has (the preview Service it weighs, the route's problems and patch, 0 onto a canary
// without ready pods, the reset after the switch). The rules every router shares run once per
// router in canary-routers.test.ts. Blue serves v1 (3 pods); the release v2 goes to green; the
// user's HTTPRoute `orders` weighs the active Service `orders` (stable) against the preview
// Service `orders-preview` (canary).
import { describe, expect, it } from 'vitest';
import type { BlueGreenServiceSpec, BlueGreenServiceStatus, CanaryStatus } from '../api/types.ts';
import { bgs, httpRoute, iso, observed, rev, summary, T0, template, type World } from './fixtures.ts';
import { plan } from './plan.ts';

const V1 = 'orders:v1';
const V2 = 'orders:v2';
const metric = { name: 'errors', query: 'x{color="{{color}}"}', max: 0.01 };
const canary: BlueGreenServiceSpec['canary'] = {
  steps: [
    { setWeight: 10, pause: { seconds: 60 } },
    { setWeight: 50, analysis: { intervalSeconds: 10, count: 1, metrics: [metric] } },
  ],
  trafficRouting: { gatewayAPI: { httpRoute: 'orders' } },
};
const v2 = { template: template(V2), canary, analysis: { prometheus: { address: 'http://prom:9090' } } };
const release = { revision: rev(V2), color: 'green' as const, startedAt: iso(T0 - 120_000), readyAt: iso(T0 - 90_000) };
const stable: BlueGreenServiceStatus = {
  activeColor: 'blue',
  lastSwitchTime: iso(T0 - 3_600_000),
  lastSwitchReason: 'InitialDeploy',
  release,
};
const at = (index: number, canaryReplicas: number, reachedMs?: number): CanaryStatus => ({
  revision: rev(V2),
  color: 'green',
  currentStepIndex: index,
  weight: index === 0 ? 10 : 50,
  canaryReplicas,
  stableReplicas: 3,
  achievedShare: 0,
  httpRoute: 'orders',
  ...(reachedMs !== undefined ? { stepReachedAt: iso(reachedMs) } : {}),
});
const blue = { image: V1, replicas: 3 };
const green = (replicas: number, ready = replicas) => ({ image: V2, replicas, ready });

interface Row {
  name: string;
  spec?: Partial<BlueGreenServiceSpec>;
  status?: BlueGreenServiceStatus;
  world: World;
  waves: string[];
  phase: string;
  step?: number;
  share?: number;
}

describe('canary through an HTTPRoute: steps', () => {
  const rows: Row[] = [
    {
      name: 'the preview Service still selects blue: no weight onto it (it would be blue traffic labelled canary)',
      spec: v2,
      status: { ...stable, canary: at(0, 1) },
      world: { blue, green: green(1), active: 'blue', preview: 'blue', route: 0 },
      waves: ['preview -> green'],
      phase: 'Progressing',
      step: 0,
    },
    {
      name: 'every green pod lost its readiness mid-step: the weight goes to 0 first (the gateway would answer 503)',
      spec: v2,
      status: { ...stable, canary: at(0, 1, T0 - 30_000) },
      world: { blue, green: green(1, 0), active: 'blue', preview: 'green', route: 10 },
      waves: ['route 0%'],
      phase: 'Progressing',
      step: 0,
      share: 0,
    },
    {
      name: 'the pass after the switch: both backends select green, the route goes back to 0 % (first), nothing scaled yet',
      spec: { ...v2, promotion: { auto: true } },
      status: { ...stable, activeColor: 'green', previousColor: 'blue', lastSwitchTime: iso(T0), release: undefined },
      world: { blue, green: green(3), active: 'green', preview: 'green', route: 50 },
      waves: ['route 0%'],
      phase: 'Healthy',
    },
  ];
  it.each(rows)('$name', (row) => {
    const p = plan(observed(bgs(row.spec, row.status), row.world));
    expect(summary(p)).toEqual(row.waves);
    expect(p.status.phase).toBe(row.phase);
    expect(p.status.canary?.currentStepIndex).toBe(row.step);
    if (row.share !== undefined) expect(p.status.canary?.achievedShare).toBe(row.share);
  });

  it('the route write changes only the two weights, each after a test of the entry it addresses', () => {
    const b = bgs(v2, { ...stable, canary: at(0, 1) });
    const p = plan(observed(b, { blue, green: green(1), active: 'blue', preview: 'green', route: 0 }));
    const write = p.waves.flat().find((a) => a.kind === 'setRouteWeights');
    expect(write).toMatchObject({ name: 'orders', canaryWeight: 10, lowers: false });
    expect(write?.kind === 'setRouteWeights' && write.patch).toEqual([
      { op: 'test', path: '/spec/rules/0/backendRefs/0/name', value: 'orders' },
      { op: 'add', path: '/spec/rules/0/backendRefs/0/weight', value: 90 },
      { op: 'test', path: '/spec/rules/0/backendRefs/1/name', value: 'orders-preview' },
      { op: 'add', path: '/spec/rules/0/backendRefs/1/weight', value: 10 },
    ]);
    expect(p.status.canary).toMatchObject({ weight: 10, canaryReplicas: 1, httpRoute: 'orders' });
  });
});

describe('canary through an HTTPRoute: a route that cannot carry the step', () => {
  const waiting = { ...stable, canary: at(0, 1) };
  const world: World = { blue, green: green(1), active: 'blue', preview: 'green' };
  const withRules = (rules: NonNullable<ReturnType<typeof httpRoute>['spec']>['rules']) => ({
    ...httpRoute(bgs(), 0),
    spec: { rules },
  });
  it.each([
    { name: 'the route does not exist', route: undefined, says: 'HTTPRoute shop/orders not found' },
    {
      name: 'no rule names the preview Service',
      route: withRules([{ backendRefs: [{ name: 'other', port: 80 }] }]),
      says: 'has no rule whose backendRefs are Service orders (stable) and Service orders-preview (canary)',
    },
    {
      name: 'a rule names the active Service without the preview Service',
      route: withRules([{ backendRefs: [{ name: 'orders', port: 80 }] }]),
      says: 'spec.rules[0] must list Service orders (stable) and Service orders-preview (canary) once each',
    },
    {
      name: 'a third backend next to them',
      route: withRules([
        { backendRefs: [{ name: 'orders' }, { name: 'orders-preview' }, { name: 'legacy', weight: 5 }] },
      ]),
      says: 'spec.rules[0] has 1 backendRefs besides orders and orders-preview',
    },
  ])('$name: nothing written, Degraded names the field and the problem', ({ route, says }) => {
    const p = plan(observed(bgs(v2, waiting), { ...world, ...(route ? { route } : {}) }));
    expect(summary(p)).toEqual([]);
    expect(p.status.phase).toBe('Degraded');
    expect(p.status.message).toContain('spec.canary.trafficRouting.gatewayAPI.httpRoute: ');
    expect(p.status.message).toContain(says);
    expect(p.status.conditions?.find((c) => c.type === 'Degraded')?.reason).toBe('HTTPRouteNotUsable');
  });

  it('a rule with both Services and unset weights is read as 1:1 (Gateway API default) and set exactly', () => {
    const route = withRules([{ backendRefs: [{ name: 'orders-preview' }, { name: 'orders' }] }]);
    const p = plan(observed(bgs(v2, waiting), { ...world, route }));
    const write = p.waves.flat().find((a) => a.kind === 'setRouteWeights');
    expect(write?.kind === 'setRouteWeights' && write.patch.filter((o) => o.op === 'add')).toEqual([
      { op: 'add', path: '/spec/rules/0/backendRefs/1/weight', value: 90 },
      { op: 'add', path: '/spec/rules/0/backendRefs/0/weight', value: 10 },
    ]);
    expect(write).toMatchObject({ lowers: true }); // from 1:1 (50 %) down to 10 %
  });
});

describe('canary through an HTTPRoute: restart and rollback', () => {
  it('a new template mid-canary with the route seen at 0 % (the pass after it was set back): green gets the new template', () => {
    const b = bgs({ ...v2, template: template('orders:v3') }, { ...stable, canary: at(0, 1, T0 - 10_000) });
    const p = plan(observed(b, { blue, green: green(1), active: 'blue', preview: 'green', route: 0 }));
    expect(summary(p)).toContain('apply green x3 orders:v3');
    expect(summary(p)).not.toContain('route 0%');
  });

  it('a rollback to blue right after the switch to green sets the route to 0 % before the Service moves', () => {
    const b = bgs(
      { ...v2, activeColor: 'blue' },
      { ...stable, activeColor: 'green', previousColor: 'blue', lastSwitchTime: iso(T0 - 1_000), release: undefined },
    );
    const p = plan(observed(b, { blue, green: green(3), active: 'green', preview: 'green', route: 50 }));
    expect(summary(p).slice(0, 2)).toEqual(['route 0%', 'active -> blue']);
  });
});

describe('canary through an HTTPRoute: between releases', () => {
  it('steady state with the route at 0 %: no write at all', () => {
    const b = bgs({ canary, analysis: v2.analysis }, { activeColor: 'blue', lastSwitchTime: iso(T0 - 3_600_000) });
    const p = plan(observed(b, { blue, active: 'blue', preview: 'blue', route: 0 }));
    expect(summary(p)).toEqual([]);
    expect(p.status.phase).toBe('Healthy');
  });

  it('steady state with a weight someone left on the preview: back to 0 %', () => {
    const b = bgs({ canary, analysis: v2.analysis }, { activeColor: 'blue', lastSwitchTime: iso(T0 - 3_600_000) });
    const p = plan(observed(b, { blue, active: 'blue', preview: 'blue', route: 30 }));
    expect(summary(p)).toEqual(['route 0%']);
  });
});

describe('canary through an HTTPRoute: a release right after a switch (soak seed 20261212)', () => {
  it('the weight the route still has on the colour just promoted is not taken for a canary of the next release', () => {
    // Green (v2) was promoted a moment ago from the last canary step; the route still weighs the
    // preview Service, which selects green. The user went back to v1, which blue still runs.
    const b = bgs(
      { ...v2, template: template(V1) },
      {
        activeColor: 'green',
        previousColor: 'blue',
        lastSwitchTime: iso(T0 - 1_000),
        lastSwitchReason: 'AutoPromotion',
      },
    );
    const p = plan(observed(b, { blue, green: green(3), active: 'green', preview: 'green', route: 50 }));
    expect(summary(p)).toEqual(['route 0%']);
    expect(p.status.canary).toBeUndefined();
    expect(p.status.release).toMatchObject({ revision: rev(V1), color: 'blue' });
  });
});

describe('canary through an HTTPRoute: the canary Deployment deleted mid-step (soak seed 20261206)', () => {
  it('the route goes to 0 % and the release starts over from step 1: no step is carried onto the pods that replace it', () => {
    const b = bgs(v2, { ...stable, canary: { ...at(1, 2, T0 - 10_000), achievedShare: 50 } });
    const p = plan(observed(b, { blue, active: 'blue', preview: 'green', route: 50 }));
    expect(summary(p)).toEqual(['route 0%']);
    expect(p.status.canary).toBeUndefined();
    expect(p.status.release).toEqual({ revision: rev(V2), color: 'green', startedAt: iso(T0) });
  });
});

describe('gateway canary: a route the operator cannot read as promised still weighs the preview (issue 18 item 3)', () => {
  const withThirdBackend = () => {
    const r = httpRoute(bgs(v2), 50);
    r.spec!.rules![0]!.backendRefs!.push({ name: 'legacy', port: 80, weight: 10 });
    return r;
  };
  it('a new template mid-canary does not rewrite or scale the still-weighted preview colour', () => {
    const p = plan(
      observed(bgs({ ...v2, template: template('orders:v3') }, { ...stable, canary: at(1, 2, T0 - 10_000) }), {
        blue,
        green: green(2),
        active: 'blue',
        preview: 'green',
        route: withThirdBackend(),
      }),
    );
    const writes = summary(p).join(' ');
    expect(writes).not.toContain('apply green');
    expect(writes).not.toContain('scale green x0');
  });
});

describe('gateway canary: an unusable route that still sends requests to the preview between releases (seed 424203)', () => {
  it('is reported (Degraded, HTTPRouteNotUsable naming the field), never Healthy', () => {
    const r = httpRoute(bgs(v2), 10);
    r.spec!.rules![0]!.backendRefs!.push({ name: 'legacy', port: 80, weight: 10 });
    const p = plan(
      observed(bgs({ ...v2, template: template(V1) }, { activeColor: 'blue' }), {
        blue,
        green: green(1),
        active: 'blue',
        preview: 'blue',
        route: r,
      }),
    );
    const degraded = p.status.conditions?.find((c) => c.type === 'Degraded');
    expect(degraded?.reason).toBe('HTTPRouteNotUsable');
    expect(degraded?.message).toContain('spec.canary.trafficRouting.gatewayAPI.httpRoute');
  });
});
