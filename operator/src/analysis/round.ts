// Takes one round of an analysis: every metric of the template measured at once, each outcome
// judged. With the providers themselves, the only analysis modules that do I/O; the verdict
// logic stays in evaluate.ts (pure). Queries and web check URLs arrive rendered (the planner
// renders them); which provider measures a metric is decided here, from the metric alone.

import { evaluateMeasurement } from './evaluate.ts';
import type { MetricProvider } from './prometheus.ts';
import type { Measurement, MetricSpec, QueryOutcome } from './types.ts';
import type { WebProvider } from './web.ts';

/** One provider per kind of metric, built for this round (credentials read just before). */
export interface RoundProviders {
  /** Metrics with a PromQL `query`. */
  prometheus: MetricProvider;
  /** Metrics with `web`: `query` holds the check's URL. */
  web: WebProvider;
}

/**
 * Measures all `metrics` in parallel and returns one Measurement per metric, in template order,
 * all stamped with the same `at` (a round is atomic: see evaluate.ts). Every remote failure is
 * an outcome of the provider (inconclusive measurement); rejects only when `signal` aborts.
 */
export async function measureRound(
  providers: RoundProviders,
  metrics: readonly MetricSpec[],
  at: string,
  signal: AbortSignal,
): Promise<Measurement[]> {
  const outcomes = await Promise.all(metrics.map((metric) => measureOne(providers, metric, signal)));
  return metrics.map((metric, i) =>
    evaluateMeasurement(metric, outcomes[i] ?? { kind: 'error', message: 'no outcome for this metric' }, at),
  );
}

function measureOne(providers: RoundProviders, metric: MetricSpec, signal: AbortSignal): Promise<QueryOutcome> {
  if (metric.web !== undefined) return providers.web.runCheck(metric.query, metric.web, signal);
  return providers.prometheus.runQuery(metric.query, signal);
}

/** Whether any metric of the round is a PromQL query (a web-only round needs no Prometheus client). */
export function needsPrometheus(metrics: readonly MetricSpec[]): boolean {
  return metrics.some((m) => m.web === undefined);
}
