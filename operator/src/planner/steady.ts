// The steady state: the live colour runs the revision it works on. After a switch its
// post-promotion analysis runs (a failure rolls back to the previous colour, which is the instant
// rollback and so is kept until the live colour is verified, fully ready and its delay is over);
// a live colour that loses ready endpoints goes back to the previous one while that can serve.
import { CONDITIONS, type Color, REASONS } from '../api/constants.ts';
import { otherColor } from '../api/names.ts';
import { analyse, degrade, ensureDeployment, recordStep, setPhase, switchActive, wake, type Draft } from './draft.ts';
import { colorReady, colorServes, deploymentReplicas, deploymentRevision } from './observe.ts';
import { canaryServes } from './traffic.ts';

/** A post-promotion analysis of the live revision is still running. */
export function verifyingLive(d: Draft, active: Color, stable: string): boolean {
  const run = d.prev.analysis;
  return (
    d.spec.postPromotion !== undefined &&
    run?.stage === 'PostPromotion' &&
    run.color === active &&
    run.revision === stable &&
    run.phase === 'Running'
  );
}

/**
 * A new template arrived while the live revision is still being verified: starting the release
 * at once would drop the verification and overwrite the previous colour, the rollback target.
 * The verification finishes first, exactly as in the steady
 * state of the live revision (a failure still rolls back, aborting the LIVE revision); the
 * new revision's release starts on the next pass after it.
 */
export function finishVerificationFirst(d: Draft, active: Color, stable: string): Color | undefined {
  const preview = planSteady(d, active, stable);
  if (d.phase === 'Verifying') d.message = `${d.message}; revision ${d.desiredRevision} is released after it`;
  return preview;
}

/**
 * The live colour runs `revision` (the desired one, or the one still being verified while a
 * newer template waits): verify it after a switch, keep it at spec.replicas, and scale the
 * previous colour down once nothing needs it.
 */
export function planSteady(d: Draft, active: Color, revision: string): Color | undefined {
  d.next.release = undefined;
  d.next.canary = undefined;
  ensureDeployment(d, active, d.spec.replicas, true, revision);
  setPhase(d, 'Healthy', REASONS.steady, `${active} serves revision ${revision}`);
  const lastSwitchMs = Date.parse(d.next.lastSwitchTime ?? d.prev.lastSwitchTime ?? d.nowIso);
  const verifying = verifyAfterSwitch(d, active, revision, lastSwitchMs);
  const short = liveShort(d, active, revision);
  // A Service still selecting both colours is narrowed in this pass, a route still weighing the
  // preview is set to 0 in this pass: scale nothing that still receives traffic.
  if (!verifying && !short && !canaryServes(d)) scaleDownPrevious(d, active, revision, lastSwitchMs);
  // Between releases the preview Service follows the live colour, but only to ready pods.
  return colorServes(d.obs, active, 1, revision) ? active : undefined;
}

/**
 * The post-promotion analysis of `revision` after a switch to it (or one seen happening). True
 * while it holds the previous colour: the run goes on, or it failed (a rollback is planned).
 */
function verifyAfterSwitch(d: Draft, active: Color, revision: string, lastSwitchMs: number): boolean {
  const post = d.spec.postPromotion;
  const prior = d.prev.analysis;
  const verifying =
    (prior?.stage === 'PostPromotion' && prior.color === active && prior.revision === revision) || d.justSwitched;
  if (!post || !verifying) return false;
  const step = analyse(d, {
    template: post,
    stage: 'PostPromotion',
    color: active,
    revision,
    startedAtMs: lastSwitchMs,
    priorRun: d.prev.analysis,
  });
  recordStep(d, step);
  const { phase, message = '' } = step.run;
  if (phase === 'Running') {
    setPhase(d, 'Verifying', REASONS.verifying, `post-promotion analysis of ${active}: ${message}`);
    return true;
  }
  if (phase !== 'Successful') {
    rollBackAfterFailedVerification(d, active, revision, message, step.concluded);
    return true;
  }
  if (step.concluded)
    d.events.push({ type: 'Normal', reason: REASONS.analysisPassed, message: `post-promotion: ${message}` });
  return false;
}

/**
 * The previous colour is the instant rollback: never scaled down while the live colour is short
 * of ready endpoints (else no ready colour may be left at all). A drop in ready endpoints — not
 * a scale-up still filling — is a lost active colour, handled like a failed verification
 * (docs/adr/0011). True while the live colour is short.
 */
function liveShort(d: Draft, active: Color, revision: string): boolean {
  const ready = d.obs.colors[active].readyEndpoints;
  if (ready >= d.spec.replicas || d.switched) return false;
  const recorded = d.prev.colors?.[active]?.readyEndpoints ?? 0;
  const wasLost = d.prev.conditions?.some(
    (c) => c.type === CONDITIONS.degraded && c.status === 'True' && c.reason === REASONS.activeUnavailable,
  );
  if (ready === 0 || ready < recorded || wasLost) activeUnavailable(d, active, revision, ready);
  return true;
}

