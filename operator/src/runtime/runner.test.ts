import { describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks } from './clock.ts';
import { silentLogger } from './logger.ts';
import type { ReconcileOutcome } from './metrics.ts';
import { runWorkers, TerminalError, type ReconcileResult } from './runner.ts';
import { WorkQueue } from './workqueue.ts';

function setup(reconcile: (key: string, signal: AbortSignal) => Promise<ReconcileResult>, workers = 1) {
  const clock = new FakeClock(0);
  const queue = new WorkQueue({ clock });
  const outcomes: ReconcileOutcome[] = [];
  const metrics = {
    reconciled: (o: ReconcileOutcome) => outcomes.push(o),
    activeWorkers: () => {},
    queueDepth: () => {},
  };
  const runner = runWorkers({ queue, workers, reconcile, logger: silentLogger, clock, metrics, timeoutMs: 1000 });
  return { clock, queue, runner, outcomes };
}

describe('runWorkers', () => {
  it('Given a reconcile asking to requeue after 500 ms, Then the key comes back after 500 ms, not before', async () => {
    const calls: number[] = [];
    const { clock, queue, runner, outcomes } = setup(async () => {
      calls.push(clock.now());
      return calls.length === 1 ? { requeueAfterMs: 500 } : {};
    });
    queue.add('ns/a');
    await flushMicrotasks();
    await clock.advanceAsync(499);
    expect(calls).toEqual([0]);
    await clock.advanceAsync(1);
    expect(calls).toEqual([0, 500]);
    expect(outcomes).toEqual(['requeue_after', 'success']);
    await runner.stop();
  });

  it('Given a failing reconcile, Then it is retried with growing backoff and forgotten on success', async () => {
    const calls: number[] = [];
    const { clock, queue, runner, outcomes } = setup(async () => {
      calls.push(clock.now());
      if (calls.length <= 3) throw new Error('API unavailable');
      return {};
    });
    queue.add('ns/a');
    await clock.advanceAsync(1000);
    expect(calls).toEqual([0, 5, 15, 35]); // 5, 10, 20 ms backoff
    expect(outcomes).toEqual(['error', 'error', 'error', 'success']);
    expect(queue.numRequeues('ns/a')).toBe(0);
    await runner.stop();
  });

  it('Given a TerminalError, Then the key is not retried', async () => {
    let calls = 0;
    const { clock, queue, runner, outcomes } = setup(async () => {
      calls++;
      throw new TerminalError('spec.template is missing');
    });
    queue.add('ns/a');
    await clock.advanceAsync(120_000);
    expect(calls).toBe(1);
    expect(outcomes).toEqual(['terminal_error']);
    await runner.stop();
  });

  it('Given a reconcile that throws a non-Error synchronously (a "panic"), Then the worker survives and retries', async () => {
    let calls = 0;
    const { clock, queue, runner, outcomes } = setup((_key: string) => {
      calls++;
      if (calls === 1) throw 'kaboom';
      return Promise.resolve({});
    });
    queue.add('ns/a');
    await clock.advanceAsync(100);
    expect(calls).toBe(2);
    expect(outcomes).toEqual(['error', 'success']);
    queue.add('ns/b');
    await flushMicrotasks();
    expect(calls).toBe(3);
    await runner.stop();
  });

  it('Given a reconcile that outlives its timeout, Then its signal aborts with a TimeoutError', async () => {
    let reason: unknown;
    const { clock, queue, runner, outcomes } = setup(
      (_key, signal) =>
        new Promise((_resolve, reject) => {
          signal.addEventListener('abort', () => {
            reason = signal.reason;
            reject(signal.reason);
          });
        }),
    );
    queue.add('ns/a');
    await clock.advanceAsync(999);
    expect(reason).toBeUndefined();
    await clock.advanceAsync(1);
    expect((reason as DOMException).name).toBe('TimeoutError');
    expect(outcomes).toEqual(['error']);
    await runner.stop();
  });

  it('Given two workers, Then one key is never reconciled concurrently but different keys are', async () => {
    const inFlight = new Set<string>();
    let overlapSameKey = false;
    let maxParallel = 0;
    const release: Array<() => void> = [];
    const { queue, runner } = setup(async (key) => {
      if (inFlight.has(key)) overlapSameKey = true;
      inFlight.add(key);
      maxParallel = Math.max(maxParallel, inFlight.size);
      await new Promise<void>((resolve) => release.push(resolve));
      inFlight.delete(key);
      return {};
    }, 2);
    queue.add('a');
    queue.add('b');
    await flushMicrotasks();
    queue.add('a'); // re-added while in flight: must wait for done()
    await flushMicrotasks();
    expect(maxParallel).toBe(2);
    while (release.length > 0) {
      release.shift()?.();
      await flushMicrotasks();
    }
    expect(overlapSameKey).toBe(false);
    await runner.stop();
  });

  it('Given a reconcile in flight, When stopped, Then stop waits for it and queued keys are not started', async () => {
    const started: string[] = [];
    let finish: () => void = () => {};
    const { queue, runner } = setup(async (key) => {
      started.push(key);
      if (key === 'slow') await new Promise<void>((resolve) => (finish = resolve));
      return {};
    });
    queue.add('slow');
    queue.add('queued');
    await flushMicrotasks();
    let stopped = false;
    const stopping = runner.stop().then(() => (stopped = true));
    await flushMicrotasks();
    expect(stopped).toBe(false);
    finish();
    await stopping;
    expect(started).toEqual(['slow']);
  });

  it('Given stop with abortInFlight, Then the in-flight signal is aborted and the key stays queued', async () => {
    let aborted = false;
    const { queue, runner } = setup(
      (_key, signal) =>
        new Promise((_resolve, reject) =>
          signal.addEventListener('abort', () => {
            aborted = true;
            reject(signal.reason);
          }),
        ),
    );
    queue.add('a');
    await flushMicrotasks();
    await runner.stop({ abortInFlight: true });
    expect(aborted).toBe(true);
    expect(queue.len()).toBe(1);
    expect(queue.numRequeues('a')).toBe(0);
  });

  it('Given stopped workers (lost leadership), When new workers run on the same queue, Then queued keys are processed', async () => {
    const clock = new FakeClock(0);
    const queue = new WorkQueue({ clock });
    const handled: string[] = [];
    const reconcile = async (key: string) => (handled.push(key), {});
    const first = runWorkers({ queue, workers: 2, reconcile, logger: silentLogger, clock });
    await first.stop();
    queue.add('while-standby');
    expect(handled).toEqual([]);
    const second = runWorkers({ queue, workers: 2, reconcile, logger: silentLogger, clock });
    await flushMicrotasks();
    expect(handled).toEqual(['while-standby']);
    await second.stop();
    expect(queue.shuttingDown()).toBe(false);
  });
});
