// A list+watch informer that does not die. client-node's own informer stops for good on any
// watch error other than 410 and never relists (see docs/client-node.md), which leaves
// a controller reconciling against a stale cache forever. This one:
//  - restarts after every error with exponential backoff + jitter (no reconnect storms);
//  - relists on 410 Gone, and every resyncMs, diffing the list against the cache so missed
//    events are repaired by synthetic add/update/delete;
//  - restarts a watch that saw no event or bookmark for watchdogMs (silent stalls);
//  - asks for bookmarks so a quiet watch resumes from a fresh resourceVersion;
//  - keeps deep-frozen objects in a read-only, indexed store.
// Handlers run synchronously and must only enqueue keys (level-triggered reconcile).

// Types only from client-node: its Watch and KubeConfig bring undici and more (ADR 0018);
// watch.ts speaks the same protocol over our own transport.
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node/dist/types.js';
import type { Registry } from 'prom-client';
import { statusCodeOf } from './apicall.ts';
import type { KubeConnection } from './connection.ts';
import { realClock, sleep, timeoutSignal, type Clock } from './clock.ts';
import { informerMetrics, type RestartReason } from './informermetrics.ts';
import { silentLogger, type Logger } from './logger.ts';
import { listFromPath } from './rawlist.ts';
import { ObjectStore, type Change, type ChangeType, type ReadonlyStore } from './store.ts';
import { positive } from './options.ts';
import { watchPath } from './watch.ts';

export type { ChangeType, ReadonlyStore } from './store.ts';
export type ChangeHandler<T> = (type: ChangeType, obj: T, old?: T) => void;

export interface InformerOptions<T extends KubernetesObject> {
  name: string;
  conn: KubeConnection;
  /** Collection path, e.g. /apis/apps/v1/namespaces/ns/deployments or /apis/apps/v1/deployments. */
  path: string;
  /**
   * Optional custom list (must apply the same labelSelector). By default the path is listed
   * as plain JSON, matching the shape of watched objects; prefer the default.
   */
  list?: (signal: AbortSignal) => Promise<KubernetesListObject<T>>;
  labelSelector?: string;
  /** Page size of the default list (limit/continue); default 500. */
  pageSize?: number;
  /** Periodic full relist; default 10 min. */
  resyncMs?: number;
  /** Restart a watch that saw no event or bookmark for this long; default 5 min. */
  watchdogMs?: number;
  /** Timeout of one list request; default 60 s. */
  listTimeoutMs?: number;
  /** Backoff after errors: base doubling to max, with jitter; default 500 ms .. 30 s. */
  backoffBaseMs?: number;
  backoffMaxMs?: number;
  clock?: Clock;
  logger?: Logger;
  registry?: Registry;
  random?: () => number;
  /**
   * Applied to every listed or watched object before it is stored (like client-go's
   * SetTransform): drop what the controller never reads to keep the cache small.
   */
  transform?: (obj: T) => T;
}

export interface ResilientInformer<T extends KubernetesObject> {
  readonly store: ReadonlyStore<T>;
  /** Registers a handler; returns a function that unregisters it. */
  onChange(handler: ChangeHandler<T>): () => void;
  /** Starts list+watch; resolves once the first list is in the store (retries until then). */
  start(): Promise<void>;
  synced(): boolean;
  stop(): void;
}

type WatchEnd = 'closed' | 'timeout' | 'watchdog' | 'resync' | 'gone' | 'stopped';

