// The in-memory delivery queue: bounded, and only a cache of what status.notifications holds
// pending (the record of it, docs/adr/0025). Per object and provider ("a lane") notifications go
// out one at a time, in order; a failed one is tried again with exponential backoff and jitter
// until it is delivered, refused, or older than the horizon. A reconcile only enqueues (no await),
// so a receiver that is down or slow never delays one. Time comes from an injected Clock.
import type { NotificationRecord } from '../api/types.ts';
import type { Clock } from '../runtime/clock.ts';
import { DEFAULT_BACKOFF, retryDelayMs, type BackoffPolicy } from './backoff.ts';
import type { NotifiedObject } from './payloads.ts';
import type { AttemptOutcome } from './send.ts';

export interface Delivery {
  /** "namespace/name" of the BlueGreenService. */
  objectKey: string;
  object: NotifiedObject;
  provider: string;
  record: NotificationRecord;
}

export type Finish = { kind: 'delivered' } | { kind: 'dropped'; why: 'refused' | 'expired'; error: string };

export interface OutboxOptions {
  clock: Clock;
  attempt: (d: Delivery, signal: AbortSignal) => Promise<AttemptOutcome>;
  /** Deliveries held at most; past it enqueue() answers 'full' (status keeps them pending). */
  capacity: number;
  /** Attempts in flight at most, over all providers. */
  concurrency: number;
  /** A delivery still failing this long after it was enqueued is given up. */
  retryForMs: number;
  backoff?: BackoffPolicy;
  /** In [0, 1); the jitter. */
  random?: () => number;
  onAttempt?: (d: Delivery, outcome: AttemptOutcome, ms: number) => void;
  onFinish: (d: Delivery, finish: Finish) => void;
}

interface Queued extends Delivery {
  id: string;
  enqueuedAt: number;
  failures: number;
  dueAt: number;
}

export function deliveryId(d: Pick<Delivery, 'objectKey' | 'provider' | 'record'>): string {
  return `${d.objectKey}|${d.record.key}|${d.provider}`;
}

export class Outbox {
  readonly #o: OutboxOptions;
  /** Lane "objectKey|provider" -> its deliveries, oldest first; Map order is the round-robin. */
  #lanes = new Map<string, Queued[]>();
  #ids = new Set<string>();
  #busy = new Set<string>();
  #inFlight = new Set<Promise<void>>();
  #abort = new AbortController();
  #timer: { at: number; cancel: () => void } | undefined;

  constructor(options: OutboxOptions) {
    this.#o = options;
  }

  get size(): number {
    return this.#ids.size;
  }

  has(id: string): boolean {
    return this.#ids.has(id);
  }

  enqueue(d: Delivery): 'queued' | 'known' | 'full' {
    const id = deliveryId(d);
    if (this.#ids.has(id)) return 'known';
    if (this.#ids.size >= this.#o.capacity) return 'full';
    const now = this.#o.clock.now();
    const lane = `${d.objectKey}|${d.provider}`;
    const queue = this.#lanes.get(lane) ?? [];
    queue.push({ ...d, id, enqueuedAt: now, failures: 0, dueAt: now });
    this.#lanes.set(lane, queue);
    this.#ids.add(id);
    this.#pump();
    return 'queued';
  }

  /** Drops everything and aborts what is in flight (status keeps it pending for whoever leads next). */
  stop(): void {
    this.#abort.abort(new Error('notification outbox stopped'));
    this.#abort = new AbortController();
    this.#timer?.cancel();
    this.#timer = undefined;
    this.#lanes = new Map();
    this.#ids = new Set();
    this.#busy = new Set();
  }

  /** Resolves once no attempt is in flight (tests; due retries are the clock's business). */
  async settled(): Promise<void> {
    while (this.#inFlight.size > 0) await Promise.allSettled([...this.#inFlight]);
  }

  #pump(): void {
    const now = this.#o.clock.now();
    let next = Infinity;
    for (const [lane, queue] of this.#lanes) {
      const head = queue[0];
      if (!head || this.#busy.has(lane)) continue;
      if (head.dueAt > now) next = Math.min(next, head.dueAt);
      else if (this.#busy.size < this.#o.concurrency) this.#start(lane, head);
    }
    this.#arm(next);
  }

  /** One timer, for the soonest retry. */
  #arm(at: number): void {
    if (!Number.isFinite(at) || (this.#timer && this.#timer.at <= at)) return;
    this.#timer?.cancel();
    const cancel = this.#o.clock.setTimeout(() => {
      this.#timer = undefined;
      this.#pump();
    }, at - this.#o.clock.now());
    this.#timer = { at, cancel };
  }

  #start(lane: string, q: Queued): void {
    this.#busy.add(lane);
    const signal = this.#abort.signal;
    const started = this.#o.clock.now();
    const run = this.#o
      .attempt(q, signal)
      .catch((err: unknown): AttemptOutcome | undefined =>
        signal.aborted ? undefined : { kind: 'retry', error: `internal error: ${String(err)}` },
      )
      .then((outcome) => {
        if (outcome === undefined || signal.aborted) return; // stopped: nothing of it survives
        this.#o.onAttempt?.(q, outcome, this.#o.clock.now() - started);
        this.#busy.delete(lane);
        this.#settle(lane, q, outcome);
        this.#pump();
      });
    this.#inFlight.add(run);
    void run.finally(() => this.#inFlight.delete(run));
  }

  #settle(lane: string, q: Queued, outcome: AttemptOutcome): void {
    if (outcome.kind === 'retry' && this.#o.clock.now() - q.enqueuedAt < this.#o.retryForMs) {
      q.failures++;
      const backoff = retryDelayMs(q.failures, (this.#o.random ?? Math.random)(), this.#o.backoff ?? DEFAULT_BACKOFF);
      const asked = Math.min(outcome.retryAfterMs ?? 0, (this.#o.backoff ?? DEFAULT_BACKOFF).maxMs);
      q.dueAt = this.#o.clock.now() + Math.max(backoff, asked);
      return;
    }
    const queue = this.#lanes.get(lane)!;
    queue.shift();
    this.#ids.delete(q.id);
    // The lane goes to the back of the round-robin (or away when empty).
    this.#lanes.delete(lane);
    if (queue.length > 0) this.#lanes.set(lane, queue);
    const finish: Finish =
      outcome.kind === 'delivered'
        ? { kind: 'delivered' }
        : { kind: 'dropped', why: outcome.kind === 'reject' ? 'refused' : 'expired', error: outcome.error };
    this.#o.onFinish(q, finish);
  }
}
