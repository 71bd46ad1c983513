// In-memory state with a hard size limit: the oldest entry goes first. The samples are
// stateless by design (see README): memory is bounded so a long load test cannot OOM a pod.
//
// An optional owner index makes "the newest N of this user" cost O(N), not a scan of the whole
// map (a list endpoint under load would otherwise walk up to `capacity` entries per request).
// Invariant: each owner's key list is in insertion order, and eviction is global FIFO, so an
// evicted key is always the FIRST key of its owner's list.
export class BoundedMap<K, V> {
  readonly #items = new Map<K, V>();
  readonly #byOwner = new Map<string, K[]>();
  readonly #ownerOf: ((v: V) => string) | undefined;
  readonly capacity: number;
  evicted = 0;

  constructor(capacity: number, ownerOf?: (v: V) => string) {
    this.capacity = capacity;
    this.#ownerOf = ownerOf;
  }

  get size(): number {
    return this.#items.size;
  }

  get(key: K): V | undefined {
    return this.#items.get(key);
  }

  /** Adds or replaces; a replaced entry keeps its age. */
  set(key: K, value: V): void {
    const isNew = !this.#items.has(key);
    this.#items.set(key, value);
    if (!isNew) return;
    if (this.#ownerOf) {
      const owner = this.#ownerOf(value);
      const keys = this.#byOwner.get(owner);
      if (keys) keys.push(key);
      else this.#byOwner.set(owner, [key]);
    }
    while (this.#items.size > this.capacity) {
      const oldest = this.#items.keys().next().value as K;
      this.#remove(oldest, true);
      this.evicted++;
    }
  }

  delete(key: K): void {
    this.#remove(key, false);
  }

  /** The owner's newest entries first, at most `limit`; needs the owner index. */
  newestOf(owner: string, limit: number): V[] {
    const keys = this.#byOwner.get(owner) ?? [];
    const out: V[] = [];
    for (let i = keys.length - 1; i >= 0 && out.length < limit; i--) out.push(this.#items.get(keys[i]!)!);
    return out;
  }

  #remove(key: K, oldest: boolean): void {
    const value = this.#items.get(key);
    if (value === undefined || !this.#items.delete(key) || !this.#ownerOf) return;
    const owner = this.#ownerOf(value);
    const keys = this.#byOwner.get(owner)!;
    if (oldest) keys.shift();
    else keys.splice(keys.indexOf(key), 1);
    if (keys.length === 0) this.#byOwner.delete(owner);
  }
}
