import { describe, expect, it } from 'vitest';
import { ReadinessRefusals } from './readiness-refusals.ts';

describe('ReadinessRefusals', () => {
  it('resolves a wait once the count reaches it, not before', async () => {
    const refusals = new ReadinessRefusals();
    let done = false;
    const waiting = refusals.waitFor(3, 60_000).then((seen) => {
      done = true;
      return seen;
    });
    refusals.record();
    refusals.record();
    await Promise.resolve();
    expect(done).toBe(false);
    refusals.record();
    await expect(waiting).resolves.toBe(true);
    expect(refusals.count).toBe(3);
  });

  it('resolves false when the probes never come', async () => {
    const refusals = new ReadinessRefusals();
    refusals.record();
    await expect(refusals.waitFor(2, 5)).resolves.toBe(false);
  });

  it('resolves at once when enough were already counted', async () => {
    const refusals = new ReadinessRefusals();
    refusals.record();
    await expect(refusals.waitFor(1, 60_000)).resolves.toBe(true);
    await expect(refusals.waitFor(0, 60_000)).resolves.toBe(true);
  });
});
