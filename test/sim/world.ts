// The operator inside the simulated cluster: the real Reconciler, WriteOverlay and planner,
// reading caches (ObjectStores) that are filled from the truth only when the simulation says
// so (informer lag), and writing through SimCluster. A crash throws away the process state
// (overlay, reconciler) and starts again from a fresh list, as a restarted pod would.
import type { KubernetesObject, V1Deployment, V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import type { BlueGreenService } from '../../operator/src/api/types.ts';
import { WriteOverlay } from '../../operator/src/controller/overlay.ts';
import type { Caches } from '../../operator/src/controller/ports.ts';
import { Reconciler } from '../../operator/src/controller/reconciler.ts';
import { operatorMetrics } from '../../operator/src/metrics/operator-metrics.ts';
import { silentLogger } from '../../operator/src/runtime/logger.ts';
import { ObjectStore } from '../../operator/src/runtime/store.ts';
import { Crash, NS, type SimCluster } from './cluster.ts';

export type CacheKind = 'bgs' | 'deployments' | 'services' | 'slices';

export class SimOperator {
  readonly caches = {
    bgs: { store: new ObjectStore<BlueGreenService & KubernetesObject>() },
    deployments: { store: new ObjectStore<V1Deployment>() },
    services: { store: new ObjectStore<V1Service>() },
    slices: { store: new ObjectStore<V1EndpointSlice>() },
  } satisfies Caches;
  #overlay: WriteOverlay;
  #reconciler: Reconciler;
  readonly #metrics = operatorMetrics(new Registry());
  crashes = 0;
  /** Reconciles that ended in an error other than a crash (the runner would retry them). */
  errors: string[] = [];

  readonly cluster: SimCluster;

  constructor(cluster: SimCluster) {
    this.cluster = cluster;
    this.#overlay = new WriteOverlay(() => cluster.now);
    this.#reconciler = this.#newReconciler();
    this.syncAll();
  }

  #newReconciler(): Reconciler {
    return new Reconciler({
      caches: this.caches,
      reader: this.cluster,
      writer: this.cluster,
      events: this.cluster,
      prometheus: this.cluster.provider,
      overlay: this.#overlay,
      metrics: this.#metrics,
      logger: silentLogger,
      now: () => this.cluster.now,
    });
  }

  /** The informer of one kind delivers everything up to now (the overlay hears it first). */
  sync(kind: CacheKind): void {
    const c = this.cluster;
    const kindName = { bgs: 'BlueGreenService', deployments: 'Deployment', services: 'Service', slices: undefined }[
      kind
    ];
    const items: KubernetesObject[] =
      kind === 'bgs'
        ? [...c.bgs.values()]
        : kind === 'deployments'
          ? [...c.deployments.values()]
          : kind === 'services'
            ? [...c.services.values()]
            : c.endpointSlices();
    const store = this.caches[kind].store as ObjectStore<KubernetesObject>;
    const withNs = items.map((o) => structuredClone({ ...o, metadata: { ...o.metadata, namespace: NS } }));
    for (const change of store.replaceAll(withNs)) {
      if (kindName) this.#overlay.observe(kindName, change.type, change.obj);
    }
  }

  syncAll(): void {
    for (const k of ['bgs', 'deployments', 'services', 'slices'] as const) this.sync(k);
  }

  /** The process dies: in-memory state is gone; the new one lists everything afresh. */
  restart(): void {
    this.crashes++;
    this.#overlay = new WriteOverlay(() => this.cluster.now);
    this.#reconciler = this.#newReconciler();
    this.syncAll();
  }

  /** The BlueGreenService as the reconciler reads it: the cache, or our newer write (a status write returns the newest spec). */
  seen(name: string): BlueGreenService | undefined {
    return this.#overlay.pick<BlueGreenService>('BlueGreenService', NS, name, this.caches.bgs.store.get(NS, name));
  }

  /** One reconcile, errors and all (for tests of the reconciler itself). */
  reconcileRaw(name: string): Promise<{ requeueAfterMs?: number }> {
    return this.#reconciler.reconcile(`${NS}/${name}`, new AbortController().signal);
  }

  /** What the last reconcile of each BlueGreenService read: the spec its writes are judged by. */
  readonly #readAtReconcile = new Map<string, BlueGreenService | undefined>();

  readAtLastReconcile(name: string): BlueGreenService | undefined {
    return this.#readAtReconcile.has(name) ? this.#readAtReconcile.get(name) : this.seen(name);
  }

  /** One reconcile of `name`; a Crash restarts the operator, other errors are retried later. */
  async reconcile(name: string): Promise<{ requeueAfterMs?: number } | undefined> {
    this.#readAtReconcile.set(name, this.seen(name));
    this.cluster.reconciling = name;
    try {
      return await this.#reconciler.reconcile(`${NS}/${name}`, new AbortController().signal);
    } catch (err) {
      if (err instanceof Crash) this.restart();
      else this.errors.push(err instanceof Error ? err.message : String(err));
      return undefined;
    } finally {
      this.cluster.reconciling = '';
    }
  }
}
