import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { objectMetrics } from '../controller/object-metrics.ts';
import { operatorMetrics } from './operator-metrics.ts';

/** The exposition lines of our bluegreen_* series (HELP/TYPE dropped). */
async function series(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split('\n').filter((l) => l.startsWith('bluegreen_'));
}

function fixture() {
  const registry = new Registry();
  const m = operatorMetrics(registry);
  m.state('shop', 'orders', 'Healthy', 'blue');
  m.switched('shop', 'orders', 'InitialDeploy');
  m.measured('shop', 'orders', 'prePromotion', [
    { metric: 'errors', phase: 'Successful', value: 0, at: '2026-01-01T00:00:00Z', message: '' },
  ]);
  m.state('shop', 'payments', 'Analyzing', 'green');
  return { registry, m };
}

describe('operator metrics', () => {
  it('Given a standard scrape sets namespace, Then per-object series carry bgs_namespace and bgs_name instead', async () => {
    const { registry } = fixture();
    const lines = await series(registry);
    expect(lines).toContain('bluegreen_phase{bgs_namespace="shop",bgs_name="orders",phase="Healthy"} 1');
    expect(lines).toContain('bluegreen_active_color{bgs_namespace="shop",bgs_name="orders",color="blue"} 1');
    expect(lines.filter((l) => /[{,]namespace=/.test(l))).toEqual([]);
  });

  it('Given an object is seen, Then its switch counters exist at 0 for every reason (increase() sees the first switch)', async () => {
    const { registry } = fixture();
    const lines = await series(registry);
    expect(lines).toContain(
      'bluegreen_switches_total{bgs_namespace="shop",bgs_name="payments",reason="AutoRollback"} 0',
    );
    expect(lines).toContain(
      'bluegreen_switches_total{bgs_namespace="shop",bgs_name="orders",reason="InitialDeploy"} 1',
    );
  });

  it('When an object is forgotten, Then all its series go and the others stay', async () => {
    const { registry, m } = fixture();
    m.forget('shop', 'orders');
    const lines = await series(registry);
    expect(lines.filter((l) => l.includes('bgs_name="orders"'))).toEqual([]);
    expect(lines).toContain('bluegreen_phase{bgs_namespace="shop",bgs_name="payments",phase="Analyzing"} 1');
  });

  it('When cleared, Then no per-object series remain', async () => {
    const { registry, m } = fixture();
    m.clear();
    expect(await series(registry)).toEqual([]);
  });
});

describe('objectMetrics guard (controller side)', () => {
  it('Given a replica that does not lead, Then nothing per-object is exported; when it stops leading, all goes', async () => {
    const registry = new Registry();
    const live = new Set(['shop/orders']);
    const g = objectMetrics(operatorMetrics(registry), (ns, n) => live.has(`${ns}/${n}`));
    g.state('shop', 'orders', 'Healthy', 'blue');
    expect(await series(registry)).toEqual([]);
    g.setLeading(true);
    g.state('shop', 'orders', 'Healthy', 'blue');
    expect((await series(registry)).length).toBeGreaterThan(0);
    g.setLeading(false);
    expect(await series(registry)).toEqual([]);
  });

  it('Given an object deleted while its reconcile was in flight, When that reconcile records state, Then it is dropped', async () => {
    const registry = new Registry();
    const live = new Set(['shop/orders']);
    const g = objectMetrics(operatorMetrics(registry), (ns, n) => live.has(`${ns}/${n}`));
    g.setLeading(true);
    g.state('shop', 'orders', 'Healthy', 'blue');
    live.delete('shop/orders');
    g.forget('shop', 'orders');
    g.state('shop', 'orders', 'Healthy', 'blue');
    g.switched('shop', 'orders', 'ManualPromotion');
    expect(await series(registry)).toEqual([]);
  });
});
