// Takes one round of an analysis: every metric of the template queried at once, each outcome
// judged. The only analysis module that does I/O besides the client itself; the verdict logic
// stays in evaluate.ts (pure). Queries arrive rendered (the planner renders them).

import { evaluateMeasurement } from './evaluate.ts';
import type { MetricProvider } from './prometheus.ts';
import type { Measurement, MetricSpec } from './types.ts';

/**
 * Queries all `metrics` in parallel and returns one Measurement per metric, in template order,
 * all stamped with the same `at` (a round is atomic: see evaluate.ts). Every remote failure is
 * an outcome of the provider (inconclusive measurement); rejects only when `signal` aborts.
 */
export async function measureRound(
  provider: MetricProvider,
  metrics: readonly MetricSpec[],
  at: string,
  signal: AbortSignal,
): Promise<Measurement[]> {
  const outcomes = await Promise.all(metrics.map((metric) => provider.runQuery(metric.query, signal)));
  return metrics.map((metric, i) =>
    evaluateMeasurement(metric, outcomes[i] ?? { kind: 'error', message: 'no outcome for this metric' }, at),
  );
}
