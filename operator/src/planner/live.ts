// Planning when the active Service already points at a colour: a user-requested switch
// (promotion or rollback), the steady state with post-promotion verification and scale-down
// of the previous colour, a rolled-back revision, or a release (release.ts).
import { CONDITIONS, type Color, REASONS } from '../api/constants.ts';
import { deploymentName, otherColor } from '../api/names.ts';
import {
  analyse,
  checkSwitchDeadline,
  degrade,
  ensureDeployment,
  recordStep,
  releaseFor,
  setPhase,
  switchActive,
  templateFor,
  wake,
  writeTemplate,
  type Draft,
} from './draft.ts';
import { narrowBack } from './canary-abort.ts';
import {
  colorReady,
  colorServes,
  deploymentReplicas,
  deploymentRevision,
  imagesDrifted,
  selectedColor,
} from './observe.ts';
import { startPostPromotion } from './promotion.ts';
import { planRelease } from './release.ts';
import { canaryServes } from './traffic.ts';

/** Returns the colour the preview Service should point at. */
export function planLive(d: Draft, active: Color): Color | undefined {
  const requested = d.bgs.spec.activeColor;
  // The status lags the Service when the operator stopped between switching and writing
  // status, or someone edited the Service: treat the switch as happening now, so the
  // previous colour gets its full scale-down delay and verification starts.
  if (d.prev.activeColor !== active) {
    d.justSwitched = true;
    d.next.activeColor = active;
    // Only a colour status recorded as live is one that served: with no status (a restore, a
    // crash during the first deploy) the other colour may run a release nobody promoted, and an
    // automatic rollback to it would put that on live traffic (soak seed 20261212).
    d.next.previousColor = d.prev.activeColor;
    d.next.previousRevision = d.prev.activeColor ? d.prev.colors?.[d.prev.activeColor]?.revision : undefined;
    d.next.lastSwitchTime = d.nowIso;
    d.next.lastSwitchReason = d.prev.lastSwitchReason ?? REASONS.observedSwitch;
  }
  const live = d.obs.colors[active].deployment !== undefined || restoreLive(d, active);
  if (requested !== undefined && requested !== active) return planUserSwitch(d, active, requested);
  if (!live) return holdLostLive(d, active);
  const stable = deploymentRevision(d.obs.colors[active].deployment) ?? d.desiredRevision;
  if (stable === d.desiredRevision) return planSteady(d, active, stable);
  if (d.desiredRevision === d.next.abortedRevision) return planAborted(d, active);
  if (verifyingLive(d, active, stable)) return finishVerificationFirst(d, active, stable);
  return planRelease(d, active);
}

/**
 * Self-healing: the live Deployment was deleted. It is re-created with the revision it ran
 * (status remembers which; the template comes from the spec or its kept copy), never with a
 * newer template that was not promoted, nor with any template when status does not remember (the simulation found that path promoting unanalysed
 * revisions). The rest of this pass plans as if the re-created Deployment were observed, with
 * no ready endpoints yet. False when that revision's template is not known.
 */
function restoreLive(d: Draft, active: Color): boolean {
  // With no record of the revision it ran (status lost too), nothing guesses: the template may be
  // a release nobody analysed.
  const revision = d.prev.colors?.[active]?.revision;
  if (revision === undefined) return false;
  const object = writeTemplate(d, active, d.spec.replicas, revision);
  if (!object) return false;
  d.obs = { ...d.obs, colors: { ...d.obs.colors, [active]: { ...d.obs.colors[active], deployment: object } } };
  return true;
}

/**
 * The live Deployment is gone and the template it ran has no kept copy (created before copies
 * were kept, or the copy was deleted): the selector stays, nothing guesses the template, and
 * the user decides — promote the other colour with spec.activeColor, or re-apply the template
 * that was live.
 */
