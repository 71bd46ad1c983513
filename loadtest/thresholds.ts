// Pass/fail of a run: every threshold is checked and reported, not only the first that fails.
import type { RunStats } from './engine/generator.ts';
import type { Thresholds } from './scenarios.ts';

export interface Verdict {
  name: string;
  /** "<=" limits are maxima; ">=" the one minimum (a run that sent nothing proves nothing). */
  op: '<=' | '>=';
  limit: number;
  actual: number;
  pass: boolean;
}

// `actual <= limit` is false for NaN (no successful request to take a percentile of): it fails.
const atMost = (name: string, actual: number, limit: number): Verdict => ({
  name,
  op: '<=',
  limit,
  actual,
  pass: actual <= limit,
});

export function judge(stats: RunStats, t: Thresholds): Verdict[] {
  return [
    { name: 'requests', op: '>=', limit: 1, actual: stats.requests, pass: stats.requests >= 1 },
    atMost('error rate', stats.errorRate, t.maxErrorRate),
    atMost('p95 latency ms', stats.latencyMs.p95, t.p95Ms),
    atMost('p99 latency ms', stats.latencyMs.p99, t.p99Ms),
    atMost('generator lag p99 ms', stats.generatorLagMs.p99, t.maxGeneratorLagP99Ms),
  ];
}
