// Workers that drain a WorkQueue into a reconcile function, with controller-runtime's contract:
//   success            -> forget the key's failure history, optionally requeue after a delay;
//   TerminalError      -> log, forget, do not retry (retrying cannot fix it; a new event will);
//   any other throw    -> log, addRateLimited (per-key exponential backoff + global bucket).
// A throw of a non-Error (the closest JS has to a Go panic) is treated like an error, never
// kills the worker. The queue guarantees one key is never reconciled by two workers at once.

import { realClock, type Clock } from './clock.ts';
import type { Logger } from './logger.ts';
import type { ReconcileOutcome, RunnerMetrics } from './metrics.ts';
import type { WorkQueue } from './workqueue.ts';

export interface ReconcileResult {
  requeueAfterMs?: number;
}

/** An error that retrying cannot fix (e.g. invalid spec): logged and not requeued. */
export class TerminalError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'TerminalError';
  }
}

export interface RunWorkersOptions {
  queue: WorkQueue;
  workers: number;
  reconcile: (key: string, signal: AbortSignal) => Promise<ReconcileResult>;
  logger: Logger;
  /** Each reconcile's signal aborts after this long; default 30 s. */
  timeoutMs?: number;
  metrics?: RunnerMetrics;
  clock?: Clock;
}

export interface Workers {
  /**
   * Stops taking keys, lets workers finish the reconcile they are in (aborting its signal
   * when abortInFlight is set, e.g. on lost leadership) and resolves when all have returned.
   * The queue is NOT shut down: keys stay queued for the next runWorkers() on the same queue
   * (e.g. after leadership is regained). Workers also end when the queue is shut down.
   */
  stop(options?: { abortInFlight?: boolean }): Promise<void>;
}

export function runWorkers(options: RunWorkersOptions): Workers {
  const { queue, reconcile, logger, metrics } = options;
  const clock = options.clock ?? realClock;
  const timeoutMs = options.timeoutMs ?? 30_000;
  if (!Number.isInteger(options.workers) || options.workers < 1) {
    throw new Error(`runWorkers: workers must be a positive integer, got ${options.workers}`);
  }
  if (!(timeoutMs > 0)) throw new Error(`runWorkers: timeoutMs must be positive, got ${timeoutMs}`);

  const stopController = new AbortController();
  let active = 0;

  async function processOne(key: string): Promise<void> {
    const started = clock.now();
    const timeout = new AbortController();
    const cancelTimer = clock.setTimeout(
      () => timeout.abort(new DOMException(`reconcile of ${key} exceeded ${timeoutMs} ms`, 'TimeoutError')),
      timeoutMs,
    );
    const signal = AbortSignal.any([timeout.signal, stopController.signal]);
    metrics?.activeWorkers(++active);
    let outcome: ReconcileOutcome;
    try {
      const result = await reconcile(key, signal);
      queue.forget(key);
      const after = result?.requeueAfterMs;
      if (after !== undefined && after > 0) {
        queue.addAfter(key, after);
        outcome = 'requeue_after';
      } else {
        outcome = 'success';
      }
      logger.debug('reconciled', { key, durationMs: clock.now() - started, requeueAfterMs: after });
    } catch (err) {
      const fields = { key, durationMs: clock.now() - started, err };
      if (err instanceof TerminalError) {
        queue.forget(key);
        outcome = 'terminal_error';
        logger.error('reconcile failed terminally; not retrying', fields);
      } else {
        outcome = 'error';
        // An abort by stop() (lost leadership) is not the key's fault: requeue it without
        // backoff so the next runWorkers() on this queue picks it up.
        if (stopController.signal.aborted) queue.add(key);
        else queue.addRateLimited(key);
        logger.error('reconcile failed; retrying with backoff', { ...fields, retries: queue.numRequeues(key) });
      }
    } finally {
      cancelTimer();
      queue.done(key);
      metrics?.activeWorkers(--active);
    }
    metrics?.reconciled(outcome, clock.now() - started);
    metrics?.queueDepth(queue.len());
  }

  async function worker(): Promise<void> {
    while (!halt.signal.aborted) {
      const key = await queue.get(halt.signal);
      if (key === undefined) return;
      if (halt.signal.aborted) {
        // Handed a key in the same tick as stop(): give it back rather than lose it.
        queue.done(key);
        queue.add(key);
        return;
      }
      await processOne(key);
    }
  }

  // halt: stop taking keys. stopController (above): abort reconciles in flight.
  const halt = new AbortController();
  const loops = Array.from({ length: options.workers }, () => worker());
  const all = Promise.all(loops).then(() => undefined);

  return {
    async stop(stopOptions = {}) {
      halt.abort();
      if (stopOptions.abortInFlight) stopController.abort(new DOMException('workers stopping', 'AbortError'));
      await all;
    },
  };
}
