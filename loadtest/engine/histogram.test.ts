import { describe, expect, it } from 'vitest';
import { count, merge, percentile, record, type Histogram } from './histogram.ts';

describe('latency histogram', () => {
  it('Given 1..1000 ms, Then percentiles are within 2 % of the exact values', () => {
    const h: Histogram = new Map();
    for (let ms = 1; ms <= 1000; ms++) record(h, ms);
    for (const [p, exact] of [
      [50, 500],
      [95, 950],
      [99, 990],
      [100, 1000],
    ] as const) {
      expect(percentile(h, p)).toBeGreaterThanOrEqual(exact);
      expect(percentile(h, p)).toBeLessThanOrEqual(exact * 1.02);
    }
  });

  it('merges and counts; an empty histogram has no percentile', () => {
    const a: Histogram = new Map();
    const b: Histogram = new Map();
    record(a, 3);
    record(b, 3);
    record(b, 300);
    merge(a, b);
    expect(count(a)).toBe(3);
    expect(percentile(new Map(), 99)).toBeNaN();
  });
});
