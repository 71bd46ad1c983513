// The timing policy, row by row (two of these rows were written for mutants that survived the
// first mutation run: bench/results/mutation-2026-12-07.md).
import { describe, expect, it } from 'vitest';
import { IN_FLIGHT_RESYNC_MS, inFlight, requeueAfter } from './policy.ts';

describe('requeueAfter', () => {
  it('Given several timers in a settled phase, Then the soonest one decides', () => {
    expect(requeueAfter(1_000, [9_000, 3_000, 6_000], 'Healthy')).toBe(2_000);
  });

  it('Given no timer in a settled phase (Degraded included), Then only events wake it', () => {
    expect(requeueAfter(0, [], 'Degraded')).toBeUndefined();
    expect(inFlight('Degraded')).toBe(false);
    expect(requeueAfter(0, [], 'Invalid')).toBeUndefined();
  });

  it('Given a release in flight and a far timer, Then the in-flight resync caps it', () => {
    expect(requeueAfter(0, [10 * IN_FLIGHT_RESYNC_MS], 'Progressing')).toBe(IN_FLIGHT_RESYNC_MS);
  });

  it('Given a timer already due, Then it wakes at once', () => {
    expect(requeueAfter(5_000, [1_000], 'Healthy')).toBe(0);
  });
});
