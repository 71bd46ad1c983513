// A de-duplicating, delaying, rate-limited queue of string keys, with the semantics of
// client-go's workqueue that sample-controller relies on:
//  - a key is queued at most once however often it is added (level-triggered reconcile);
//  - a key being processed is never handed to a second worker; if it is added meanwhile it
//    is marked dirty and re-queued when done() is called, so no change is lost;
//  - addAfter() keeps the earliest requested time for a key;
//  - after shutDown() adds are ignored, queued keys are still handed out, then get() -> undefined.

import { realClock, type Clock } from './clock.ts';
import { RateLimiter, type RateLimiterOptions } from './ratelimiter.ts';

export interface WorkQueueOptions extends RateLimiterOptions {
  clock?: Clock;
  /** Optional observer, e.g. for metrics; called on every state change that alters len(). */
  onDepthChange?: (depth: number) => void;
}

interface Delayed {
  readyAt: number;
  cancel: () => void;
}

export class WorkQueue {
  readonly #clock: Clock;
  readonly #limiter: RateLimiter;
  readonly #onDepthChange: ((depth: number) => void) | undefined;
  // FIFO order of keys ready to be handed out; every entry is also in #dirty.
  #queue: string[] = [];
  #head = 0;
  // Keys that need processing (queued, or re-added while processing).
  readonly #dirty = new Set<string>();
  readonly #processing = new Set<string>();
  readonly #delayed = new Map<string, Delayed>();
  readonly #waiters: Array<(key: string | undefined) => void> = [];
  #shuttingDown = false;

  constructor(options: WorkQueueOptions = {}) {
    this.#clock = options.clock ?? realClock;
    this.#limiter = new RateLimiter(this.#clock, options);
    this.#onDepthChange = options.onDepthChange;
  }

  add(key: string): void {
    if (this.#shuttingDown || this.#dirty.has(key)) return;
    this.#dirty.add(key);
    // Processing keys are re-queued by done(), never handed to a second worker.
    if (this.#processing.has(key)) return;
    this.#push(key);
  }

  addAfter(key: string, ms: number): void {
    if (this.#shuttingDown) return;
    if (!(ms > 0)) {
      this.add(key);
      return;
    }
    const readyAt = this.#clock.now() + ms;
    const existing = this.#delayed.get(key);
    if (existing && existing.readyAt <= readyAt) return;
    existing?.cancel();
    const cancel = this.#clock.setTimeout(() => {
      this.#delayed.delete(key);
      this.add(key);
    }, ms);
    this.#delayed.set(key, { readyAt, cancel });
  }

  /** Re-adds key after its rate-limited backoff (call after a failed reconcile). */
  addRateLimited(key: string): void {
    if (this.#shuttingDown) return;
    this.addAfter(key, this.#limiter.when(key));
  }

  /** Clears the failure history of key (call after a successful reconcile). */
  forget(key: string): void {
    this.#limiter.forget(key);
  }

  numRequeues(key: string): number {
    return this.#limiter.numRequeues(key);
  }

  /**
   * The next key to process; waits until one is ready. undefined once shut down and drained,
   * or when signal aborts while waiting (lets a consumer stop without shutting the queue down).
   */
  get(signal?: AbortSignal): Promise<string | undefined> {
    const key = this.#take();
    if (key !== undefined || this.#shuttingDown || signal?.aborted) return Promise.resolve(key);
    return new Promise((resolve) => {
      const waiter = (k: string | undefined) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(k);
      };
      const onAbort = () => {
        const index = this.#waiters.indexOf(waiter);
        if (index >= 0) this.#waiters.splice(index, 1);
        resolve(undefined);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.#waiters.push(waiter);
    });
  }

  /** Marks key as no longer being processed; if it was re-added meanwhile it is queued again. */
  done(key: string): void {
    if (!this.#processing.delete(key)) return;
    if (this.#dirty.has(key)) this.#push(key);
  }

  /** Number of keys ready to be handed out (not counting delayed or in-flight keys). */
  len(): number {
    return this.#queue.length - this.#head;
  }

  /** Number of keys waiting for a delay (addAfter / addRateLimited) to elapse. */
  delayedLen(): number {
    return this.#delayed.size;
  }

  isProcessing(key: string): boolean {
    return this.#processing.has(key);
  }

  shuttingDown(): boolean {
    return this.#shuttingDown;
  }

  shutDown(): void {
    if (this.#shuttingDown) return;
    this.#shuttingDown = true;
    for (const delayed of this.#delayed.values()) delayed.cancel();
    this.#delayed.clear();
    // Queued keys stay available to get(); idle waiters only see undefined if nothing is left.
    while (this.#waiters.length > 0 && this.len() === 0) this.#waiters.shift()?.(undefined);
  }

  #push(key: string): void {
    const waiter = this.#waiters.shift();
    if (waiter) {
      this.#dirty.delete(key);
      this.#processing.add(key);
      waiter(key);
      return;
    }
    this.#queue.push(key);
    this.#onDepthChange?.(this.len());
  }

  #take(): string | undefined {
    if (this.len() === 0) return undefined;
    const key = this.#queue[this.#head] as string;
    this.#head++;
    // Compact occasionally so the array does not grow without bound.
    if (this.#head > 1024 && this.#head * 2 > this.#queue.length) {
      this.#queue = this.#queue.slice(this.#head);
      this.#head = 0;
    }
    this.#dirty.delete(key);
    this.#processing.add(key);
    this.#onDepthChange?.(this.len());
    return key;
  }
}
