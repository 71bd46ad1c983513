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

/**
 * How long a written object the cache does not hold at all may stand in for it. Watch events
 * arrive in milliseconds; an entry this old with no cached version means the informer will never deliver it — e.g. the object was created
 * and deleted while the watch was down and the relist saw neither — and keeping it would
 * hide a deleted owned object from the planner for good (found by the safety simulation).
 */
export const OVERLAY_MAX_AGE_MS = 60_000;

export class WriteOverlay {
  readonly #written = new Map<string, { obj: KubernetesObject; at: number }>();
  readonly #now: () => number;

  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  static key(kind: string, namespace: string | undefined, name: string): string {
    return `${kind}/${namespace ?? ''}/${name}`;
  }

  remember(obj: KubernetesObject | undefined): void {
    if (!obj?.kind || !obj.metadata?.name) return;
    // Slimmed like the cache: the snapshot reads either, and managedFields would only cost memory.
    this.#written.set(WriteOverlay.key(obj.kind, obj.metadata.namespace, obj.metadata.name), {
      obj: slimMetadata(obj),
      at: this.#now(),
    });
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
    if (type === 'delete' || caughtUp(obj, written.obj)) this.#written.delete(key);
  }

  /** The newer of the cached object and the last one we wrote. */
  pick<T extends KubernetesObject>(
    kind: string,
    namespace: string,
    name: string,
    cached: T | undefined,
  ): T | undefined {
    const key = WriteOverlay.key(kind, namespace, name);
    const entry = this.#written.get(key);
    if (!entry) return cached;
    // Expire only what the cache does not hold at all: an older cached version means a slow
    // informer, and falling back to it would plan on stale state (the simulation found a live
    // Deployment rewritten that way).
    if ((cached && caughtUp(cached, entry.obj)) || (!cached && this.#now() - entry.at > OVERLAY_MAX_AGE_MS)) {
      this.#written.delete(key);
      return cached;
    }
    return entry.obj as T;
  }

  size(): number {
    return this.#written.size;
  }
}
