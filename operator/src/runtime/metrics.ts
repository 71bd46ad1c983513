// prom-client throws when a metric name is registered twice on one registry. Several informers,
// queues or runners share a registry, so every runtime metric is fetched-or-created here and
// told apart by labels (informer name, controller name).

import { Counter, Gauge, Histogram, register as defaultRegistry, type Registry } from 'prom-client';

interface Config<L extends string> {
  name: string;
  help: string;
  labelNames: readonly L[];
}

export function counter<L extends string>(registry: Registry | undefined, config: Config<L>): Counter<L> {
  const reg = registry ?? defaultRegistry;
  return (reg.getSingleMetric(config.name) as Counter<L> | undefined) ?? new Counter({ ...config, registers: [reg] });
}

export function gauge<L extends string>(registry: Registry | undefined, config: Config<L>): Gauge<L> {
  const reg = registry ?? defaultRegistry;
  return (reg.getSingleMetric(config.name) as Gauge<L> | undefined) ?? new Gauge({ ...config, registers: [reg] });
}

export function histogram<L extends string>(
  registry: Registry | undefined,
  config: Config<L> & { buckets: number[] },
): Histogram<L> {
  const reg = registry ?? defaultRegistry;
  return (
    (reg.getSingleMetric(config.name) as Histogram<L> | undefined) ?? new Histogram({ ...config, registers: [reg] })
  );
}

export type ReconcileOutcome = 'success' | 'requeue_after' | 'error' | 'terminal_error';

/** What the runner reports; implemented with prom-client by controllerMetrics(), or a fake in tests. */
export interface RunnerMetrics {
  reconciled(outcome: ReconcileOutcome, durationMs: number): void;
  activeWorkers(count: number): void;
  queueDepth(depth: number): void;
}

/**
 * Metric names follow controller-runtime (controller_runtime_reconcile_total{controller,result},
 * ..._reconcile_time_seconds, ..._active_workers, workqueue_depth{name}) so existing dashboards
 * and alerts read them unchanged.
 */
export function controllerMetrics(controller: string, registry?: Registry): RunnerMetrics {
  const total = counter(registry, {
    name: 'controller_runtime_reconcile_total',
    help: 'Reconciles per controller and result.',
    labelNames: ['controller', 'result'],
  });
  const errors = counter(registry, {
    name: 'controller_runtime_reconcile_errors_total',
    help: 'Reconciles that returned an error (retried or terminal).',
    labelNames: ['controller'],
  });
  const duration = histogram(registry, {
    name: 'controller_runtime_reconcile_time_seconds',
    help: 'Duration of a reconcile.',
    labelNames: ['controller'],
    buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
  });
  const active = gauge(registry, {
    name: 'controller_runtime_active_workers',
    help: 'Workers currently running a reconcile.',
    labelNames: ['controller'],
  });
  const depth = gauge(registry, {
    name: 'workqueue_depth',
    help: 'Keys ready in the work queue (not delayed, not in flight).',
    labelNames: ['name'],
  });
  // Touch the series so they exist at 0 before the first reconcile.
  errors.inc({ controller }, 0);
  active.set({ controller }, 0);
  depth.set({ name: controller }, 0);
  return {
    reconciled(outcome, durationMs) {
      total.inc({ controller, result: outcome });
      if (outcome === 'error' || outcome === 'terminal_error') errors.inc({ controller });
      duration.observe({ controller }, durationMs / 1000);
    },
    activeWorkers: (count) => active.set({ controller }, count),
    queueDepth: (d) => depth.set({ name: controller }, d),
  };
}
