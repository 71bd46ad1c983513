// Time is injected everywhere in the runtime so that backoff, delays, leases and watchdogs
// can be tested deterministically with FakeClock instead of sleeps.

export interface Clock {
  /** Milliseconds since the epoch (or any monotonic-enough origin for FakeClock). */
  now(): number;
  /** Runs fn after ms; returns a function that cancels the timer (idempotent). */
  setTimeout(fn: () => void, ms: number): () => void;
}

export const realClock: Clock = {
  now: () => Date.now(),
  setTimeout(fn, ms) {
    const handle = setTimeout(fn, Math.max(0, ms));
    // Runtime timers (requeues, backoff, watchdogs) must never by themselves keep a process
    // alive that has otherwise finished (tests, graceful shutdown).
    handle.unref();
    return () => clearTimeout(handle);
  },
};

interface FakeTimer {
  due: number;
  seq: number;
  fn: () => void;
}

/** A manual clock: time moves only through advance(); due timers fire in (due, creation) order. */
export class FakeClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: FakeTimer[] = [];

  constructor(startMs = 1_700_000_000_000) {
    this.#now = startMs;
  }

  now(): number {
    return this.#now;
  }

  setTimeout(fn: () => void, ms: number): () => void {
    const timer: FakeTimer = { due: this.#now + Math.max(0, ms), seq: this.#seq++, fn };
    this.#timers.push(timer);
    return () => {
      this.#timers = this.#timers.filter((t) => t !== timer);
    };
  }

  /** Number of timers not yet fired or cancelled. */
  pendingTimers(): number {
    return this.#timers.length;
  }

  /** Moves time forward by ms, firing every timer that falls due (including ones they schedule). */
  advance(ms: number): void {
    const target = this.#now + ms;
    for (let next = this.#nextDue(target); next; next = this.#nextDue(target)) {
      this.#now = next.due;
      next.fn();
    }
    this.#now = target;
  }

  /**
   * Like advance(), but lets promise continuations run after each fired timer, so async code
   * that awaits between timers (leader election, informer restarts) progresses as it would live.
   */
  async advanceAsync(ms: number): Promise<void> {
    const target = this.#now + ms;
    await flushMicrotasks();
    for (let next = this.#nextDue(target); next; next = this.#nextDue(target)) {
      this.#now = next.due;
      next.fn();
      await flushMicrotasks();
    }
    this.#now = target;
    await flushMicrotasks();
  }

  #nextDue(target: number): FakeTimer | undefined {
    let best: FakeTimer | undefined;
    for (const t of this.#timers) {
      if (t.due <= target && (!best || t.due < best.due || (t.due === best.due && t.seq < best.seq))) best = t;
    }
    if (best) this.#timers = this.#timers.filter((t) => t !== best);
    return best;
  }
}

/** Resolves after pending promise callbacks (and one macrotask turn) have run. */
export function flushMicrotasks(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/** Resolves after ms on clock, or early (without throwing) when signal aborts. */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const onAbort = () => {
      cancel();
      resolve();
    };
    const cancel = clock.setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * An AbortSignal that aborts with a TimeoutError after ms on clock (AbortSignal.timeout() only
 * knows real time), or when parent aborts. Call cancel() once done so the timer does not linger.
 */
export function timeoutSignal(
  clock: Clock,
  ms: number,
  parent?: AbortSignal,
): { signal: AbortSignal; cancel: () => void } {
  const controller = new AbortController();
  const cancelTimer = clock.setTimeout(
    () => controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError')),
    ms,
  );
  const signal = parent ? AbortSignal.any([controller.signal, parent]) : controller.signal;
  return { signal, cancel: cancelTimer };
}
