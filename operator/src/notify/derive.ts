// Which notifications one status transition carries. PURE: the status as stored, the status the
// reconcile is about to write and the Events its plan recorded go in; records come out. It reads
// only what status and the Events already say (docs/adr/0025), never the planner's rules, so a
// notification exists only together with the state change it reports.
import { CONDITIONS, REASONS } from '../api/constants.ts';
import type { BlueGreenServiceStatus, NotificationRecord } from '../api/types.ts';
import { analysisRound } from './derive-analysis.ts';
import { promoteCommand } from './promote-command.ts';
import { condition, notification, planned, previous, type Transition } from './record.ts';

const PROMOTIONS: readonly string[] = [REASONS.autoPromotion, REASONS.manualPromotion];
const ROLLBACKS: readonly string[] = [REASONS.autoRollback, REASONS.manualRollback];
/** Phase AwaitingPromotion for these reasons waits for a person (PromotionDelay waits for a timer). */
const AWAITING_A_PERSON: readonly string[] = [REASONS.awaitingPromotion, REASONS.canaryPaused];

function releaseStarted(t: Transition): NotificationRecord[] {
  const release = t.next.release;
  const event = planned(t, REASONS.releaseStarted);
  if (!release || !event || release.startedAt === previous(t).release?.startedAt) return [];
  const { revision, color, startedAt } = release;
  return [
    notification(t, 'ReleaseStarted', [revision, color, startedAt], {
      occurredAt: startedAt,
      summary: event.message,
      reason: REASONS.releaseStarted,
      revision,
      color,
    }),
  ];
}

function previewReady(t: Transition): NotificationRecord[] {
  const event = planned(t, REASONS.previewReady);
  // An automatic promotion in the same pass as the readiness clears the release record.
  const release = t.next.release ?? previous(t).release;
  if (!event || !release) return [];
  const readyAt = t.next.release?.readyAt ?? t.nowIso;
  if (readyAt === previous(t).release?.readyAt) return [];
  const { revision, color } = release;
  return [
    notification(t, 'PreviewReady', [revision, color, readyAt], {
      occurredAt: readyAt,
      summary: event.message,
      reason: REASONS.previewReady,
      revision,
      color,
    }),
  ];
}

function canaryStepReached(t: Transition): NotificationRecord[] {
  const c = t.next.canary;
  const event = planned(t, REASONS.canaryStepReached);
  const b = previous(t).canary;
  if (!c?.stepReachedAt || c.aborted || !event) return [];
  if (b?.stepReachedAt === c.stepReachedAt && b.currentStepIndex === c.currentStepIndex) return [];
  const steps = t.bgs.spec.canary?.steps.length ?? c.currentStepIndex + 1;
  return [
    notification(t, 'CanaryStepReached', [c.revision, c.color, String(c.currentStepIndex), c.stepReachedAt], {
      occurredAt: c.stepReachedAt,
      summary: event.message,
      reason: REASONS.canaryStepReached,
      revision: c.revision,
      color: c.color,
      canary: { step: c.currentStepIndex + 1, steps, weight: c.weight },
    }),
  ];
}

function canaryAborted(t: Transition): NotificationRecord[] {
  const c = t.next.canary;
  const before = previous(t).canary;
  if (!c?.aborted) return [];
  if (before?.aborted && before.revision === c.revision && before.color === c.color) return [];
  const degraded = condition(t.next, CONDITIONS.degraded);
  const why = degraded?.status === 'True' ? degraded : undefined;
  const steps = t.bgs.spec.canary?.steps.length ?? c.currentStepIndex + 1;
  return [
    notification(t, 'CanaryAborted', [c.revision, c.color, String(c.currentStepIndex)], {
      occurredAt: t.nowIso,
      summary: why?.message ?? `canary of revision ${c.revision} aborted at step ${c.currentStepIndex + 1}`,
      reason: why?.reason ?? REASONS.canaryAborted,
      revision: c.revision,
      color: c.color,
      canary: { step: c.currentStepIndex + 1, steps, weight: c.weight },
    }),
  ];
}

/** What a status awaiting a person names: the colour to promote and what identifies the wait. */
function awaiting(s: BlueGreenServiceStatus) {
  const reason = condition(s, CONDITIONS.progressing)?.reason;
  if (s.phase !== 'AwaitingPromotion' || reason === undefined || !AWAITING_A_PERSON.includes(reason)) return;
  // A manual rollback carries the release on, ready, on the colour rolled back from: it awaits
  // a promotion only in the planner's words; the person just decided against it.
  const carriedOn = s.lastSwitchReason === REASONS.manualRollback && s.release?.startedAt === s.lastSwitchTime;
  if (carriedOn) return;
  const color = s.release?.color ?? s.canary?.color;
  const revision = s.release?.revision ?? s.canary?.revision ?? s.updateRevision;
  if (color === undefined || revision === undefined) return;
  const step = s.canary?.currentStepIndex;
  return { color, revision, reason, step, identity: [revision, color, s.release?.startedAt ?? '', reason, `${step}`] };
}

