// Waiting on conditions with a deadline instead of sleeping. On timeout the error says what
// was last seen, so a failure explains itself.
export interface WaitOptions {
  timeoutMs?: number;
  intervalMs?: number;
  /** What we wait for, in words, for the timeout message. */
  what: string;
}

export interface WaitForOptions<T> extends WaitOptions {
  /** The part of what was seen that the timeout message quotes (default: all of it). */
  summarize?: (seen: T) => unknown;
}

export async function waitFor<T>(
  probe: () => Promise<{ done: boolean; seen: T }>,
  opts: WaitForOptions<T>,
): Promise<T> {
  const deadline = Date.now() + (opts.timeoutMs ?? 60_000);
  let last: T | undefined;
  let lastError: unknown;
  for (;;) {
    try {
      const r = await probe();
      last = r.seen;
      lastError = undefined;
      if (r.done) return r.seen;
    } catch (err) {
      lastError = err;
    }
    if (Date.now() > deadline) {
      const seen = lastError
        ? `error: ${lastError instanceof Error ? lastError.message : JSON.stringify(lastError)}`
        : JSON.stringify(last !== undefined && opts.summarize ? opts.summarize(last) : last, null, 1)?.slice(0, 3000);
      throw new Error(`timed out after ${opts.timeoutMs ?? 60_000} ms waiting for ${opts.what}; last seen: ${seen}`);
    }
    await new Promise((r) => setTimeout(r, opts.intervalMs ?? 100));
  }
}
