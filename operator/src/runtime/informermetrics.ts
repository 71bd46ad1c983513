// Informer health as metrics: restarts by reason show flapping watches, last-event age shows
// a stalled one (the failure mode client-node informers are known for), synced/objects show
// whether the cache can be trusted.

import { Gauge, register as defaultRegistry, type Registry } from 'prom-client';
import { counter, gauge } from './metrics.ts';

export type RestartReason =
  | 'closed' // server ended the watch (timeoutSeconds elapsed)
  | 'timeout' // the watch's 30 s inactivity timeout (watch.ts)
  | 'watchdog' // no event or bookmark for watchdogMs
  | 'resync' // periodic full relist
  | 'gone' // 410: resourceVersion too old
  | 'throttled' // 429
  | 'unauthorized' // 401/403
  | 'server_error' // 5xx
  | 'error'; // network and anything else

export interface InformerMetrics {
  restarted(reason: RestartReason): void;
  event(type: string): void;
  synced(value: boolean): void;
  objects(count: number): void;
}

// One last-event-age gauge per registry, fed by every informer registered on it.
const ageSources = new WeakMap<Registry, Map<string, () => number | undefined>>();

export function informerMetrics(
  informer: string,
  lastEventAgeSeconds: () => number | undefined,
  registry?: Registry,
): InformerMetrics {
  const reg = registry ?? defaultRegistry;
  let sources = ageSources.get(reg);
  if (!sources) {
    const map = new Map<string, () => number | undefined>();
    sources = map;
    ageSources.set(reg, map);
    if (!reg.getSingleMetric('informer_last_event_age_seconds')) {
      new Gauge({
        name: 'informer_last_event_age_seconds',
        help: 'Seconds since the informer last received a watch event or bookmark.',
        labelNames: ['informer'],
        registers: [reg],
        // Computed at scrape time so a stalled watch shows a growing age without any timer.
        collect() {
          for (const [name, read] of map) {
            const value = read();
            if (value !== undefined) this.set({ informer: name }, value);
          }
        },
      });
    }
  }
  sources.set(informer, lastEventAgeSeconds);

  const restarts = counter(reg, {
    name: 'informer_restarts_total',
    help: 'Watch restarts by reason.',
    labelNames: ['informer', 'reason'] as const,
  });
  const events = counter(reg, {
    name: 'informer_events_total',
    help: 'Watch events received, by type.',
    labelNames: ['informer', 'type'] as const,
  });
  const synced = gauge(reg, {
    name: 'informer_synced',
    help: '1 once the informer completed its first list.',
    labelNames: ['informer'] as const,
  });
  const objects = gauge(reg, {
    name: 'informer_objects',
    help: 'Objects in the informer cache.',
    labelNames: ['informer'] as const,
  });
  synced.set({ informer }, 0);
  return {
    restarted: (reason) => restarts.inc({ informer, reason }),
    event: (type) => events.inc({ informer, type }),
    synced: (value) => synced.set({ informer }, value ? 1 : 0),
    objects: (count) => objects.set({ informer }, count),
  };
}
