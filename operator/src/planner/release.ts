// A release: the desired revision differs from what the active colour runs. It goes to the
// idle colour, behind the preview Service, through the pre-promotion gate, then (when the
// operator decides) is scaled to full size and switched to, or through canary steps first.
// The active colour's template is never touched meanwhile. Read planRelease top-down: each
// step below it is one decision, in the order a release meets them.
import { otherColor } from '../api/names.ts';
import { type Color, REASONS } from '../api/constants.ts';
import type { CanaryStatus, ReleaseStatus } from '../api/types.ts';
import {
  analyse,
  checkDeadline,
  checkSwitchDeadline,
  degrade,
  ensureDeployment,
  recordStep,
  releaseFor,
  setPhase,
  switchActive,
  wake,
  type Draft,
} from './draft.ts';
import { promoteHint, startPostPromotion } from './promotion.ts';
import { narrowBack } from './canary-abort.ts';
import { canaryInFlight } from './canary-status.ts';
import { planCanary } from './canary.ts';
import { canaryServes } from './traffic.ts';
import { colorReady, colorServes, deploymentRevision } from './observe.ts';

/** The release being planned: its colours and its record (d.next.release, updated in place). */
interface Release {
  active: Color;
  idle: Color;
  record: ReleaseStatus;
  /** The record starts in this pass. */
  isNew: boolean;
}

/** The pre-promotion verdict: open, since `passedAt` (epoch ms), or closed with the phase saying why. */
type Gate = { open: true; passedAt: number } | { open: false };

export function planRelease(d: Draft, active: Color): Color | undefined {
  const idle = otherColor(active);
  const { release: record, isNew, restarted } = releaseFor(d, d.desiredRevision, idle);
  d.next.release = record;
  const r: Release = { active, idle, record, isNew };
  if (restarted) return restartRelease(d, r);
  if (isNew) announceRelease(d, r);
  const canary = canaryInFlight(d, idle, d.desiredRevision);
  if (canary || canaryServes(d)) return resumeOrWithdrawCanary(d, r, canary);
  const preview = previewReady(d, r);
  const gate: Gate = preview.found ? preGate(d, r) : { open: false };
  if (gate.open && d.bgs.spec.activeColor === undefined && d.spec.canarySteps)
    return planCanary(d, active, idle, record, undefined);
  const promote = gate.open && promotionDue(d, r, gate.passedAt);
  ensureDeployment(d, idle, promote ? d.spec.replicas : d.spec.previewReplicas, true);
  // The live colour follows spec.replicas (an HPA writes it through the scale subresource);
  // its template stays as it is until it is the idle colour again.
  ensureDeployment(d, active, d.spec.replicas, false);
  if (promote) switchWhenReady(d, r);
  return preview.color;
}

/**
 * The release's pods went away after it was found ready: it starts over. The decision before
 * the act: the new record reaches status before the colour is scaled up again (this pass only
 * withdraws traffic from it), else a lost status write would leave the old record (and its
 * verdict) next to running pods, indistinguishable from the release it names.
 */
function restartRelease(d: Draft, r: Release): undefined {
  const message = `revision ${d.desiredRevision} is released to ${r.idle} again: its pods went away after it was found ready; the new ones are analysed anew`;
  d.events.push({ type: 'Normal', reason: REASONS.releaseStarted, message });
  setPhase(d, 'Progressing', REASONS.waitingForPreview, message);
  ensureDeployment(d, r.active, d.spec.replicas, false);
  wake(d, d.obs.now);
  return undefined;
}

/** A new release: say what goes where; no canary record of an earlier release carries over. */
function announceRelease(d: Draft, r: Release): void {
  const images = (d.bgs.spec.template.spec?.containers ?? []).map((c) => c.image).join(', ');
  const message = `deploying revision ${d.desiredRevision} (${images}) to ${r.idle}`;
  d.events.push({ type: 'Normal', reason: REASONS.releaseStarted, message });
  d.next.canary = undefined;
}

/**
 * A canary in flight, or live traffic still reaching a canary, is planned on its own: its colour
 * runs the step's pods, not previewReplicas. Canary traffic with no canary in status means status
 * was lost after a share went on (a crash before the status write): the canary resumes from
 * step 1, but only when that traffic reaches the idle colour, that colour runs this revision,
 * and the release found it ready or lost its record with the rest of status (a recorded release
 * that never found its colour ready cannot have put a share on). Otherwise the traffic is
 * withdrawn first.
 */
function resumeOrWithdrawCanary(d: Draft, r: Release, canary: CanaryStatus | undefined): Color | undefined {
  if (canary) return planCanary(d, r.active, r.idle, r.record, canary);
  const rev = d.desiredRevision;
  const reachesIdle = canaryServes(d, r.idle);
  const resumable = reachesIdle && (r.record.readyAt !== undefined || r.isNew);
  if (resumable && deploymentRevision(d.obs.colors[r.idle].deployment) === rev && d.spec.canarySteps)
    return planCanary(d, r.active, r.idle, r.record, undefined);
  if (reachesIdle)
    return narrowBack(
      d,
      r.active,
      r.idle,
      `revision ${rev} replaces the canary of ${r.idle}; ${r.active} serves all traffic first`,
    );
  // The traffic reaches another colour through the preview Service: it moves only once it carries none.
  d.traffic = { kind: 'stable' };
  ensureDeployment(d, r.active, d.spec.replicas, false);
  const message = `revision ${rev} goes to ${r.idle} once the route's weight on the preview Service is back at 0`;
  setPhase(d, 'Progressing', REASONS.waitingForPreview, message);
  wake(d, d.obs.now);
  checkDeadline(d, r.record, `the route still weighs the preview Service`);
  return undefined;
}