function awaitingPromotion(t: Transition): NotificationRecord[] {
  const now = awaiting(t.next);
  if (!now || awaiting(previous(t))?.identity.join('/') === now.identity.join('/')) return [];
  const { color, revision, reason, step } = now;
  const steps = t.bgs.spec.canary?.steps.length ?? 0;
  const summary =
    reason === REASONS.canaryPaused && step !== undefined
      ? `canary step ${step + 1}/${steps} of ${color} (revision ${revision}) holds until promoted`
      : `${color} is ready at revision ${revision} and awaits promotion`;
  return [
    notification(t, 'AwaitingPromotion', now.identity, {
      occurredAt: t.nowIso,
      summary,
      reason,
      revision,
      color,
      promoteCommand: promoteCommand(t.bgs, color),
    }),
  ];
}

/** The switch reason: the plan's switch Event, else a colour change nobody planned (observed). */
function switchReason(t: Transition): string | undefined {
  const planned = t.events.find((e) => PROMOTIONS.includes(e.reason) || ROLLBACKS.includes(e.reason));
  if (planned) return planned.reason;
  const before = previous(t).activeColor;
  const after = t.next.activeColor;
  return before !== undefined && after !== undefined && before !== after ? REASONS.observedSwitch : undefined;
}

/**
 * Promoted or RolledBack: status records a new switch. A switch the plan did not make (the
 * operator died between the selector patch and the status write, or someone edited the
 * Service) is named by what the new colour runs: the template's revision is a promotion.
 */
function switched(t: Transition): NotificationRecord[] {
  const at = t.next.lastSwitchTime;
  const active = t.next.activeColor;
  if (at === undefined || active === undefined || at === previous(t).lastSwitchTime) return [];
  const reason = switchReason(t);
  if (reason === undefined) return [];
  const revision = t.next.colors?.[active]?.revision;
  const promoted =
    PROMOTIONS.includes(reason) || (reason === REASONS.observedSwitch && revision === t.next.updateRevision);
  if (!promoted && !ROLLBACKS.includes(reason) && reason !== REASONS.observedSwitch) return [];
  const event = promoted ? 'Promoted' : 'RolledBack';
  const degraded = condition(t.next, CONDITIONS.degraded);
  const why = !promoted && degraded?.status === 'True' ? `: ${degraded.message}` : '';
  const what = promoted ? 'promoted' : 'rolled back to';
  const summary = `${what} ${active}${revision ? ` (revision ${revision})` : ''} [${reason}]${why}`;
  return [
    notification(t, event, [active, at], {
      occurredAt: at,
      summary,
      reason,
      ...(revision !== undefined ? { revision } : {}),
      color: active,
    }),
  ];
}

function degraded(t: Transition): NotificationRecord[] {
  const now = condition(t.next, CONDITIONS.degraded);
  const was = condition(previous(t), CONDITIONS.degraded);
  if (now?.status !== 'True') return [];
  if (was?.status === 'True' && was.reason === now.reason) return [];
  return [
    notification(t, 'Degraded', [now.reason, now.lastTransitionTime], {
      // A new reason while already degraded keeps the condition's transition time: this is now.
      occurredAt: was?.status === 'True' ? t.nowIso : now.lastTransitionTime,
      summary: now.message,
      reason: now.reason,
      ...(t.next.updateRevision !== undefined ? { revision: t.next.updateRevision } : {}),
    }),
  ];
}

function recovered(t: Transition): NotificationRecord[] {
  const now = condition(t.next, CONDITIONS.degraded);
  const was = condition(previous(t), CONDITIONS.degraded);
  if (was?.status !== 'True' || now?.status !== 'False') return [];
  return [
    notification(t, 'Recovered', [now.lastTransitionTime], {
      occurredAt: now.lastTransitionTime,
      summary: `no longer degraded (was ${was.reason}); ${t.next.message ?? ''}`.trim(),
      reason: was.reason,
      ...(t.next.stableRevision !== undefined ? { revision: t.next.stableRevision } : {}),
      ...(t.next.activeColor !== undefined ? { color: t.next.activeColor } : {}),
    }),
  ];
}

/** In the order a release meets them, so one transition's notifications read as a story. */
const DERIVATIONS: readonly ((t: Transition) => NotificationRecord[])[] = [
  releaseStarted,
  previewReady,
  analysisRound,
  canaryStepReached,
  canaryAborted,
  awaitingPromotion,
  switched,
  degraded,
  recovered,
];

export function deriveNotifications(t: Transition): NotificationRecord[] {
  return DERIVATIONS.flatMap((derive) => derive(t));
}
