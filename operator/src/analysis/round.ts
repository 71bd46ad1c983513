// Takes one round of an analysis: every metric of the template queried at once, each outcome
// judged. The only analysis module that does I/O besides the client itself; the verdict logic
// stays in evaluate.ts (pure).

import { evaluateMeasurement } from './evaluate.ts';
import type { MetricProvider } from './prometheus.ts';
import { renderQuery } from './template.ts';
import type { Measurement, MetricSpec, QueryOutcome, QueryVars } from './types.ts';

/**
 * Queries all `metrics` in parallel and returns one Measurement per metric, in template order,
 * all stamped with the same `at` (a round is atomic: see evaluate.ts).
 * A query template that does not render (an unknown variable: the spec is invalid and should
 * have been rejected) becomes an Inconclusive measurement naming the problem, so a bad spec
 * never passes and never crashes the reconciler. Rejects only when `signal` aborts.
 */
export async function measureRound(
  provider: MetricProvider,
  metrics: readonly MetricSpec[],
  vars: QueryVars,
  at: string,
  signal: AbortSignal,
): Promise<Measurement[]> {
  const outcomes = await Promise.all(
    metrics.map(async (metric): Promise<QueryOutcome> => {
      let promql: string;
      try {
        promql = renderQuery(metric.query, vars);
      } catch (err) {
        return { kind: 'error', message: err instanceof Error ? err.message : String(err) };
      }
      return provider.runQuery(promql, signal);
    }),
  );
  return metrics.map((metric, i) => evaluateMeasurement(metric, outcomes[i] ?? missing, at));
}

// Unreachable (Promise.all keeps one outcome per metric); satisfies noUncheckedIndexedAccess.
const missing: QueryOutcome = { kind: 'error', message: 'no outcome for this metric' };
