import { describe, expect, it } from 'vitest';
import { FakeClock } from './clock.ts';
import { WorkQueue } from './workqueue.ts';

function newQueue(clock = new FakeClock(), options = {}) {
  return { clock, queue: new WorkQueue({ clock, ...options }) };
}

describe('WorkQueue', () => {
  it('Given a key added three times, When taken, Then it is handed out once', async () => {
    const { queue } = newQueue();
    queue.add('ns/a');
    queue.add('ns/a');
    queue.add('ns/b');
    queue.add('ns/a');
    expect(queue.len()).toBe(2);
    expect(await queue.get()).toBe('ns/a');
    expect(await queue.get()).toBe('ns/b');
    expect(queue.len()).toBe(0);
  });

  it('Given a key being processed, When re-added, Then no second worker gets it until done()', async () => {
    const { queue } = newQueue();
    queue.add('k');
    const first = await queue.get();
    queue.add('k');
    expect(queue.len()).toBe(0);
    let second: string | undefined = 'pending';
    void queue.get().then((key) => (second = key));
    await Promise.resolve();
    expect(second).toBe('pending');
    queue.done(first as string);
    await Promise.resolve();
    expect(second).toBe('k');
    expect(queue.isProcessing('k')).toBe(true);
  });

  it('Given a processed key not re-added, When done(), Then it is not queued again', async () => {
    const { queue } = newQueue();
    queue.add('k');
    queue.done((await queue.get()) as string);
    expect(queue.len()).toBe(0);
    expect(queue.isProcessing('k')).toBe(false);
  });

  it('Given a waiting worker, When a key is added, Then the worker receives it', async () => {
    const { queue } = newQueue();
    const pending = queue.get();
    queue.add('x');
    expect(await pending).toBe('x');
    expect(queue.len()).toBe(0);
  });

  it('Given repeated failures, Then the backoff doubles from 5 ms up to the cap, and forget() resets it', async () => {
    const { clock, queue } = newQueue(new FakeClock(), { maxDelayMs: 100 });
    const delays: number[] = [];
    for (let i = 0; i < 7; i++) {
      const start = clock.now();
      queue.addRateLimited('k');
      expect(queue.len()).toBe(0);
      // Step 1 ms at a time to find the exact moment the key becomes ready.
      while (queue.len() === 0) clock.advance(1);
      delays.push(clock.now() - start);
      queue.done((await queue.get()) as string);
    }
    expect(delays).toEqual([5, 10, 20, 40, 80, 100, 100]);
    expect(queue.numRequeues('k')).toBe(7);
    queue.forget('k');
    expect(queue.numRequeues('k')).toBe(0);
    queue.addRateLimited('k');
    clock.advance(4);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(queue.len()).toBe(1);
  });

  it('Given a burst of failing keys beyond the bucket, Then the global 10 qps limit spaces them', () => {
    const { clock, queue } = newQueue(new FakeClock(), { burst: 2, qps: 10 });
    queue.addRateLimited('a'); // token 1: 5 ms item backoff
    queue.addRateLimited('b'); // token 2: 5 ms
    queue.addRateLimited('c'); // in debt: 100 ms
    queue.addRateLimited('d'); // 200 ms
    clock.advance(5);
    expect(queue.len()).toBe(2);
    clock.advance(94);
    expect(queue.len()).toBe(2);
    clock.advance(1);
    expect(queue.len()).toBe(3);
    clock.advance(100);
    expect(queue.len()).toBe(4);
  });

  it('Given addAfter with different delays, Then keys become ready in time order and the earliest request wins', async () => {
    const { clock, queue } = newQueue();
    queue.addAfter('late', 300);
    queue.addAfter('early', 100);
    queue.addAfter('late', 200); // earlier than 300: replaces it
    queue.addAfter('early', 500); // later than 100: ignored
    expect(queue.delayedLen()).toBe(2);
    clock.advance(99);
    expect(queue.len()).toBe(0);
    clock.advance(1);
    expect(await queue.get()).toBe('early');
    clock.advance(100);
    expect(await queue.get()).toBe('late');
    clock.advance(1000);
    expect(queue.len()).toBe(0);
  });

  it('Given addAfter of a key already queued, When the delay fires, Then it is still queued once', () => {
    const { clock, queue } = newQueue();
    queue.add('k');
    queue.addAfter('k', 10);
    clock.advance(10);
    expect(queue.len()).toBe(1);
  });

  it('Given shutDown with keys queued, Then they are drained, then get() returns undefined and adds are ignored', async () => {
    const { clock, queue } = newQueue();
    queue.add('a');
    queue.add('b');
    queue.addAfter('c', 10);
    queue.shutDown();
    queue.add('d');
    clock.advance(20);
    expect(await queue.get()).toBe('a');
    expect(await queue.get()).toBe('b');
    expect(await queue.get()).toBeUndefined();
    expect(queue.shuttingDown()).toBe(true);
  });

  it('Given idle workers waiting, When shut down, Then every waiter receives undefined', async () => {
    const { queue } = newQueue();
    const waiting = [queue.get(), queue.get()];
    queue.shutDown();
    expect(await Promise.all(waiting)).toEqual([undefined, undefined]);
  });

  it('Given a waiting get with a signal, When the signal aborts, Then it resolves undefined and the next key goes to others', async () => {
    const { queue } = newQueue();
    const controller = new AbortController();
    const cancelled = queue.get(controller.signal);
    controller.abort();
    expect(await cancelled).toBeUndefined();
    queue.add('k');
    expect(queue.len()).toBe(1);
    expect(await queue.get()).toBe('k');
  });

  it('rejects an invalid limiter option, naming the field', () => {
    expect(() => new WorkQueue({ qps: 0 })).toThrow(/qps/);
  });
});