/** Only the operator promotes on its own, and only with promotion.auto. */
function autoPromotes(d: Draft): boolean {
  return d.bgs.spec.activeColor === undefined && d.spec.autoPromotion;
}

/**
 * The preview is ready (previewReplicas ready endpoints of this revision; the first time, an
 * Event), or waits for it. A preview found ready once stays the preview while an automatic
 * promotion scales it up: the scale write bumps the Deployment's generation, and until its
 * controller catches up the colour no longer looks ready, which must not undo the decision and
 * scale it back. The gate still decides, the switch still waits for full readiness, and the
 * preview Service stays where it is until the colour serves again (`color` undefined).
 */
function previewReady(d: Draft, r: Release): { found: boolean; color?: Color } {
  const rev = d.desiredRevision;
  const serves = colorServes(d.obs, r.idle, d.spec.previewReplicas, rev);
  const scalingUp =
    autoPromotes(d) &&
    r.record.readyAt !== undefined &&
    r.record.promotingSince !== undefined &&
    deploymentRevision(d.obs.colors[r.idle].deployment) === rev;
  if (!serves && !scalingUp) {
    const have = d.obs.colors[r.idle].readyEndpoints;
    const message = `waiting for ${d.spec.previewReplicas} ready endpoints of ${r.idle} at revision ${rev} (have ${have})`;
    setPhase(d, 'Progressing', REASONS.waitingForPreview, message);
    checkDeadline(d, r.record, `preview ${r.idle} not ready`);
    return { found: false };
  }
  if (!r.record.readyAt) {
    r.record.readyAt = d.nowIso;
    d.events.push({ type: 'Normal', reason: REASONS.previewReady, message: `${r.idle} is ready at revision ${rev}` });
  }
  return { found: true, ...(serves ? { color: r.idle } : {}) };
}

/**
 * The pre-promotion gate: open at once without pre-promotion analysis; with it, open once the
 * run passed (from its last round), closed while it runs or after a failed or inconclusive
 * verdict. A new release starts a new run: the verdict in status is an earlier release's.
 */
function preGate(d: Draft, r: Release): Gate {
  const readyAt = r.record.readyAt!;
  const template = d.spec.prePromotion;
  if (!template) return { open: true, passedAt: Date.parse(readyAt) };
  const step = analyse(d, {
    template,
    stage: 'PrePromotion',
    color: r.idle,
    revision: d.desiredRevision,
    startedAtMs: Date.parse(readyAt),
    priorRun: r.isNew ? d.next.analysis : d.prev.analysis,
  });
  recordStep(d, step);
  const { phase, message = '' } = step.run;
  if (phase === 'Running') {
    setPhase(d, 'Analyzing', REASONS.analysisRunning, `pre-promotion analysis of ${r.idle}: ${message}`);
    return { open: false };
  }
  if (phase !== 'Successful') {
    const reason = phase === 'Failed' ? REASONS.analysisFailed : REASONS.analysisInconclusive;
    degrade(d, reason, `pre-promotion analysis of ${r.idle} ${phase.toLowerCase()}: ${message}; not promoting`);
    if (step.concluded) d.events.push({ type: 'Warning', reason, message });
    return { open: false };
  }
  if (step.concluded) d.events.push({ type: 'Normal', reason: REASONS.analysisPassed, message });
  return { open: true, passedAt: Date.parse(step.run.lastRoundAt ?? readyAt) };
}

/** The gate is open: the switch is due now, or the phase says what it waits for (the user's edit, the delay). */
function promotionDue(d: Draft, r: Release, passedAt: number): boolean {
  if (!autoPromotes(d)) {
    const message = `${r.idle} is ready at revision ${d.desiredRevision}; ${promoteHint(d, r.idle)}`;
    setPhase(d, 'AwaitingPromotion', REASONS.awaitingPromotion, message);
    return false;
  }
  const promoteAt = passedAt + d.spec.promotionDelayMs;
  if (d.obs.now >= promoteAt) return true;
  setPhase(
    d,
    'AwaitingPromotion',
    REASONS.promotionDelay,
    `promoting ${r.idle} at ${new Date(promoteAt).toISOString()}`,
  );
  wake(d, promoteAt);
  return false;
}

/** Promotion due: switch once the idle colour runs spec.replicas ready pods, then verify it. */
function switchWhenReady(d: Draft, r: Release): void {
  if (colorReady(d.obs, r.idle, d.spec.replicas, d.desiredRevision)) {
    switchActive(d, r.active, r.idle, REASONS.autoPromotion);
    startPostPromotion(d, r.idle);
    return;
  }
  const have = d.obs.colors[r.idle].readyEndpoints;
  const message = `scaling ${r.idle} to ${d.spec.replicas} before the switch (have ${have} ready)`;
  setPhase(d, 'Promoting', REASONS.waitingForTarget, message);
  checkSwitchDeadline(d, r.record, `promotion target ${r.idle} not ready`);
}