export function createInformer<T extends KubernetesObject>(opts: InformerOptions<T>): ResilientInformer<T> {
  const clock = opts.clock ?? realClock;
  const random = opts.random ?? Math.random;
  const logger = (opts.logger ?? silentLogger).child({ informer: opts.name });
  const resyncMs = positive('informer', 'resyncMs', opts.resyncMs ?? 600_000);
  const watchdogMs = positive('informer', 'watchdogMs', opts.watchdogMs ?? 300_000);
  const listTimeoutMs = positive('informer', 'listTimeoutMs', opts.listTimeoutMs ?? 60_000);
  const backoffBaseMs = positive('informer', 'backoffBaseMs', opts.backoffBaseMs ?? 500);
  const backoffMaxMs = positive('informer', 'backoffMaxMs', opts.backoffMaxMs ?? 30_000);
  if (!opts.path.startsWith('/'))
    throw new Error(`informer ${opts.name}: path must start with "/", got "${opts.path}"`);
  const transform = opts.transform ?? ((o: T) => o);
  // Either way, listed items arrive transformed. The default list transforms each page as it
  // arrives, so the raw objects of a large list are never all alive at once.
  const custom = opts.list;
  const list = custom
    ? async (signal: AbortSignal) => {
        const result = await custom(signal);
        return { ...result, items: result.items.map(transform) };
      }
    : (signal: AbortSignal) =>
        listFromPath<T>(opts.conn, opts.path, signal, {
          labelSelector: opts.labelSelector,
          limit: opts.pageSize,
          transform,
        });
  const store = new ObjectStore<T>();
  const handlers = new Set<ChangeHandler<T>>();
  const stopController = new AbortController();
  let lastEventAt: number | undefined;
  const metrics = informerMetrics(
    opts.name,
    () => (lastEventAt === undefined ? undefined : (clock.now() - lastEventAt) / 1000),
    opts.registry,
  );
  let resourceVersion: string | undefined;
  let lastListAt = 0;
  let isSynced = false;
  let failures = 0;
  let running: Promise<void> | undefined;
  let resolveSynced: () => void = () => {};
  const firstSync = new Promise<void>((resolve) => (resolveSynced = resolve));

  const emit = (change: Change<T> | undefined, old?: T): void => {
    if (!change) return;
    metrics.objects(store.size());
    for (const handler of handlers) {
      try {
        handler(change.type, change.obj, old);
      } catch (err) {
        logger.error('change handler threw', { err });
      }
    }
  };

  async function relist(): Promise<void> {
    const { signal, cancel } = timeoutSignal(clock, listTimeoutMs, stopController.signal);
    try {
      const result = await list(signal);
      if (stopController.signal.aborted) return;
      const olds = new Map(store.list().map((o) => [o.metadata?.uid, o]));
      for (const change of store.replaceAll(result.items))
        emit(change, change.type === 'update' ? olds.get(change.obj.metadata?.uid) : undefined);
      metrics.objects(store.size());
      resourceVersion = result.metadata?.resourceVersion;
      lastListAt = clock.now();
      lastEventAt = lastListAt; // a fresh list is as good a sign of life as an event
      failures = 0;
      if (!isSynced) {
        isSynced = true;
        metrics.synced(true);
        logger.info('synced', { objects: store.size(), resourceVersion });
        resolveSynced();
      }
    } finally {
      cancel();
    }
  }

  function watchOnce(): Promise<{ end: WatchEnd; events: number }> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let events = 0;
      let controller: AbortController | undefined;
      let cancelWatchdog = clock.setTimeout(() => finish(() => resolve({ end: 'watchdog', events })), watchdogMs);
      const cancelResync = clock.setTimeout(
        () => finish(() => resolve({ end: 'resync', events })),
        lastListAt + resyncMs - clock.now(),
      );
      const onStop = () => finish(() => resolve({ end: 'stopped', events }));
      stopController.signal.addEventListener('abort', onStop, { once: true });
      function finish(settle: () => void): void {
        if (settled) return;
        settled = true;
        cancelWatchdog();
        cancelResync();
        stopController.signal.removeEventListener('abort', onStop);
        controller?.abort();
        settle();
      }
      const onEvent = (type: string, obj: T & { code?: number; message?: string }): void => {
        if (settled) return;
        events++;
        lastEventAt = clock.now();
        cancelWatchdog();
        cancelWatchdog = clock.setTimeout(() => finish(() => resolve({ end: 'watchdog', events })), watchdogMs);
        metrics.event(type);
        if (type === 'ERROR') {
          const status = Object.assign(new Error(`watch error: ${obj.message ?? 'unknown'}`), { statusCode: obj.code });
          finish(() => (obj.code === 410 ? resolve({ end: 'gone', events }) : reject(status)));
          return;
        }
        resourceVersion = obj.metadata?.resourceVersion ?? resourceVersion;
        failures = 0;
        if (type === 'ADDED' || type === 'MODIFIED') {
          const old = store.get(obj.metadata?.namespace, obj.metadata?.name ?? '');
          emit(store.upsert(transform(obj)), old);
        } else if (type === 'DELETED') {
          emit(store.remove(obj));
        }
      };
      const onDone = (err: unknown): void => {
        if (!err) return finish(() => resolve({ end: 'closed', events }));
        if ((err as { name?: string }).name === 'TimeoutError')
          return finish(() => resolve({ end: 'timeout', events }));
        if (statusCodeOf(err) === 410) return finish(() => resolve({ end: 'gone', events }));
        // The watch's own error, rejected as is so callers can read its status code.
        // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
        finish(() => reject(err));
      };
      const query = {
        allowWatchBookmarks: true,
        resourceVersion,
        labelSelector: opts.labelSelector,
        // Spread server-side watch timeouts (like client-go's reflector) so watches do not all
        // end at once.
        timeoutSeconds: Math.floor(300 + random() * 300),
      };
      watchPath(opts.conn, opts.path, query, onEvent, onDone).then(
        (c) => {
          controller = c;
          if (settled) c.abort();
        },
        (err: unknown) => finish(() => reject(err)),
      );
    });
  }

  async function loop(): Promise<void> {
    let needList = true;
    while (!stopController.signal.aborted) {
      try {
        if (needList) {
          await relist();
          needList = false;
          if (stopController.signal.aborted) break;
        }
        const { end, events } = await watchOnce();
        if (end === 'stopped') break;
        metrics.restarted(end);
        logger.debug('watch ended', { reason: end, events, resourceVersion });
        if (end === 'gone' || end === 'resync' || end === 'watchdog') needList = true;
        if (end === 'gone') resourceVersion = undefined;
        // A watch that ends without delivering anything must not become a hot loop.
        if (events === 0 && (end === 'closed' || end === 'timeout'))
          await sleep(clock, jittered(backoffBaseMs), stopController.signal);
      } catch (err) {
        if (stopController.signal.aborted) break;
        const reason = classify(err);
        metrics.restarted(reason);
        failures++;
        const delay = jittered(Math.min(backoffMaxMs, backoffBaseMs * 2 ** (failures - 1)));
        logger.warn('list/watch failed; retrying', { reason, failures, delayMs: delay, err });
        if (reason === 'gone') {
          resourceVersion = undefined;
          needList = true;
        }
        await sleep(clock, delay, stopController.signal);
      }
    }
  }

  // Equal jitter: between half and the full delay, so synchronized clients spread out.
  const jittered = (ms: number): number => Math.round(ms / 2 + (random() * ms) / 2);

  return {
    store,
    onChange(handler) {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    start() {
      if (stopController.signal.aborted) return Promise.reject(new Error(`informer ${opts.name}: already stopped`));
      running ??= loop().catch((err: unknown) => logger.error('informer loop crashed', { err }));
      return firstSync;
    },
    synced: () => isSynced,
    stop() {
      stopController.abort();
      // Unblock anyone awaiting start(); synced() stays false if the first list never finished.
      resolveSynced();
    },
  };
}

function classify(err: unknown): RestartReason {
  const code = statusCodeOf(err);
  if (code === 410) return 'gone';
  if (code === 429) return 'throttled';
  if (code === 401 || code === 403) return 'unauthorized';
  if (code !== undefined && code >= 500) return 'server_error';
  return 'error';
}
