// Server-side apply bookkeeping, read from metadata.managedFields. PURE.
//
// Why the plugin needs it: an apply request states the WHOLE set of fields its field manager
// wants to own, and the API server removes the fields the manager owned before but left out
// (unless another manager owns them too). So `kubectl bluegreen set image` after an earlier
// `promote` must send spec.activeColor again, or the apply would unpin traffic. Every apply is
// therefore built as: what our manager owns now (extractOwned, as client-go's Extract* helpers
// do) + this command's change.
import type { FieldSet, ManagedFieldsEntry, ObjectMeta } from './objects.ts';

/** The fields `manager` owns through Apply operations on the main resource (not /status). */
export function ownedByApply(meta: ObjectMeta, manager: string): FieldSet[] {
  return (meta.managedFields ?? [])
    .filter((e) => e.manager === manager && e.operation === 'Apply' && !e.subresource)
    .map((e) => e.fieldsV1 ?? {});
}

/**
 * The part of `value` that `set` covers. A set with no children owns the whole value (a leaf,
 * or an atomic list or map such as spec.template.spec.containers in our CRD); `f:` descends
 * into an object field; `k:` picks a list item by its keys (kept in the item), `v:` by value.
 */
export function project(value: unknown, set: FieldSet): unknown {
  const keys = Object.keys(set).filter((k) => k !== '.');
  if (keys.length === 0) return value;
  if (Array.isArray(value)) {
    return keys.flatMap((k) => {
      const item: unknown = (value as unknown[]).find((candidate) => itemMatches(candidate, k));
      if (item === undefined) return [];
      const part = project(item, set[k]!);
      return [k.startsWith('k:') && isObject(part) ? { ...(JSON.parse(k.slice(2)) as object), ...part } : part];
    });
  }
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const k of keys) {
    if (!k.startsWith('f:')) continue;
    const field = k.slice(2);
    if (value[field] !== undefined) out[field] = project(value[field], set[k]!);
  }
  return out;
}

function itemMatches(item: unknown, key: string): boolean {
  if (key.startsWith('v:')) return JSON.stringify(item) === key.slice(2);
  if (!key.startsWith('k:') || !isObject(item)) return false;
  const wanted = JSON.parse(key.slice(2)) as Record<string, unknown>;
  return Object.entries(wanted).every(([f, v]) => JSON.stringify(item[f]) === JSON.stringify(v));
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Deep merge of plain objects; `b` wins, arrays are replaced whole (they are atomic in our CRD). */
export function mergeObjects(a: unknown, b: unknown): unknown {
  if (!isObject(a) || !isObject(b)) return b;
  const out: Record<string, unknown> = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = k in a ? mergeObjects(a[k], v) : v;
  return out;
}

/** True when `set` owns the field at `path` or an atomic value containing it. */
export function ownsPath(set: FieldSet, path: readonly string[]): boolean {
  let node: FieldSet | undefined = set;
  for (const field of path) {
    if (Object.keys(node).filter((k) => k !== '.').length === 0 && node !== set) return true;
    node = node[`f:${field}`];
    if (node === undefined) return false;
  }
  return true;
}

export interface FieldOwner {
  manager: string;
  operation: 'Apply' | 'Update';
}

/** Other managers that own `path` (conflicts of an apply that changes it). */
export function otherOwners(meta: ObjectMeta, path: readonly string[], self: string): FieldOwner[] {
  return (meta.managedFields ?? [])
    .filter((e: ManagedFieldsEntry) => e.manager !== self && !e.subresource && ownsPath(e.fieldsV1 ?? {}, path))
    .map((e) => ({ manager: e.manager ?? '(unnamed)', operation: e.operation ?? 'Update' }));
}
