// What the reconciler needs from the world, as narrow interfaces: read-only caches, the few
// live reads, the writes, Events and a metric provider. The production implementations are
// the informers, k8s/writers.ts, k8s/events.ts and the Prometheus client; the reconciler's unit
// tests and the safety simulation (test/sim) implement them in memory.
import type {
  KubernetesObject,
  V1Deployment,
  V1EndpointSlice,
  V1OwnerReference,
  V1PodTemplateSpec,
  V1Service,
} from '@kubernetes/client-node';
import type { TlsSettings } from '../analysis/agents.ts';
import type { MetricProvider } from '../analysis/prometheus.ts';
import type { RoundSecrets, WebProvider } from '../analysis/web.ts';
import type { BlueGreenService, BlueGreenServiceStatus } from '../api/types.ts';
import type { HTTPRouteLike, JsonPatchOp } from '../api/httproute.ts';
import type { QuerySettings } from '../planner/types.ts';
import type { ReadonlyStore } from '../runtime/store.ts';

/** The four caches, read-only. The informers satisfy this; so does any object with stores. */
export interface Caches {
  bgs: { store: ReadonlyStore<BlueGreenService & KubernetesObject> };
  deployments: { store: ReadonlyStore<V1Deployment> };
  services: { store: ReadonlyStore<V1Service> };
  slices: { store: ReadonlyStore<V1EndpointSlice> };
}

/**
 * Live reads: a Service not (yet) carrying our labels, the Secrets and ConfigMaps an analysis
 * round needs (query headers, CA bundle, web check headers), and the kept
 * template of a colour whose Deployment is gone (rare; never cached, see ADR 0016).
 */
export interface ClusterReader {
  getService(namespace: string, name: string, signal: AbortSignal): Promise<V1Service | undefined>;
  getKeptTemplate(namespace: string, name: string, signal: AbortSignal): Promise<V1PodTemplateSpec | undefined>;
  readSecret(namespace: string, name: string, signal: AbortSignal): Promise<Record<string, string>>;
  /**
   * A ConfigMap's data (spec.analysis.prometheus.tls.caConfigMapRef). Optional: a reader
   * without it (the in-memory ones) makes such a CA bundle an inconclusive measurement.
   */
  readConfigMap?(namespace: string, name: string, signal: AbortSignal): Promise<Record<string, string>>;
  /**
   * The user's HTTPRoute of the Gateway API canary mode (docs/adr/0017), read fresh each
   * reconcile of an object that names one; undefined when it (or its CRD) does not exist.
   */
  getHTTPRoute(namespace: string, name: string, signal: AbortSignal): Promise<HTTPRouteLike | undefined>;
}

/** Every write the operator makes. Each returns the object as the API server stored it. */
export interface ClusterWriter {
  apply<T extends KubernetesObject>(obj: T, signal: AbortSignal): Promise<T>;
  scaleDeployment(namespace: string, name: string, replicas: number, signal: AbortSignal): Promise<V1Deployment>;
  adoptDeployment(namespace: string, name: string, owner: V1OwnerReference, signal: AbortSignal): Promise<V1Deployment>;
  patchServiceSelector(
    namespace: string,
    name: string,
    selector: Record<string, string>,
    removeKeys: readonly string[],
    metadata: { labels: Record<string, string>; annotations: Record<string, string> },
    signal: AbortSignal,
  ): Promise<V1Service>;
  /** Add our owner reference to a kept template (an orphaned one, restored); none kept is fine. */
  adoptKeptTemplate(namespace: string, name: string, owner: V1OwnerReference, signal: AbortSignal): Promise<void>;
  /** The canary's weights on the user's HTTPRoute: a JSON patch with test ops, nothing else. */
  patchHTTPRoute(namespace: string, name: string, patch: JsonPatchOp[], signal: AbortSignal): Promise<HTTPRouteLike>;
  /** Delete a kept template no colour runs; gone already is fine. */
  dropKeptTemplate(namespace: string, name: string, signal: AbortSignal): Promise<void>;
  applyStatus(bgs: BlueGreenService, status: BlueGreenServiceStatus, signal: AbortSignal): Promise<BlueGreenService>;
}

export interface EventSink {
  record(
    bgs: BlueGreenService,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    signal: AbortSignal,
  ): Promise<void>;
}

/**
 * Notifications (controller/notifications.ts; docs/adr/0025). Neither call waits on the network:
 * the reconcile's pace never depends on a receiver.
 */
export interface NotificationPort {
  /** The status to write: `next` plus status.notifications (stored pending, minus acknowledged, plus this transition's). */
  statusFor(
    bgs: BlueGreenService,
    next: BlueGreenServiceStatus,
    events: readonly { reason: string; message: string }[],
    nowMs: number,
  ): BlueGreenServiceStatus;
  /**
   * Hands the pending notifications of `status` (written now, or stored and unchanged) to
   * delivery; `stored` is what the API server answered to the write, if there was one.
   */
  offer(bgs: BlueGreenService, status: BlueGreenServiceStatus, stored?: BlueGreenServiceStatus): void;
}

/**
 * Builds the Prometheus provider for one round (headers and CA bundle come from a Secret or
 * ConfigMap read just before). May throw for unusable settings (the round is then inconclusive).
 */
export type ProviderFactory = (
  settings: QuerySettings,
  headers: Record<string, string>,
  tls?: TlsSettings,
) => MetricProvider;

/** Builds the web check provider for one round, with the Secrets its headers name. */
export type WebProviderFactory = (secrets: RoundSecrets) => WebProvider;
