// status.notifications.pending, the durable outbox (docs/adr/0025). PURE. Each reconcile keeps
// what the stored status holds minus what providers acknowledged, and appends the transition's
// new notifications; the oldest go past the limit (reported, never silently).
import type { PendingNotification } from '../api/types.ts';

/** At most this many per object (the CRD's maxItems): a status stays small with a receiver down. */
export const PENDING_LIMIT = 16;

export interface PendingMerge {
  pending: PendingNotification[];
  /** Entries pushed out by the limit: given up, to be counted and reported. */
  overflow: PendingNotification[];
}

/**
 * `acknowledged(key, provider)`: that provider has it (delivered, or given up). Applied to the
 * new entries too: a transition derived again from a stale read is not sent twice.
 */
export function mergePending(
  stored: readonly PendingNotification[],
  fresh: readonly PendingNotification[],
  acknowledged: (key: string, provider: string) => boolean,
  limit = PENDING_LIMIT,
): PendingMerge {
  const open = (p: PendingNotification) => ({ ...p, providers: p.providers.filter((n) => !acknowledged(p.key, n)) });
  const kept = stored.map(open).filter((p) => p.providers.length > 0);
  const known = new Set(kept.map((p) => p.key));
  const added = fresh
    .filter((p) => !known.has(p.key))
    .map(open)
    .filter((p) => p.providers.length > 0);
  const all = [...kept, ...added];
  const cut = Math.max(0, all.length - limit);
  return { pending: all.slice(cut), overflow: all.slice(0, cut) };
}
