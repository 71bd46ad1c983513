// Idempotency keys: a retried request with the same key gets the first answer instead of doing
// the work twice (a second charge). The same key with a DIFFERENT request is a client bug: 409.
// Concurrent duplicates share one in-flight promise. Failures are forgotten so a retry can
// succeed later.
import type { Context } from 'koa';
import { BoundedMap } from './bounded.ts';
import { HttpError } from './errors.ts';

const KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

export interface Replayable {
  status: number;
  body: unknown;
}

export function idempotencyKey(ctx: Context, opts: { required: boolean }): string | undefined {
  const key = ctx.get('Idempotency-Key');
  if (!key) {
    if (opts.required) throw new HttpError(400, 'missing_idempotency_key', 'Idempotency-Key header is required');
    return undefined;
  }
  if (!KEY_PATTERN.test(key)) {
    throw new HttpError(400, 'invalid_idempotency_key', 'Idempotency-Key must be 1-128 characters of A-Za-z0-9_.:-');
  }
  return key;
}

export class IdempotencyStore {
  readonly #entries: BoundedMap<string, { fingerprint: string; result: Promise<Replayable> }>;
  constructor(capacity: number) {
    this.#entries = new BoundedMap(capacity);
  }

  /** Runs `work` once per (scope, key); replays its result for later calls with the same request. */
  async run(
    scope: string,
    key: string | undefined,
    request: unknown,
    work: () => Promise<Replayable>,
  ): Promise<Replayable & { replayed: boolean }> {
    if (key === undefined) return { ...(await work()), replayed: false };
    const id = `${scope}\u0000${key}`;
    const fingerprint = JSON.stringify(request);
    const existing = this.#entries.get(id);
    if (existing) {
      if (existing.fingerprint !== fingerprint) {
        throw new HttpError(409, 'idempotency_key_reused', 'Idempotency-Key was already used with a different request');
      }
      return { ...(await existing.result), replayed: true };
    }
    const result = work();
    this.#entries.set(id, { fingerprint, result });
    try {
      return { ...(await result), replayed: false };
    } catch (err) {
      this.#entries.delete(id);
      throw err;
    }
  }
}
