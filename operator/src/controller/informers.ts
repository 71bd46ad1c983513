// The four caches the controller reads: BlueGreenServices, and the Deployments, Services and
// EndpointSlices that carry our labels (EndpointSlices inherit their Service's labels).
import type { KubeConfig, V1Deployment, V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import type { Registry } from 'prom-client';
import { LABELS, MANAGED_BY_VALUE } from '../api/constants.ts';
import type { BlueGreenService } from '../api/types.ts';
import { paths } from '../k8s/paths.ts';
import { createInformer, type ResilientInformer } from '../runtime/informer.ts';
import type { Logger } from '../runtime/logger.ts';

export interface Informers {
  bgs: ResilientInformer<BlueGreenService & { metadata: object }>;
  deployments: ResilientInformer<V1Deployment>;
  services: ResilientInformer<V1Service>;
  slices: ResilientInformer<V1EndpointSlice>;
}

export interface InformerSettings {
  kc: KubeConfig;
  /** undefined: all namespaces. */
  namespace: string | undefined;
  resyncMs: number;
  logger: Logger;
  registry: Registry;
}

export function createInformers(s: InformerSettings): Informers {
  const common = { kc: s.kc, resyncMs: s.resyncMs, logger: s.logger, registry: s.registry };
  const ours = `${LABELS.managedBy}=${MANAGED_BY_VALUE}`;
  return {
    bgs: createInformer({ ...common, name: 'bluegreenservices', path: paths.bgs(s.namespace) }),
    deployments: createInformer({ ...common, name: 'deployments', path: paths.deployments(s.namespace), labelSelector: ours }),
    services: createInformer({ ...common, name: 'services', path: paths.services(s.namespace), labelSelector: LABELS.service }),
    slices: createInformer({ ...common, name: 'endpointslices', path: paths.endpointSlices(s.namespace), labelSelector: LABELS.service }),
  };
}

export function allSynced(i: Informers): boolean {
  return i.bgs.synced() && i.deployments.synced() && i.services.synced() && i.slices.synced();
}
