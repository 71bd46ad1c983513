// The real Reconciler with notifications inside the simulation's SimCluster (test/sim, used as
// it is): caches filled from the cluster on sync, a write overlay, and a Notifications instance
// whose outbox runs on a FakeClock and delivers over real HTTP to local receivers. restart()
// throws the process state away (overlay, outbox, acknowledgements), as a crashed pod would.
import type { KubernetesObject, V1Deployment, V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { NS, Crash, type SimCluster } from '../../test/sim/cluster.ts';
import type { BlueGreenService } from '../src/api/types.ts';
import { Notifications, type NotificationSettings } from '../src/controller/notifications.ts';
import { WriteOverlay } from '../src/controller/overlay.ts';
import { Reconciler } from '../src/controller/reconciler.ts';
import { notificationMetrics } from '../src/metrics/notification-metrics.ts';
import { operatorMetrics } from '../src/metrics/operator-metrics.ts';
import { FakeClock } from '../src/runtime/clock.ts';
import { silentLogger, type Logger } from '../src/runtime/logger.ts';
import { ObjectStore } from '../src/runtime/store.ts';

export class NotifyingOperator {
  readonly caches = {
    bgs: { store: new ObjectStore<BlueGreenService & KubernetesObject>() },
    deployments: { store: new ObjectStore<V1Deployment>() },
    services: { store: new ObjectStore<V1Service>() },
    slices: { store: new ObjectStore<V1EndpointSlice>() },
  };
  readonly clock = new FakeClock();
  /** The process's metrics registry (a new one per restart). */
  registry = new Registry();
  /** Processes that died in a reconcile (a Crash) and were started again. */
  crashes = 0;
  /** Keys the notifications asked to reconcile again (acknowledgements to write). */
  readonly requeued: string[] = [];
  notifications!: Notifications;
  #overlay!: WriteOverlay;
  #reconciler!: Reconciler;
  readonly #cluster: SimCluster;
  readonly #settings: NotificationSettings | undefined;
  readonly #logger: Logger;

  constructor(cluster: SimCluster, settings: NotificationSettings | undefined, logger: Logger = silentLogger) {
    this.#cluster = cluster;
    this.#settings = settings;
    this.#logger = logger;
    this.restart();
  }

  /** A new process: fresh overlay, outbox and acknowledgements; the caches list everything again. */
  restart(): void {
    this.notifications?.stop();
    this.#overlay = new WriteOverlay(() => this.#cluster.now);
    const settings = this.#settings;
    this.registry = new Registry();
    if (settings) {
      this.notifications = new Notifications({
        settings,
        events: this.#cluster,
        metrics: notificationMetrics(
          this.registry,
          settings.providers.map((p) => p.name),
        ),
        logger: this.#logger,
        clock: this.clock,
        requeue: (key) => this.requeued.push(key),
        random: () => 0,
      });
      this.notifications.start();
    }
    this.#reconciler = new Reconciler({
      caches: this.caches,
      reader: this.#cluster,
      writer: this.#cluster,
      events: this.#cluster,
      prometheus: this.#cluster.provider,
      overlay: this.#overlay,
      metrics: operatorMetrics(new Registry()),
      logger: this.#logger,
      now: () => this.#cluster.now,
      ...(settings ? { notifications: this.notifications } : {}),
    });
    this.syncAll();
  }

  syncAll(): void {
    const c = this.#cluster;
    const lists = {
      bgs: [...c.bgs.values()],
      deployments: [...c.deployments.values()],
      services: [...c.services.values()],
      slices: c.endpointSlices(),
    };
    const kinds = { bgs: 'BlueGreenService', deployments: 'Deployment', services: 'Service', slices: undefined };
    for (const kind of ['bgs', 'deployments', 'services', 'slices'] as const) {
      const items = lists[kind].map((o: KubernetesObject) =>
        structuredClone({ ...o, metadata: { ...o.metadata, namespace: NS } }),
      );
      const store = this.caches[kind].store as ObjectStore<KubernetesObject>;
      for (const change of store.replaceAll(items))
        if (kinds[kind]) this.#overlay.observe(kinds[kind], change.type, change.obj);
    }
  }

  /** One reconcile; a Crash restarts the process (like the simulation's operator). */
  async reconcile(name: string): Promise<void> {
    try {
      await this.#reconciler.reconcile(`${NS}/${name}`, new AbortController().signal);
    } catch (err) {
      if (!(err instanceof Crash)) throw err;
      this.crashes++;
      this.restart();
    }
  }

  /** Pods roll and get ready, caches catch up, deliveries in flight finish. */
  async settle(): Promise<void> {
    const c = this.#cluster;
    for (const name of [...c.deployments.keys()]) {
      for (let i = 0; i < 8; i++) {
        c.deploymentController(name);
        c.podReady(name);
      }
      c.deploymentController(name);
    }
    this.syncAll();
    await this.notifications?.settled();
  }

  /** `rounds` passes of: reconcile, settle, let retries due within `stepMs` run, advance time. */
  async run(name: string, rounds: number, stepMs = 10_000): Promise<void> {
    for (let i = 0; i < rounds; i++) {
      await this.reconcile(name);
      await this.settle();
      this.clock.advance(stepMs);
      await this.notifications?.settled();
      this.#cluster.now += stepMs;
    }
  }
}