/** The previous colour goes to 0 scaleDownDelaySeconds after the switch. */
function scaleDownPrevious(d: Draft, active: Color, revision: string, lastSwitchMs: number): void {
  const idle = otherColor(active);
  const idleDep = d.obs.colors[idle].deployment;
  if (!idleDep || deploymentReplicas(idleDep) <= 0) return;
  const at = lastSwitchMs + d.spec.scaleDownDelayMs;
  if (d.obs.now < at) {
    wake(d, at);
    return;
  }
  ensureDeployment(d, idle, 0, false, revision);
  d.events.push({
    type: 'Normal',
    reason: REASONS.scaledDown,
    message: `scaled ${idle} to 0 after the switch to ${active}`,
  });
}

/** The previous colour still runs the revision it served (status recorded it with the switch; older statuses did not). */
function stillRunsWhatServed(d: Draft, color: Color): boolean {
  const recorded = d.prev.previousRevision;
  return recorded === undefined || deploymentRevision(d.obs.colors[color].deployment) === recorded;
}

/**
 * The live colour lost ready endpoints. While the previous colour still runs, fully ready, and
 * spec.activeColor is unset, traffic goes back to it (an automatic rollback; the revision is
 * recorded as aborted). Otherwise: Degraded, selector kept, previous colour kept.
 */
function activeUnavailable(d: Draft, active: Color, revisionLive: string, ready: number): void {
  const previous = otherColor(active);
  const dep = d.obs.colors[previous].deployment;
  const revision = deploymentRevision(dep);
  const lost = `${active} has ${ready}/${d.spec.replicas} ready endpoints`;
  // Only a colour that served before this one is a rollback target, only while no release has
  // taken it over (else it runs a revision never promoted), and never a revision recorded as
  // aborted: a template reverted to the live revision does not make the failed one good again.
  const canRollBack =
    d.bgs.spec.activeColor === undefined &&
    d.prev.previousColor === previous &&
    d.prev.release?.color !== previous &&
    stillRunsWhatServed(d, previous) &&
    dep !== undefined &&
    revision !== deploymentRevision(d.obs.colors[active].deployment) &&
    revision !== d.next.abortedRevision &&
    colorReady(d.obs, previous, d.spec.replicas, revision);
  if (canRollBack) {
    switchActive(d, active, previous, REASONS.autoRollback, revisionLive);
    d.next.analysis = undefined;
    degrade(d, REASONS.activeUnavailable, `${lost}; rolled back to ${previous} (revision ${revision})`);
    return;
  }
  const hint = dep && deploymentReplicas(dep) > 0 ? `; ${previous} is kept running for a rollback` : '';
  degrade(d, REASONS.activeUnavailable, `${lost}${hint}`);
}

function rollBackAfterFailedVerification(
  d: Draft,
  active: Color,
  revisionLive: string,
  why: string,
  concluded: boolean,
): void {
  const previous = otherColor(active);
  const dep = d.obs.colors[previous].deployment;
  if (concluded) d.events.push({ type: 'Warning', reason: REASONS.postPromotionFailed, message: why });
  // Going back to the same revision cures nothing and would undo a verdict on it.
  const sameRevision =
    dep !== undefined && deploymentRevision(dep) === deploymentRevision(d.obs.colors[active].deployment);
  // Only the colour status records as live before this one is a rollback target: with status
  // lost, the other colour may run a release nobody promoted.
  // And only while no release has taken it over (it would run a revision nobody promoted).
  const served =
    d.prev.previousColor === previous &&
    d.prev.release?.color !== previous &&
    stillRunsWhatServed(d, previous) &&
    deploymentRevision(dep) !== d.next.abortedRevision;
  if (d.bgs.spec.activeColor !== undefined || !dep || sameRevision || !served) {
    // The user pinned this colour (or nothing is left to go back to): report, never override spec.
    const hint = dep && !sameRevision ? `; roll back with spec.activeColor: ${previous}` : '';
    degrade(d, REASONS.postPromotionFailed, `post-promotion analysis of ${active} failed: ${why}${hint}`);
    return;
  }
  const revision = deploymentRevision(dep);
  ensureDeployment(d, previous, d.spec.replicas, false, revisionLive);
  if (colorReady(d.obs, previous, d.spec.replicas, revision)) {
    switchActive(d, active, previous, REASONS.autoRollback, revisionLive);
    degrade(d, REASONS.rolledBack, `post-promotion analysis of ${active} failed (${why}); rolled back to ${previous}`);
  } else {
    degrade(
      d,
      REASONS.postPromotionFailed,
      `post-promotion analysis failed (${why}); scaling ${previous} up to roll back`,
    );
  }
}
