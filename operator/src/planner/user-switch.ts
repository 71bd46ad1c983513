// spec.activeColor names the colour the active Service does not select: the user's one lever
// (ADR 0004) promotes it (it runs the newest revision) or rolls back to it (it runs what was
// live before). The target is scaled to spec.replicas and switched to once fully ready; the
// colour still serving is left exactly as it is meanwhile.
import { type Color, REASONS } from '../api/constants.ts';
import type { V1Deployment } from '@kubernetes/client-node';
import {
  checkSwitchDeadline,
  ensureDeployment,
  releaseFor,
  setPhase,
  switchActive,
  templateFor,
  writeTemplate,
  type Draft,
} from './draft.ts';
import { narrowBack } from './canary-abort.ts';
import { colorReady, colorServes, deploymentRevision, imagesDrifted } from './observe.ts';
import { startPostPromotion } from './promotion.ts';
import { canaryServes } from './traffic.ts';

/** What the switch goes to: the target's revision, and how its Deployment may be written. */
interface SwitchTarget {
  color: Color;
  dep: V1Deployment | undefined;
  revision: string;
  /** The target runs (or gets) the desired revision: a promotion; otherwise a rollback. */
  promotion: boolean;
  /** A deleted rollback target comes back from the kept copy of the revision it ran. */
  restore: boolean;
  /** Its template may be written (it serves nothing yet). */
  mayWrite: boolean;
}

/**
 * A rollback goes back to what was live before. An older revision on the colour of the release
 * in flight is a stale preview instead: it gets the newest template first, then the switch is a
 * promotion (never an unanalysed older preview promoted as a "rollback"). A deleted rollback
 * target comes back with the revision it ran, from its kept copy: the user asked to go back, not
 * to promote the newest template under the old colour's name. The target serves nothing yet:
 * it may get the newest template (a stale preview, or one whose images were edited by hand), but
 * a rollback target keeps the revision it is rolled back to.
 */
function switchTarget(d: Draft, color: Color): SwitchTarget {
  const dep = d.obs.colors[color].deployment;
  const running = deploymentRevision(dep);
  const rollbackTarget = d.next.previousColor === color || d.prev.previousColor === color;
  const stale =
    dep !== undefined && running !== d.desiredRevision && d.prev.release?.color === color && !rollbackTarget;
  const lost = dep === undefined && rollbackTarget ? d.prev.colors?.[color]?.revision : undefined;
  const restore = lost !== undefined && lost !== d.desiredRevision && templateFor(d, lost) !== undefined;
  const revision = stale ? d.desiredRevision : ((restore ? lost : running) ?? d.desiredRevision);
  const mayWrite = !dep || stale || running === d.desiredRevision;
  return { color, dep, revision, promotion: revision === d.desiredRevision, restore, mayWrite };
}

export function planUserSwitch(d: Draft, active: Color, target: Color): Color | undefined {
  const t = switchTarget(d, target);
  const { release } = releaseFor(d, t.revision, target);
  d.next.release = release;
  // Promoting from a canary step: the traffic the canary has stays while it scales to full size
  // (intent hold); a template change for it waits until its traffic is withdrawn.
  const serving = canaryServes(d);
  if (serving) {
    if (deploymentRevision(t.dep) !== t.revision || (t.mayWrite && t.dep && imagesDrifted(t.dep, d.bgs)))
      return narrowBack(
        d,
        active,
        target,
        `${target} needs revision ${t.revision} first; ${active} serves all traffic meanwhile`,
      );
    d.traffic = { kind: 'hold', promoting: target };
  }
  if (t.restore) writeTemplate(d, target, d.spec.replicas, t.revision);
  else ensureDeployment(d, target, d.spec.replicas, t.mayWrite && !serving);
  if (colorReady(d.obs, target, d.spec.replicas, t.revision)) return switchTo(d, active, t);
  const have = d.obs.colors[target].readyEndpoints;
  const message = `spec.activeColor is ${target}: waiting for ${d.spec.replicas} ready endpoints (have ${have}) before switching`;
  setPhase(d, 'Promoting', REASONS.waitingForTarget, message);
  checkSwitchDeadline(d, release, `switch target ${target} not ready`);
  return undefined; // leave the preview Service where it is while the target scales
}

/**
 * The target is ready: switch. A promotion is verified next; after a rollback the colour rolled
 * back from still holds the release, so the preview Service stays on it and its record
 * continues (no second ReleaseStarted/PreviewReady for the same release).
 */
function switchTo(d: Draft, active: Color, t: SwitchTarget): Color {
  switchActive(d, active, t.color, t.promotion ? REASONS.manualPromotion : REASONS.manualRollback);
  if (t.promotion) {
    startPostPromotion(d, t.color);
    return t.color;
  }
  setPhase(d, 'Healthy', REASONS.steady, `rolled back to ${t.color} (revision ${t.revision})`);
  if (colorServes(d.obs, active, 1, d.desiredRevision)) {
    d.next.release = { revision: d.desiredRevision, color: active, startedAt: d.nowIso, readyAt: d.nowIso };
    return active;
  }
  d.next.release = undefined;
  return t.color;
}
