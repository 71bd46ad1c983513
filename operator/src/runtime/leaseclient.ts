// The three Lease operations leader election needs, behind an interface so the elector can be
// tested against an in-memory store that enforces resourceVersion conflicts like the API server
// (operator/testing/leaseclient.ts).

import { CoordinationV1Api, type KubeConfig, type V1Lease } from '@kubernetes/client-node';
import { isNotFound, withSignal } from './apicall.ts';

export interface LeaseClient {
  /** The Lease, or undefined if it does not exist. */
  get(namespace: string, name: string, signal: AbortSignal): Promise<V1Lease | undefined>;
  /** Creates the Lease; rejects with a 409 error if it already exists. */
  create(lease: V1Lease, signal: AbortSignal): Promise<V1Lease>;
  /** Replaces the Lease; rejects with a 409 error if metadata.resourceVersion is stale. */
  replace(lease: V1Lease, signal: AbortSignal): Promise<V1Lease>;
}

export function kubeLeaseClient(kc: KubeConfig): LeaseClient {
  const api = kc.makeApiClient(CoordinationV1Api);
  return {
    async get(namespace, name, signal) {
      try {
        return await api.readNamespacedLease({ name, namespace }, withSignal(signal, kc));
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    create(lease, signal) {
      const namespace = requireField(lease.metadata?.namespace, 'metadata.namespace');
      return api.createNamespacedLease({ namespace, body: lease }, withSignal(signal, kc));
    },
    replace(lease, signal) {
      const namespace = requireField(lease.metadata?.namespace, 'metadata.namespace');
      const name = requireField(lease.metadata?.name, 'metadata.name');
      return api.replaceNamespacedLease({ name, namespace, body: lease }, withSignal(signal, kc));
    },
  };
}

function requireField(value: string | undefined, field: string): string {
  if (!value) throw new Error(`lease: ${field} is required`);
  return value;
}
