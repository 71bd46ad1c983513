// Read-your-own-writes. After a write, the informer cache may still hold the older object
// for a few milliseconds; a reconcile triggered meanwhile would plan on stale state (measure
// an analysis round twice, think a switch did not happen). The overlay remembers the object
// each write returned and is preferred while the cache is older than it.
import type { KubernetesObject } from '@kubernetes/client-node';
import { slimMetadata } from './informers.ts';

function rvNumber(obj: KubernetesObject | undefined): bigint | undefined {
  const rv = obj?.metadata?.resourceVersion;
  // resourceVersions are opaque by contract; etcd-backed servers issue increasing integers.
  // When one is not an integer we cannot order them and trust the cache.
  return rv && /^\d+$/.test(rv) ? BigInt(rv) : undefined;
}

/** The cache holds our write or something newer (or the versions cannot be ordered: trust the cache). */
function caughtUp(seen: KubernetesObject, written: KubernetesObject): boolean {
  const a = rvNumber(seen);
  const b = rvNumber(written);
  return a === undefined || b === undefined || a >= b;
}

export class WriteOverlay {
  readonly #written = new Map<string, KubernetesObject>();

  static key(kind: string, namespace: string | undefined, name: string): string {
    return `${kind}/${namespace ?? ''}/${name}`;
  }

  remember(obj: KubernetesObject | undefined): void {
    if (!obj?.kind || !obj.metadata?.name) return;
    // Slimmed like the cache: the snapshot reads either, and managedFields would only cost memory.
    this.#written.set(WriteOverlay.key(obj.kind, obj.metadata.namespace, obj.metadata.name), slimMetadata(obj));
  }

  /**
   * Called for every informer event of a kind we write. Once the cache holds our write (or a
   * newer version) the entry is dropped. A deletion always drops it: otherwise the snapshot
   * would keep seeing the object we wrote, and an owned object deleted by someone else would
   * not be recreated until the operator restarts.
   */
  observe(kind: string, type: 'add' | 'update' | 'delete', obj: KubernetesObject): void {
    const name = obj.metadata?.name;
    if (!name) return;
    const key = WriteOverlay.key(kind, obj.metadata?.namespace, name);
    const written = this.#written.get(key);
    if (!written) return;
    if (type === 'delete' || caughtUp(obj, written)) this.#written.delete(key);
  }

  /** The newer of the cached object and the last one we wrote. */
  pick<T extends KubernetesObject>(
    kind: string,
    namespace: string,
    name: string,
    cached: T | undefined,
  ): T | undefined {
    const key = WriteOverlay.key(kind, namespace, name);
    const written = this.#written.get(key) as T | undefined;
    if (!written) return cached;
    if (cached && caughtUp(cached, written)) {
      this.#written.delete(key);
      return cached;
    }
    return written;
  }

  forget(kind: string, namespace: string, name: string): void {
    this.#written.delete(WriteOverlay.key(kind, namespace, name));
  }

  size(): number {
    return this.#written.size;
  }
}
