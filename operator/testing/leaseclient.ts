// An in-memory LeaseClient for unit tests of anything that uses leader election. Test code:
// lives outside operator/src, so it never ships (the lint boundary rules forbid importing it
// from shipped source).
import type { V1Lease } from '@kubernetes/client-node';
import type { LeaseClient } from '../src/runtime/leaseclient.ts';

/** An error shaped like client-node's ApiException, for fakes. */
export function apiError(code: number, message: string): Error & { code: number } {
  return Object.assign(new Error(message), { code });
}

/**
 * In-memory LeaseClient with API-server semantics: create fails with 409 if the Lease exists,
 * replace fails with 409 if resourceVersion does not match, every write bumps resourceVersion.
 */
export class InMemoryLeaseClient implements LeaseClient {
  readonly #leases = new Map<string, V1Lease>();
  #version = 0;
  /** When set, every call rejects with this error (simulates an unreachable API server). */
  failWith: Error | undefined;

  async get(namespace: string, name: string, signal: AbortSignal): Promise<V1Lease | undefined> {
    this.#check(signal);
    const lease = this.#leases.get(`${namespace}/${name}`);
    return lease ? structuredClone(lease) : undefined;
  }

  async create(lease: V1Lease, signal: AbortSignal): Promise<V1Lease> {
    this.#check(signal);
    const key = `${lease.metadata?.namespace}/${lease.metadata?.name}`;
    if (this.#leases.has(key)) throw apiError(409, `lease ${key} already exists`);
    return this.#store(key, lease);
  }

  async replace(lease: V1Lease, signal: AbortSignal): Promise<V1Lease> {
    this.#check(signal);
    const key = `${lease.metadata?.namespace}/${lease.metadata?.name}`;
    const current = this.#leases.get(key);
    if (!current) throw apiError(404, `lease ${key} not found`);
    if (current.metadata?.resourceVersion !== lease.metadata?.resourceVersion) {
      throw apiError(409, `lease ${key}: resourceVersion ${lease.metadata?.resourceVersion} is stale`);
    }
    return this.#store(key, lease);
  }

  /** Direct read for assertions. */
  peek(namespace: string, name: string): V1Lease | undefined {
    return this.#leases.get(`${namespace}/${name}`);
  }

  #store(key: string, lease: V1Lease): V1Lease {
    const stored = structuredClone(lease);
    stored.metadata = { ...stored.metadata, resourceVersion: String(++this.#version) };
    this.#leases.set(key, stored);
    return structuredClone(stored);
  }

  #check(signal: AbortSignal): void {
    signal.throwIfAborted();
    if (this.failWith) throw this.failWith;
  }
}
