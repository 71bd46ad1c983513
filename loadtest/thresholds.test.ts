import { describe, expect, it } from 'vitest';
import type { RunStats } from './engine/generator.ts';
import { scenarios } from './scenarios.ts';
import { judge } from './thresholds.ts';

const stats = (over: Partial<RunStats>): RunStats => ({
  url: 'http://x/',
  keepAlive: true,
  startedAt: '',
  durationSeconds: 1,
  requests: 100,
  failed: 0,
  errorRate: 0,
  statuses: {},
  errors: {},
  latencyMs: { p50: 5, p90: 8, p95: 10, p99: 20, max: 30 },
  generatorLagMs: { p99: 1, max: 2 },
  split: {},
  timeline: [],
  ...over,
});

describe('thresholds', () => {
  const t = scenarios['constant']!.thresholds;
  it('a clean run passes every threshold', () => {
    expect(judge(stats({}), t).every((v) => v.pass)).toBe(true);
  });
  it.each([
    ['error rate', { failed: 1, errorRate: 0.01 }],
    ['p99 latency ms', { latencyMs: { p50: 5, p90: 8, p95: 10, p99: 900, max: 900 } }],
    ['p95 latency ms', { latencyMs: { p50: 5, p90: 8, p95: Number.NaN, p99: Number.NaN, max: 0 } }],
    ['generator lag p99 ms', { generatorLagMs: { p99: 500, max: 600 } }],
    ['requests', { requests: 0 }],
  ])('%s out of bounds fails the run', (name, over) => {
    const failed = judge(stats(over), t).filter((v) => !v.pass);
    expect(failed.map((v) => v.name)).toContain(name);
  });
});