function holdLostLive(d: Draft, active: Color): Color | undefined {
  const revision = d.prev.colors?.[active]?.revision ?? 'unknown';
  const other = otherColor(active);
  degrade(
    d,
    REASONS.liveTemplateLost,
    `Deployment ${deploymentName(d.bgs, active)} served traffic and was deleted; its template (revision ${revision}) ` +
      `has no kept copy, so it is not re-created with the unpromoted revision ${d.desiredRevision}: ` +
      `set spec.activeColor to ${other} to promote it, or re-apply the template of revision ${revision}`,
  );
  return undefined;
}

/** spec.activeColor names the other colour: promote it (it runs the new revision) or roll back to it. */
function planUserSwitch(d: Draft, active: Color, target: Color): Color | undefined {
  const dep = d.obs.colors[target].deployment;
  // A rollback goes back to what was live before. An older revision on the colour of the
  // release in flight is a stale preview instead (safety item 6: a new template and
  // activeColor in one apply promoted the OLDER preview as a "rollback", unanalysed): it gets
  // the newest template first, then the switch is a promotion.
  const rollbackTarget = d.next.previousColor === target || d.prev.previousColor === target;
  const stale =
    dep !== undefined &&
    deploymentRevision(dep) !== d.desiredRevision &&
    d.prev.release?.color === target &&
    !rollbackTarget;
  // A deleted rollback target comes back with the revision it ran, from its kept copy: the
  // user asked to go back, not to promote the newest template under the old colour's name.
  const lost = dep === undefined && rollbackTarget ? d.prev.colors?.[target]?.revision : undefined;
  const restore = lost !== undefined && lost !== d.desiredRevision && templateFor(d, lost) !== undefined;
  const targetRevision = stale ? d.desiredRevision : restore ? lost : (deploymentRevision(dep) ?? d.desiredRevision);
  const promotion = targetRevision === d.desiredRevision;
  const { release } = releaseFor(d, targetRevision, target);
  d.next.release = release;
  // Only the target is scaled; the colour still serving is left exactly as it is mid-switch.
  // The target serves nothing yet: it may get the newest template (a stale preview, or one whose
  // images were edited by hand), but a rollback target keeps the revision it is rolled back to.
  const mayWrite = !dep || stale || deploymentRevision(dep) === d.desiredRevision;
  // Promoting from a canary step: the Service keeps both colours while the canary colour scales
  // to full size; a template change for it waits until the Service selects the stable colour alone.
  // Routed (docs/adr/0017), the route keeps the canary's weight while it scales up, when the
  // target is the colour the route weighs; a switch to the other colour sets it to 0 first.
  const serving = canaryServes(d);
  if (serving) {
    if (deploymentRevision(dep) !== targetRevision || (mayWrite && dep && imagesDrifted(dep, d.bgs)))
      return narrowBack(
        d,
        active,
        target,
        `${target} needs revision ${targetRevision} first; ${active} serves all traffic meanwhile`,
      );
    d.traffic = { kind: 'hold', promoting: target };
  }
  if (restore) writeTemplate(d, target, d.spec.replicas, targetRevision);
  else ensureDeployment(d, target, d.spec.replicas, mayWrite && !serving);
  if (colorReady(d.obs, target, d.spec.replicas, targetRevision)) {
    switchActive(d, active, target, promotion ? REASONS.manualPromotion : REASONS.manualRollback);
    if (promotion) {
      startPostPromotion(d, target);
      return target;
    }
    setPhase(d, 'Healthy', REASONS.steady, `rolled back to ${target} (revision ${targetRevision})`);
    // The colour rolled back from still holds the release: the preview Service stays on it, and
    // the release record continues (no second ReleaseStarted/PreviewReady for the same release).
    if (colorServes(d.obs, active, 1, d.desiredRevision)) {
      d.next.release = { revision: d.desiredRevision, color: active, startedAt: d.nowIso, readyAt: d.nowIso };
      return active;
    }
    d.next.release = undefined;
    return target;
  }
  const have = d.obs.colors[target].readyEndpoints;
  setPhase(
    d,
    'Promoting',
    REASONS.waitingForTarget,
    `spec.activeColor is ${target}: waiting for ${d.spec.replicas} ready endpoints (have ${have}) before switching`,
  );
  checkSwitchDeadline(d, release, `switch target ${target} not ready`);
  return undefined; // leave the preview Service where it is while the target scales
}

