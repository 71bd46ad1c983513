import { describe, expect, it } from 'vitest';
import { appendMeasurements, MAX_MEASUREMENT_HISTORY } from './history.ts';
import type { Measurement } from './types.ts';

const m = (i: number): Measurement => ({
  metric: `m${i}`,
  phase: 'Successful',
  value: i,
  at: new Date(i * 1000).toISOString(),
});
const range = (from: number, to: number) => Array.from({ length: to - from }, (_, k) => m(from + k));

describe('appendMeasurements', () => {
  it.each<[string, Measurement[], Measurement[], number | undefined, Measurement[]]>([
    ['both empty', [], [], undefined, []],
    ['room left', range(0, 3), range(3, 5), undefined, range(0, 5)],
    ['exactly full', range(0, 18), range(18, 20), undefined, range(0, 20)],
    ['overflow drops the oldest', range(0, 20), range(20, 23), undefined, range(3, 23)],
    ['more new ones than max', [], range(0, 25), undefined, range(5, 25)],
    ['a custom max', range(0, 4), range(4, 6), 3, range(3, 6)],
    ['max 0 keeps nothing', range(0, 4), range(4, 6), 0, []],
  ])('Given %s', (_case, history, newOnes, max, expected) => {
    expect(appendMeasurements(history, newOnes, max)).toEqual(expected);
  });

  it('defaults to 20 and does not modify its inputs', () => {
    const history = range(0, 20);
    const newOnes = range(20, 21);
    const result = appendMeasurements(history, newOnes);
    expect(MAX_MEASUREMENT_HISTORY).toBe(20);
    expect(result).toHaveLength(20);
    expect(history).toEqual(range(0, 20));
    expect(newOnes).toEqual(range(20, 21));
  });

  it.each([[-1], [1.5], [Number.NaN]])('throws for max %d', (max) => {
    expect(() => appendMeasurements([], [], max)).toThrow('max must be an integer >= 0');
  });
});
