// The three Lease operations leader election needs, behind an interface so the elector can be
// tested against an in-memory store that enforces resourceVersion conflicts like the API server
// (operator/testing/leaseclient.ts).

import type { V1Lease } from '@kubernetes/client-node';
import type { KubeConnection } from './connection.ts';
import { isNotFound } from './apicall.ts';
import { requestJson } from './apirequest.ts';

export interface LeaseClient {
  /** The Lease, or undefined if it does not exist. */
  get(namespace: string, name: string, signal: AbortSignal): Promise<V1Lease | undefined>;
  /** Creates the Lease; rejects with a 409 error if it already exists. */
  create(lease: V1Lease, signal: AbortSignal): Promise<V1Lease>;
  /** Replaces the Lease; rejects with a 409 error if metadata.resourceVersion is stale. */
  replace(lease: V1Lease, signal: AbortSignal): Promise<V1Lease>;
}

/**
 * Plain JSON requests, not client-node's generated CoordinationV1Api: that class drags in the
 * generated API and model serializer (hundreds of KiB of code kept as source text in V8's heap)
 * for three calls. Timestamps stay strings as on the wire; ours are V1MicroTime, which
 * serializes with the microseconds the API server expects.
 */
export function kubeLeaseClient(conn: KubeConnection): LeaseClient {
  const leasePath = (namespace: string, name?: string) =>
    `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(namespace)}/leases` +
    (name === undefined ? '' : `/${encodeURIComponent(name)}`);
  return {
    async get(namespace, name, signal) {
      try {
        return await requestJson<V1Lease>(conn, 'GET', leasePath(namespace, name), signal);
      } catch (err) {
        if (isNotFound(err)) return undefined;
        throw err;
      }
    },
    create(lease, signal) {
      const namespace = requireField(lease.metadata?.namespace, 'metadata.namespace');
      return requestJson<V1Lease>(conn, 'POST', leasePath(namespace), signal, { body: lease });
    },
    replace(lease, signal) {
      const namespace = requireField(lease.metadata?.namespace, 'metadata.namespace');
      const name = requireField(lease.metadata?.name, 'metadata.name');
      return requestJson<V1Lease>(conn, 'PUT', leasePath(namespace, name), signal, { body: lease });
    },
  };
}

function requireField(value: string | undefined, field: string): string {
  if (!value) throw new Error(`lease: ${field} is required`);
  return value;
}
