// The four caches the controller reads: BlueGreenServices, and the Deployments, Services and
// EndpointSlices that carry our labels (EndpointSlices inherit their Service's labels).
import type { KubernetesObject, V1Deployment, V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import { LABELS, MANAGED_BY_VALUE } from '../api/constants.ts';
import type { BlueGreenService } from '../api/types.ts';
import { paths } from '../k8s/paths.ts';
import type { KubeConnection } from '../runtime/connection.ts';
import { createInformer, type ResilientInformer } from '../runtime/informer.ts';
import type { Logger } from '../runtime/logger.ts';

export interface Informers {
  bgs: ResilientInformer<BlueGreenService & { metadata: object }>;
  deployments: ResilientInformer<V1Deployment>;
  services: ResilientInformer<V1Service>;
  slices: ResilientInformer<V1EndpointSlice>;
}

export interface InformerSettings {
  conn: KubeConnection;
  /** undefined: all namespaces. */
  namespace: string | undefined;
  resyncMs: number;
  logger: Logger;
  registry: Registry;
}

/**
 * What the cache keeps. managedFields and kubectl's last-applied annotation are often half of
 * an object and never read; of an EndpointSlice only the readiness of its endpoints matters.
 */
export function slimMetadata<T extends KubernetesObject>(obj: T): T {
  const meta = obj.metadata;
  if (!meta) return obj;
  const { managedFields: _dropped, annotations, ...rest } = meta;
  const kept = annotations
    ? Object.fromEntries(
        Object.entries(annotations).filter(([k]) => k !== 'kubectl.kubernetes.io/last-applied-configuration'),
      )
    : undefined;
  return { ...obj, metadata: { ...rest, ...(kept && Object.keys(kept).length > 0 ? { annotations: kept } : {}) } };
}

export function slimEndpointSlice(slice: V1EndpointSlice): V1EndpointSlice {
  const slim = slimMetadata(slice);
  return {
    ...slim,
    endpoints: (slice.endpoints ?? []).map((e) => ({
      addresses: [],
      conditions: { ...(e.conditions?.ready !== undefined ? { ready: e.conditions.ready } : {}) },
    })),
    ports: undefined,
  };
}

export function createInformers(s: InformerSettings): Informers {
  const common = { conn: s.conn, resyncMs: s.resyncMs, logger: s.logger, registry: s.registry };
  const ours = `${LABELS.managedBy}=${MANAGED_BY_VALUE}`;
  return {
    bgs: createInformer({
      ...common,
      name: 'bluegreenservices',
      path: paths.bgs(s.namespace),
      transform: slimMetadata,
    }),
    deployments: createInformer({
      ...common,
      name: 'deployments',
      path: paths.deployments(s.namespace),
      labelSelector: ours,
      transform: slimMetadata,
    }),
    services: createInformer({
      ...common,
      name: 'services',
      path: paths.services(s.namespace),
      labelSelector: LABELS.service,
      transform: slimMetadata,
    }),
    slices: createInformer({
      ...common,
      name: 'endpointslices',
      path: paths.endpointSlices(s.namespace),
      labelSelector: LABELS.service,
      transform: slimEndpointSlice,
    }),
  };
}

/** The one list of every informer: starting, stopping and "synced" all go through it. */
export function allInformers(i: Informers): readonly ResilientInformer<KubernetesObject>[] {
  return [i.bgs, i.deployments, i.services, i.slices];
}

export function allSynced(i: Informers): boolean {
  return allInformers(i).every((inf) => inf.synced());
}
