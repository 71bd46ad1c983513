// The informer's read-only cache. Objects are deep-frozen when stored so no reconcile can
// mutate the cache by accident (a classic controller bug: editing a cached object and then
// comparing it with "desired" finds no difference). Indexes answer the controller's lookups
// (owned objects by owner UID, objects by label) without scanning.

import type { KubernetesObject } from '@kubernetes/client-node';
import { objectKey } from './keys.ts';

export interface ReadonlyStore<T extends KubernetesObject> {
  get(namespace: string | undefined, name: string): T | undefined;
  /** All objects, or those of one namespace. */
  list(namespace?: string): readonly T[];
  /** Objects whose metadata.ownerReferences contain uid. */
  byOwnerUid(uid: string): readonly T[];
  /** Objects whose label key has exactly value. */
  byLabel(key: string, value: string): readonly T[];
  size(): number;
}

export type ChangeType = 'add' | 'update' | 'delete';
export interface Change<T> {
  type: ChangeType;
  obj: T;
}

export function keyOf(obj: KubernetesObject): string {
  return objectKey(obj.metadata?.namespace, obj.metadata?.name ?? '');
}

export class ObjectStore<T extends KubernetesObject> implements ReadonlyStore<T> {
  readonly #objects = new Map<string, T>();
  readonly #byOwner = new Map<string, Set<string>>();
  readonly #byLabel = new Map<string, Set<string>>();
  readonly #byNamespace = new Map<string, Set<string>>();

  get(namespace: string | undefined, name: string): T | undefined {
    return this.#objects.get(objectKey(namespace, name));
  }

  list(namespace?: string): readonly T[] {
    if (namespace === undefined) return [...this.#objects.values()];
    return this.#resolve(this.#byNamespace.get(namespace));
  }

  byOwnerUid(uid: string): readonly T[] {
    return this.#resolve(this.#byOwner.get(uid));
  }

  byLabel(key: string, value: string): readonly T[] {
    return this.#resolve(this.#byLabel.get(`${key}=${value}`));
  }

  size(): number {
    return this.#objects.size;
  }

  /** Stores obj (frozen) and returns the change it represents, or undefined if unchanged. */
  upsert(obj: T): Change<T> | undefined {
    const key = keyOf(obj);
    const previous = this.#objects.get(key);
    const rv = obj.metadata?.resourceVersion;
    if (previous && rv !== undefined && previous.metadata?.resourceVersion === rv) return undefined;
    const frozen = deepFreeze(obj);
    if (previous) this.#unindex(key, previous);
    this.#objects.set(key, frozen);
    this.#index(key, frozen);
    return { type: previous ? 'update' : 'add', obj: frozen };
  }

  /** Removes the object with obj's key; the change carries the last known state. */
  remove(obj: KubernetesObject): Change<T> | undefined {
    const key = keyOf(obj);
    const previous = this.#objects.get(key);
    if (!previous) return undefined;
    this.#unindex(key, previous);
    this.#objects.delete(key);
    return { type: 'delete', obj: previous };
  }

  /**
   * Makes the store equal to a fresh list and returns the changes that repair it: adds for new
   * objects, updates for objects whose resourceVersion moved, deletes for objects gone. Objects
   * that did not change produce nothing, so a periodic relist causes no spurious work.
   */
  replaceAll(items: readonly T[]): Change<T>[] {
    const changes: Change<T>[] = [];
    const seen = new Set<string>();
    for (const item of items) {
      seen.add(keyOf(item));
      const change = this.upsert(item);
      if (change) changes.push(change);
    }
    for (const [key, obj] of [...this.#objects]) {
      if (seen.has(key)) continue;
      const change = this.remove(obj);
      if (change) changes.push(change);
    }
    return changes;
  }

  #resolve(keys: Set<string> | undefined): T[] {
    if (!keys) return [];
    const out: T[] = [];
    for (const key of keys) {
      const obj = this.#objects.get(key);
      if (obj) out.push(obj);
    }
    return out;
  }

  #index(key: string, obj: T): void {
    for (const indexKey of ownerKeys(obj)) addTo(this.#byOwner, indexKey, key);
    for (const indexKey of labelKeys(obj)) addTo(this.#byLabel, indexKey, key);
    addTo(this.#byNamespace, obj.metadata?.namespace ?? '', key);
  }

  #unindex(key: string, obj: T): void {
    for (const indexKey of ownerKeys(obj)) removeFrom(this.#byOwner, indexKey, key);
    for (const indexKey of labelKeys(obj)) removeFrom(this.#byLabel, indexKey, key);
    removeFrom(this.#byNamespace, obj.metadata?.namespace ?? '', key);
  }
}

function ownerKeys(obj: KubernetesObject): string[] {
  return (obj.metadata?.ownerReferences ?? []).map((ref) => ref.uid);
}

function labelKeys(obj: KubernetesObject): string[] {
  return Object.entries(obj.metadata?.labels ?? {}).map(([k, v]) => `${k}=${v}`);
}

function addTo(index: Map<string, Set<string>>, indexKey: string, key: string): void {
  let keys = index.get(indexKey);
  if (!keys) index.set(indexKey, (keys = new Set()));
  keys.add(key);
}

function removeFrom(index: Map<string, Set<string>>, indexKey: string, key: string): void {
  const keys = index.get(indexKey);
  if (!keys) return;
  keys.delete(key);
  if (keys.size === 0) index.delete(indexKey);
}

/** Freezes obj and everything reachable from it; returns obj typed as before. */
export function deepFreeze<O>(obj: O): O {
  if (obj === null || typeof obj !== 'object' || Object.isFrozen(obj)) return obj;
  Object.freeze(obj);
  for (const value of Object.values(obj as object)) deepFreeze(value);
  return obj;
}
