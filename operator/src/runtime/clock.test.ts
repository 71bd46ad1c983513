import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.ts';

describe('FakeClock', () => {
  it('fires due timers in order, including timers scheduled by timers, and honours cancel', () => {
    const clock = new FakeClock(0);
    const fired: string[] = [];
    clock.setTimeout(() => fired.push('b@20'), 20);
    clock.setTimeout(() => {
      fired.push('a@10');
      clock.setTimeout(() => fired.push('c@15'), 5);
    }, 10);
    const cancel = clock.setTimeout(() => fired.push('never'), 12);
    cancel();
    clock.setTimeout(() => fired.push('d@20'), 20);
    clock.advance(19);
    expect(fired).toEqual(['a@10', 'c@15']);
    expect(clock.now()).toBe(19);
    clock.advance(1);
    expect(fired).toEqual(['a@10', 'c@15', 'b@20', 'd@20']);
    expect(clock.pendingTimers()).toBe(0);
  });

  it('advanceAsync lets awaited continuations schedule further timers', async () => {
    const clock = new FakeClock(0);
    const fired: number[] = [];
    const loop = async () => {
      for (let i = 0; i < 3; i++) {
        await new Promise<void>((resolve) => clock.setTimeout(resolve, 10));
        fired.push(clock.now());
      }
    };
    const done = loop();
    await clock.advanceAsync(30);
    await done;
    expect(fired).toEqual([10, 20, 30]);
  });
});
