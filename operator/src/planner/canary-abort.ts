// Taking the canary's traffic back. An abort (a bad step verdict, or spec.activeColor pinning
// the stable colour) and a canary that is no longer this release's (a newer template,
// spec.canary removed) both withdraw traffic first and scale nothing in that pass: the canary
// colour is scaled down, or its template rewritten, only by a later pass that sees no router
// carrying it any more (docs/adr/0012, 0017).
import { type Color, REASONS } from '../api/constants.ts';
import { degrade, ensureDeployment, setPhase, wake, type Draft } from './draft.ts';
import { recordCanary } from './canary-status.ts';
import { withdrawCanary } from './traffic.ts';

/**
 * Traffic goes back to the stable colour for something that is no longer this release's canary:
 * nothing else this pass. The canary colour's template may be rewritten only once no router is
 * seen carrying it.
 */
export function narrowBack(d: Draft, active: Color, idle: Color, why: string): undefined {
  d.traffic = { kind: 'stable' };
  ensureDeployment(d, active, d.spec.replicas, false);
  wake(d, d.obs.now);
  if (!withdrawCanary(d, idle, active)) {
    setPhase(d, 'Progressing', REASONS.canaryAborted, `${why}; waiting for a ready pod of ${active} first`);
    return undefined;
  }
  d.events.push({ type: 'Normal', reason: REASONS.canaryAborted, message: why });
  setPhase(d, 'Progressing', REASONS.canaryAborted, why);
  return undefined;
}

/**
 * Abort at step `index`: traffic is withdrawn first, with the aborted revision recorded in the
 * same pass (on the Service in the same write, as an automatic rollback: docs/adr/0011); a
 * router that cannot give the stable colour its traffic back yet keeps it until it can.
 */
export function abortCanary(d: Draft, active: Color, idle: Color, index: number, reason: string, why: string): Color {
  const rev = d.desiredRevision;
  const prior = d.prev.canary;
  const withdrawn = withdrawCanary(d, idle, active, rev);
  ensureDeployment(d, active, d.spec.replicas, false);
  const replicas = prior?.canaryReplicas ?? d.obs.colors[idle].deployment?.spec?.replicas ?? 0;
  d.next.canary = { ...recordCanary(d, { idle, active }, index, replicas, prior?.stepReachedAt), aborted: true };
  const serves = withdrawn
    ? `${active} serves all traffic`
    : `waiting for a ready pod of ${active} to take traffic back`;
  const message = `canary of revision ${rev} aborted at step ${index + 1}: ${why}; ${serves}`;
  d.events.push({ type: 'Warning', reason, message });
  degrade(d, reason, message);
  wake(d, d.obs.now);
  return idle;
}