/** A post-promotion analysis of the live revision is still running. */
function verifyingLive(d: Draft, active: Color, stable: string): boolean {
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
 * A new template arrived while the live revision is still being verified (safety item 9: the
 * release used to start at once, dropping the verification and overwriting the previous
 * colour — the rollback target). The verification finishes first, exactly as in the steady
 * state of the live revision (a failure still rolls back, aborting the LIVE revision); the
 * new revision's release starts on the next pass after it.
 */
function finishVerificationFirst(d: Draft, active: Color, stable: string): Color | undefined {
  const preview = planSteady(d, active, stable);
  if (d.phase === 'Verifying') d.message = `${d.message}; revision ${d.desiredRevision} is released after it`;
  return preview;
}

/**
 * The live colour runs `revision` (the desired one, or the one still being verified while a
 * newer template waits): verify it after a switch, keep it at spec.replicas, and scale the
 * previous colour down once its delay is over and nothing needs it.
 */
function planSteady(d: Draft, active: Color, revision: string): Color | undefined {
  const idle = otherColor(active);
  d.next.release = undefined;
  d.next.canary = undefined;
  ensureDeployment(d, active, d.spec.replicas, true, revision);
  setPhase(d, 'Healthy', REASONS.steady, `${active} serves revision ${revision}`);
  const lastSwitchMs = Date.parse(d.next.lastSwitchTime ?? d.prev.lastSwitchTime ?? d.nowIso);
  let holdPrevious = false;

  const post = d.spec.postPromotion;
  const prior = d.prev.analysis;
  const verifying =
    post &&
    ((prior?.stage === 'PostPromotion' && prior.color === active && prior.revision === revision) || d.justSwitched);
  if (post && verifying) {
    const step = analyse(d, {
      template: post,
      stage: 'PostPromotion',
      color: active,
      revision,
      startedAtMs: lastSwitchMs,
      priorRun: d.prev.analysis,
    });
    recordStep(d, step);
    const run = step.run;
    if (run.phase === 'Running') {
      holdPrevious = true;
      setPhase(d, 'Verifying', REASONS.verifying, `post-promotion analysis of ${active}: ${run.message ?? ''}`);
    } else if (run.phase !== 'Successful') {
      holdPrevious = true;
      rollBackAfterFailedVerification(d, active, revision, run.message ?? '', step.concluded);
    } else if (step.concluded) {
      d.events.push({
        type: 'Normal',
        reason: REASONS.analysisPassed,
        message: `post-promotion: ${run.message ?? ''}`,
      });
    }
  }

  // The previous colour is the instant rollback: never scaled down while the live colour is
  // short of ready endpoints (safety item 1: it was, after scaleDownDelaySeconds, leaving no
  // ready colour at all). A drop in ready endpoints — not a scale-up still filling — is a
  // lost active colour: handled like a failed verification (docs/adr/0011).
  const ready = d.obs.colors[active].readyEndpoints;
  if (ready < d.spec.replicas && !d.switched) {
    holdPrevious = true;
    const recorded = d.prev.colors?.[active]?.readyEndpoints ?? 0;
    const wasLost = d.prev.conditions?.some(
      (c) => c.type === CONDITIONS.degraded && c.status === 'True' && c.reason === REASONS.activeUnavailable,
    );
    if (ready === 0 || ready < recorded || wasLost) activeUnavailable(d, active, revision, ready);
  }

  const idleDep = d.obs.colors[idle].deployment;
  // A Service still selecting both colours is narrowed in this pass, a route still weighing the
  // preview is set to 0 in this pass: scale nothing that still receives traffic.
  if (canaryServes(d)) holdPrevious = true;
  if (!holdPrevious && idleDep && deploymentReplicas(idleDep) > 0) {
    const at = lastSwitchMs + d.spec.scaleDownDelayMs;
    if (d.obs.now >= at) {
      ensureDeployment(d, idle, 0, false, revision);
      d.events.push({
        type: 'Normal',
        reason: REASONS.scaledDown,
        message: `scaled ${idle} to 0 after the switch to ${active}`,
      });
    } else {
      wake(d, at);
    }
  }
  // Between releases the preview Service follows the live colour, but only to ready pods.
  return colorServes(d.obs, active, 1, revision) ? active : undefined;
}

/**
 * The live colour lost ready endpoints. While the previous colour still runs, fully ready, and
 * spec.activeColor is unset, traffic goes back to it (an automatic rollback; the revision is
 * recorded as aborted). Otherwise: Degraded, selector kept, previous colour kept.
 */
/** The previous colour still runs the revision it served (status recorded it with the switch; older statuses did not). */
function stillRunsWhatServed(d: Draft, color: Color): boolean {
  const recorded = d.prev.previousRevision;
  return recorded === undefined || deploymentRevision(d.obs.colors[color].deployment) === recorded;
}

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
  // Going back to the same revision cures nothing and would undo a verdict on it (the
  // simulation found a user's switch to a colour of the same revision "rolled back" to it).
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

/** The desired revision was rolled back automatically: hold, say how to proceed. */
function planAborted(d: Draft, active: Color): Color | undefined {
  const idle = otherColor(active);
  ensureDeployment(d, active, d.spec.replicas, false);
  degrade(
    d,
    REASONS.rolledBack,
    `revision ${d.desiredRevision} was rolled back; change spec.template to release again, or set spec.activeColor: ${idle} to promote it anyway`,
  );
  // The failed colour stays up for scaleDownDelaySeconds (to look at it), then goes to 0
  // (safety item 10: it used to run at full size forever).
  const failed = d.obs.colors[idle].deployment;
  const lastSwitchMs = Date.parse(d.next.lastSwitchTime ?? d.nowIso);
  // An aborted canary is scaled down even with spec.activeColor pinned (the pin was the abort),
  // but never while the Service still selects it: the narrowing write goes first (docs/adr/0012).
  const canaryAborted = d.prev.canary?.aborted === true && d.prev.canary.revision === d.desiredRevision;
  // And never while the live colour is short of ready endpoints (safety item 1 holds here too:
  // the soak on the merged code found an aborted canary scaled to 0 while blue had 0/1 ready).
  const liveShort = d.obs.colors[active].readyEndpoints < d.spec.replicas;
  // Routed (docs/adr/0017): not before a pass sees the route's canary weight at 0.
  const mayScale = (d.bgs.spec.activeColor === undefined || canaryAborted) && !canaryServes(d) && !liveShort;
  if (failed && deploymentReplicas(failed) > 0 && mayScale) {
    const at = lastSwitchMs + d.spec.scaleDownDelayMs;
    if (d.obs.now >= at) ensureDeployment(d, idle, 0, false);
    else wake(d, at);
  }
  // The preview may stay on the failed colour for that window, but never moves back to it:
  // a crashed colour recovering inside the window used to pull the preview over and the
  // scale-down then pushed it back (a flap the simulation found after 78,728 steps).
  if (
    selectedColor(d.bgs, d.obs.previewService) === idle &&
    colorServes(d.obs, idle, 1, d.desiredRevision) &&
    deploymentReplicas(failed) > 0 &&
    d.obs.now < lastSwitchMs + d.spec.scaleDownDelayMs
  )
    return idle;
  return colorServes(d.obs, active, 1, deploymentRevision(d.obs.colors[active].deployment)) ? active : undefined;
}
