// The retry delay for a failing key, modelled on client-go's DefaultControllerRateLimiter:
// the max of a per-item exponential backoff (one broken object backs off on its own) and a
// global token bucket (a mass failure, e.g. API server outage, cannot turn into a request storm).

import type { Clock } from './clock.ts';
import { positive } from './options.ts';

export interface RateLimiterOptions {
  /** First retry delay of a key; default 5 ms. */
  baseDelayMs?: number;
  /** Cap of the per-key backoff; default 60 s. */
  maxDelayMs?: number;
  /** Global refill rate in tokens per second; default 10. */
  qps?: number;
  /** Global bucket size; default 100. */
  burst?: number;
}

export class RateLimiter {
  readonly #clock: Clock;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #qps: number;
  readonly #burst: number;
  readonly #failures = new Map<string, number>();
  #tokens: number;
  #lastRefill: number;

  constructor(clock: Clock, options: RateLimiterOptions = {}) {
    this.#clock = clock;
    this.#baseDelayMs = positive('rate limiter', 'baseDelayMs', options.baseDelayMs ?? 5);
    this.#maxDelayMs = positive('rate limiter', 'maxDelayMs', options.maxDelayMs ?? 60_000);
    this.#qps = positive('rate limiter', 'qps', options.qps ?? 10);
    this.#burst = positive('rate limiter', 'burst', options.burst ?? 100);
    this.#tokens = this.#burst;
    this.#lastRefill = clock.now();
  }

  /** Records one more failure of key and returns how long to wait before retrying it. */
  when(key: string): number {
    const failures = this.#failures.get(key) ?? 0;
    this.#failures.set(key, failures + 1);
    // 2 ** failures overflows to Infinity for large counts; Math.min keeps it at the cap.
    const itemDelay = Math.min(this.#baseDelayMs * 2 ** failures, this.#maxDelayMs);
    return Math.max(itemDelay, this.#reserveToken());
  }

  numRequeues(key: string): number {
    return this.#failures.get(key) ?? 0;
  }

  forget(key: string): void {
    this.#failures.delete(key);
  }

  // Like golang.org/x/time/rate Reserve(): always takes a token, possibly going into debt,
  // and returns the wait until that token would have been available.
  #reserveToken(): number {
    const now = this.#clock.now();
    const elapsedSeconds = Math.max(0, now - this.#lastRefill) / 1000;
    this.#lastRefill = now;
    this.#tokens = Math.min(this.#burst, this.#tokens + elapsedSeconds * this.#qps);
    this.#tokens -= 1;
    return this.#tokens >= 0 ? 0 : Math.ceil((-this.#tokens / this.#qps) * 1000);
  }
}
