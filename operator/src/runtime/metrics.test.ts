import { Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { controllerMetrics } from './metrics.ts';

describe('controllerMetrics', () => {
  it('can be created twice on one registry and exposes controller-runtime names', async () => {
    const registry = new Registry();
    const a = controllerMetrics('bgs', registry);
    const b = controllerMetrics('other', registry);
    a.reconciled('error', 20);
    b.reconciled('success', 1);
    const text = await registry.metrics();
    expect(text).toContain('controller_runtime_reconcile_total{controller="bgs",result="error"} 1');
    expect(text).toContain('controller_runtime_reconcile_errors_total{controller="bgs"} 1');
    expect(text).toContain('controller_runtime_reconcile_total{controller="other",result="success"} 1');
  });
});
