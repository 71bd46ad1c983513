// Idempotency keys. A key names one transition of one object, so the same transition always
// gets the same key: a retry, a resend after an operator restart (from status.notifications)
// and a second derivation of it (a stale cache read) all carry it, and a receiver that
// remembers keys sees each notification once (docs/adr/0025).
import { createHash } from 'node:crypto';
import type { NotificationEvent } from '../api/constants.ts';

/** 32 hex characters of SHA-256 over the object's uid, the event and the fields that identify it. */
export function notificationKey(uid: string, event: NotificationEvent, identity: readonly string[]): string {
  return createHash('sha256')
    .update([uid, event, ...identity].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}
