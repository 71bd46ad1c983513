// When to try a failed delivery again. PURE: the randomness is given. Exponential with "equal
// jitter": half the step is fixed (the delay always grows), half is random (receivers that come
// back are not hit by every operator's retries in the same second).

export interface BackoffPolicy {
  /** Delay after the first failure, ms. */
  baseMs: number;
  /** Longest delay, ms. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffPolicy = { baseMs: 1_000, maxMs: 300_000 };

/** Delay after the `failures`-th failed attempt (1-based); `random` in [0, 1). */
export function retryDelayMs(failures: number, random: number, policy: BackoffPolicy = DEFAULT_BACKOFF): number {
  const step = Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, failures - 1));
  return Math.round(step / 2 + (random * step) / 2);
}
