// Planning when the active Service already points at a colour: a user-requested switch
// (user-switch.ts), the steady state with post-promotion verification and scale-down of the
// previous colour (steady.ts), a rolled-back revision, or a release (release.ts).
import { type Color, REASONS } from '../api/constants.ts';
import { deploymentName, otherColor } from '../api/names.ts';
import { degrade, ensureDeployment, wake, writeTemplate, type Draft } from './draft.ts';
import { colorServes, deploymentReplicas, deploymentRevision, selectedColor } from './observe.ts';
import { planRelease } from './release.ts';
import { finishVerificationFirst, planSteady, verifyingLive } from './steady.ts';
import { planUserSwitch } from './user-switch.ts';
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
    // crash during the first deploy) the other colour may run a release nobody promoted, and is
    // never an automatic rollback target.
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
 * newer template that was not promoted (that would promote unanalysed code), nor with any
 * template when status does not remember. The rest of this pass plans as if the re-created
 * Deployment were observed, with no ready endpoints yet. False when that revision's template is
 * not known.
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

/** The desired revision was rolled back automatically: hold, say how to proceed. */
function planAborted(d: Draft, active: Color): Color | undefined {
  const idle = otherColor(active);
  ensureDeployment(d, active, d.spec.replicas, false);
  degrade(
    d,
    REASONS.rolledBack,
    `revision ${d.desiredRevision} was rolled back; change spec.template to release again, or set spec.activeColor: ${idle} to promote it anyway`,
  );
  // The failed colour stays up for scaleDownDelaySeconds (to look at it), then goes to 0.
  const failed = d.obs.colors[idle].deployment;
  const lastSwitchMs = Date.parse(d.next.lastSwitchTime ?? d.nowIso);
  // An aborted canary is scaled down even with spec.activeColor pinned (the pin was the abort),
  // but never while the Service still selects it: the narrowing write goes first (docs/adr/0012).
  const canaryAborted = d.prev.canary?.aborted === true && d.prev.canary.revision === d.desiredRevision;
  // And never while the live colour is short of ready endpoints (the previous colour is the
  // instant rollback, an aborted canary's too).
  const liveShort = d.obs.colors[active].readyEndpoints < d.spec.replicas;
  // Routed (docs/adr/0017): not before a pass sees the route's canary weight at 0.
  const mayScale = (d.bgs.spec.activeColor === undefined || canaryAborted) && !canaryServes(d) && !liveShort;
  if (failed && deploymentReplicas(failed) > 0 && mayScale) {
    const at = lastSwitchMs + d.spec.scaleDownDelayMs;
    if (d.obs.now >= at) ensureDeployment(d, idle, 0, false);
    else wake(d, at);
  }
  // The preview may stay on the failed colour for that window, but never moves back to it (a
  // colour recovering inside the window would pull it over, and the scale-down push it back).
  if (
    selectedColor(d.bgs, d.obs.previewService) === idle &&
    colorServes(d.obs, idle, 1, d.desiredRevision) &&
    deploymentReplicas(failed) > 0 &&
    d.obs.now < lastSwitchMs + d.spec.scaleDownDelayMs
  )
    return idle;
  return colorServes(d.obs, active, 1, deploymentRevision(d.obs.colors[active].deployment)) ? active : undefined;
}
