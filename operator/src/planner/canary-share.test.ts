import { describe, expect, it } from 'vitest';
import { canaryReplicasFor, roundedShare, routedCanaryReplicas, shareOf } from './canary-share.ts';

describe('canaryReplicasFor: the canary pods whose share is nearest the weight', () => {
  it.each([
    // weight, stable replicas, canary pods, achieved share (%)
    [10, 10, 1, 9.1],
    [50, 10, 10, 50],
    [20, 10, 3, 23.1], // 2 pods give 16.7 %, 3 give 23.1 %: 3 is nearer 20
    [25, 3, 1, 25],
    [10, 3, 1, 25], // the smallest canary is one pod
    [50, 3, 3, 50],
    [90, 1, 9, 90],
    [1, 1, 1, 50],
    [33, 2, 1, 33.3],
    [75, 4, 12, 75],
  ])('weight %i with %i stable pods: %i canary pods (%f %%)', (weight, stable, pods, share) => {
    const n = canaryReplicasFor(weight, stable);
    expect(n).toBe(pods);
    expect(roundedShare(n, stable)).toBe(share);
  });

  it('is never farther from the weight than its neighbours', () => {
    for (let stable = 1; stable <= 12; stable++)
      for (let weight = 1; weight < 100; weight++) {
        const n = canaryReplicasFor(weight, stable);
        const err = (k: number) => Math.abs((100 * k) / (k + stable) - weight);
        expect(n).toBeGreaterThanOrEqual(1);
        if (n > 1) expect(err(n)).toBeLessThanOrEqual(err(n - 1));
        expect(err(n)).toBeLessThanOrEqual(err(n + 1));
      }
  });

  it('runs no canary pods without stable ones', () => {
    expect(canaryReplicasFor(50, 0)).toBe(0);
  });
});

// Edges the first mutation run left untested (bench/results/mutation-2026-12-07.md).
describe('canary shares: no canary without a weight or a stable colour', () => {
  it.each([
    [0, 10],
    [10, 0],
    [0, 0],
  ])('weight %i with %i stable pods: no canary pod in either mode', (weight, stable) => {
    expect(canaryReplicasFor(weight, stable)).toBe(0);
    expect(routedCanaryReplicas(weight, stable)).toBe(0);
  });

  it('a tie goes to fewer pods: 55 % next to 2 stable pods is 2 (50 %) rather than 3 (60 %)', () => {
    expect(canaryReplicasFor(55, 2)).toBe(2);
    expect(canaryReplicasFor(45, 3)).toBe(2);
  });

  it('no pods at all is a share of 0, not NaN', () => {
    expect(shareOf(0, 0)).toBe(0);
  });
});
