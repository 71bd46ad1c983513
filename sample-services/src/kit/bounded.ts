// In-memory state with a hard size limit: the oldest entry goes first. The samples are
// stateless by design (see README): memory is bounded so a long load test cannot OOM a pod.
export class BoundedMap<K, V> {
  readonly #items = new Map<K, V>();
  readonly capacity: number;
  evicted = 0;
  constructor(capacity: number) {
    this.capacity = capacity;
  }
  get size(): number {
    return this.#items.size;
  }
  get(key: K): V | undefined {
    return this.#items.get(key);
  }
  set(key: K, value: V): void {
    this.#items.delete(key);
    this.#items.set(key, value);
    while (this.#items.size > this.capacity) {
      this.#items.delete(this.#items.keys().next().value as K);
      this.evicted++;
    }
  }
  delete(key: K): void {
    this.#items.delete(key);
  }
  /** Newest first, filtered, at most `limit`. */
  newest(limit: number, keep: (v: V) => boolean = () => true): V[] {
    const out: V[] = [];
    const values = [...this.#items.values()];
    for (let i = values.length - 1; i >= 0 && out.length < limit; i--) if (keep(values[i]!)) out.push(values[i]!);
    return out;
  }
}
