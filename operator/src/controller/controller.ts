// Wiring of informers, work queue and workers. Event handlers only enqueue keys; every
// owned object maps to its BlueGreenService through the bluegreen.dev/service label.
import type { KubernetesObject } from '@kubernetes/client-node';
import type { KubeConnection } from '../runtime/connection.ts';
import type { Registry } from 'prom-client';
import { LABELS } from '../api/constants.ts';
import { EventRecorder } from '../k8s/events.ts';
import { PrometheusClient } from '../analysis/prometheus.ts';
import { Writers } from '../k8s/writers.ts';
import { notificationMetrics } from '../metrics/notification-metrics.ts';
import type { OperatorMetrics } from '../metrics/operator-metrics.ts';
import { realClock } from '../runtime/clock.ts';
import type { Logger } from '../runtime/logger.ts';
import { objectKey } from '../runtime/keys.ts';
import { controllerMetrics } from '../runtime/metrics.ts';
import { runWorkers, type Workers } from '../runtime/runner.ts';
import { WorkQueue } from '../runtime/workqueue.ts';
import { allInformers, allSynced, createInformers, type Informers } from './informers.ts';
import { Notifications, type NotificationSettings } from './notifications.ts';
import { objectMetrics, type ObjectMetrics } from './object-metrics.ts';
import { WriteOverlay } from './overlay.ts';
import { Reconciler } from './reconciler.ts';

export interface ControllerOptions {
  conn: KubeConnection;
  namespace: string | undefined;
  workers: number;
  resyncMs: number;
  reconcileTimeoutMs: number;
  identity: string;
  registry: Registry;
  metrics: OperatorMetrics;
  logger: Logger;
  /** Without providers nothing about notifications runs (no status field, no metric). */
  notifications: NotificationSettings;
}

/** The BlueGreenService key an owned object belongs to, if any. */
export function ownerKey(obj: KubernetesObject): string | undefined {
  const name = obj.metadata?.labels?.[LABELS.service];
  return name ? objectKey(obj.metadata?.namespace, name) : undefined;
}

export class Controller {
  readonly informers: Informers;
  readonly #opts: ControllerOptions;
  readonly #queue: WorkQueue;
  readonly #reconciler: Reconciler;
  readonly #metrics: ObjectMetrics;
  readonly #notifications: Notifications | undefined;
  #workers: Workers | undefined;

  constructor(opts: ControllerOptions) {
    this.#opts = opts;
    this.informers = createInformers({
      conn: opts.conn,
      namespace: opts.namespace,
      resyncMs: opts.resyncMs,
      logger: opts.logger,
      registry: opts.registry,
    });
    const runner = controllerMetrics('bluegreenservice', opts.registry);
    this.#queue = new WorkQueue({ onDepthChange: (n) => runner.queueDepth(n) });
    this.#runnerMetrics = runner;
    const overlay = new WriteOverlay(Date.now);
    const api = new Writers(opts.conn, opts.registry);
    // Per-object series exist only for live objects and only on the leader.
    this.#metrics = objectMetrics(opts.metrics, (ns, name) => this.informers.bgs.store.get(ns, name) !== undefined);
    const events = new EventRecorder(opts.conn, opts.identity, opts.logger);
    this.#notifications = this.#newNotifications(events);
    this.#reconciler = new Reconciler({
      caches: this.informers,
      reader: api,
      writer: api,
      events,
      ...(this.#notifications ? { notifications: this.#notifications } : {}),
      prometheus: (settings, headers, tls) =>
        new PrometheusClient({
          address: settings.address,
          timeoutMs: settings.timeoutMs,
          headers,
          ...(tls ? { tls } : {}),
        }),
      overlay,
      metrics: this.#metrics,
      logger: opts.logger,
      now: Date.now,
    });
    this.#enqueueOnChange(overlay);
  }

  /** The notifications port, or none when no provider is configured. */
  #newNotifications(events: EventRecorder): Notifications | undefined {
    const opts = this.#opts;
    const notify = opts.notifications;
    if (notify.providers.length === 0) return undefined;
    return new Notifications({
      settings: notify,
      events,
      metrics: notificationMetrics(
        opts.registry,
        notify.providers.map((p) => p.name),
      ),
      logger: opts.logger.child({ component: 'notifications' }),
      clock: realClock,
      requeue: (key) => this.#queue.add(key),
    });
  }

  /** Event handlers only enqueue keys; the overlay hears first, so the reconcile they queue already reads the cache. */
  #enqueueOnChange(overlay: WriteOverlay): void {
    const i = this.informers;
    i.bgs.onChange((t, obj) => {
      overlay.observe('BlueGreenService', t, obj);
      if (t === 'delete') this.#metrics.forget(obj.metadata?.namespace ?? '', obj.metadata.name!);
      this.#queue.add(objectKey(obj.metadata?.namespace, obj.metadata.name!));
    });
    const kinds = [
      [i.deployments, 'Deployment'],
      [i.services, 'Service'],
      [i.slices, undefined],
    ] as const;
    for (const [inf, kind] of kinds) {
      (inf as Informers['deployments']).onChange((t, obj) => {
        if (kind) overlay.observe(kind, t, obj);
        const key = ownerKey(obj);
        if (key) this.#queue.add(key);
      });
    }
  }

  readonly #runnerMetrics: ReturnType<typeof controllerMetrics>;

  /** Fill the caches. Standby replicas do this too, so a failover starts with a warm cache. */
  async sync(): Promise<void> {
    await Promise.all(allInformers(this.informers).map((inf) => inf.start()));
  }

  synced(): boolean {
    return allSynced(this.informers);
  }

  /** Start reconciling (as the leader): every known BlueGreenService is queued once. */
  startWorkers(): void {
    this.#metrics.setLeading(true);
    this.#notifications?.start();
    for (const bgs of this.informers.bgs.store.list())
      this.#queue.add(objectKey(bgs.metadata?.namespace, bgs.metadata.name!));
    this.#workers = runWorkers({
      queue: this.#queue,
      workers: this.#opts.workers,
      reconcile: (key, signal) => this.#reconciler.reconcile(key, signal),
      logger: this.#opts.logger,
      timeoutMs: this.#opts.reconcileTimeoutMs,
      metrics: this.#runnerMetrics,
    });
  }

  async stopWorkers(abortInFlight: boolean): Promise<void> {
    this.#metrics.setLeading(false); // before the stop: in-flight reconciles export nothing more
    // Undelivered notifications stay pending in status: the next leader sends them.
    this.#notifications?.stop();
    await this.#workers?.stop({ abortInFlight });
    this.#workers = undefined;
  }

  stopInformers(): void {
    for (const inf of allInformers(this.informers)) inf.stop();
  }
}
