// A notification record and the transition it is derived from. PURE.
import type { NotificationEvent } from '../api/constants.ts';
import type { BlueGreenService, BlueGreenServiceStatus, Condition, NotificationRecord } from '../api/types.ts';
import { notificationKey } from './key.ts';

export interface Transition {
  /** The object as read by the reconcile; its status is the one stored before this transition. */
  bgs: BlueGreenService;
  /** The status the reconcile writes. */
  next: BlueGreenServiceStatus;
  /** The Events of the plan (reason and message). */
  events: readonly { reason: string; message: string }[];
  nowIso: string;
}

type RecordFields = Omit<NotificationRecord, 'key' | 'event' | 'severity'>;

const WARNINGS: ReadonlySet<NotificationEvent> = new Set([
  'AnalysisRoundFailed',
  'AnalysisRoundInconclusive',
  'CanaryAborted',
  'RolledBack',
  'Degraded',
]);

/** Builds a record; the key hashes the uid, the event and `identity` (the fields naming the transition). */
export function notification(
  t: Transition,
  event: NotificationEvent,
  identity: readonly string[],
  fields: RecordFields,
): NotificationRecord {
  const activeColor = t.next.activeColor;
  return {
    key: notificationKey(t.bgs.metadata.uid ?? '', event, identity),
    event,
    severity: WARNINGS.has(event) ? 'Warning' : 'Normal',
    ...(activeColor !== undefined ? { activeColor } : {}),
    ...fields,
  };
}

export function previous(t: Transition): BlueGreenServiceStatus {
  return t.bgs.status ?? {};
}

export function condition(s: BlueGreenServiceStatus, type: string): Condition | undefined {
  return s.conditions?.find((c) => c.type === type);
}

export function planned(t: Transition, reason: string): { reason: string; message: string } | undefined {
  return t.events.find((e) => e.reason === reason);
}
