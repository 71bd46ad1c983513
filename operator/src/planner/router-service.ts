// The replica-weighted router (docs/adr/0012): a share is carried by the active Service
// selecting both colours (the colour key leaves its selector), and kube-proxy spreads
// connections over the ready pods of both, so the canary's pod count sets its share next to the
// stable colour's spec.replicas. The active Service is this router's object between switches,
// so it also repairs its drift, carrying or retired. Rules:
//   - the selector widens only onto exactly ready pods (the release says so with `widen`);
//   - narrowing is a traffic move too: only onto a stable colour that can take the traffic back
//     (canTakeBack), else both stay selected; an abort or a replaced canary narrows through a
//     recorded switch back (withdraw), any other narrowing is a repair of the selector;
//   - retired (another router carries the share), it narrows, except while a promotion holds.
import { type Color, REASONS } from '../api/constants.ts';
import { desiredActiveService } from './desired.ts';
import { canaryReplicasFor, roundedShare } from './canary-share.ts';
import { ensureService, switchActive, type Draft } from './draft.ts';
import { colorReady, colorServes, deploymentRevision, selectsBothColors } from './observe.ts';
import type { RouterRole, StepView, TrafficRouter } from './traffic.ts';

/** The active Service, as observed, selects both colours. */
export function bothSelected(d: Draft): boolean {
  return selectsBothColors(d.bgs, d.obs.activeService);
}

/** The stable colour while the Service selects both: status knows it; without status, the colour not released. */
export function stableWhileBoth(d: Draft): Color | undefined {
  if (!bothSelected(d)) return undefined;
  if (d.prev.activeColor) return d.prev.activeColor;
  if (d.prev.canary) return d.prev.canary.color === 'blue' ? 'green' : 'blue';
  return deploymentRevision(d.obs.colors.blue.deployment) === d.desiredRevision ? 'green' : 'blue';
}

/**
 * The stable colour can take the canary's traffic back. Away from a canary that failed (or that
 * the user's pin stops), one ready pod of its own revision and no pod of another is enough:
 * leaving failing code comes first (a pod it lost since the step is no reason to keep canary
 * traffic, but a colour with nothing ready is: its Deployment was deleted and re-created). Any
 * other withdrawal (a newer template, the template set back, spec.canary removed) moves all
 * traffic, so the stable colour must be fully ready.
 */
function canTakeBack(d: Draft, color: Color, aborting: boolean): boolean {
  const revision = deploymentRevision(d.obs.colors[color].deployment);
  return aborting ? colorServes(d.obs, color, 1, revision) : colorReady(d.obs, color, d.spec.replicas, revision);
}

/** A withdrawal in this pass (the intent says which kind) could not narrow yet: both stay selected. */
function withdrawalWaits(d: Draft, stable: Color): boolean {
  const t = d.traffic;
  return t.kind === 'stable' && t.abort !== undefined && bothSelected(d) && !canTakeBack(d, stable, t.abort);
}

/** The Service selects both colours and, by status, the stable colour cannot take the traffic back yet. */
function narrowingWaits(d: Draft, stable: Color): boolean {
  return bothSelected(d) && !canTakeBack(d, stable, d.next.canary?.aborted === true);
}

/** The Service selects both colours for the canary's share after this pass. */
function carriesBoth(d: Draft, role: RouterRole, stable: Color): boolean {
  const t = d.traffic;
  switch (t.kind) {
    case 'stable':
      return withdrawalWaits(d, stable);
    case 'share':
      return role === 'carries' && (bothSelected(d) || t.widen);
    case 'hold':
      return bothSelected(d) && (role === 'carries' || t.atMost === undefined);
  }
}

export const serviceSelectorRouter: TrafficRouter = {
  canaryReplicas: canaryReplicasFor,

  carriesCanary: (d) => bothSelected(d),

  weighsPreview: () => false,

  stepReadiness: () => ({ ready: true }),

  describeStep(d: Draft, s: StepView): string {
    const share = roundedShare(s.replicas, d.spec.replicas);
    return `${s.label}: ${s.canary} runs ${s.replicas} of ${s.replicas + d.spec.replicas} ready endpoints (${share}%)`;
  },

  plannedShare(d: Draft, role: RouterRole, canary: Color, stable: Color): number {
    const ready = d.obs.colors;
    return carriesBoth(d, role, stable) ? roundedShare(ready[canary].readyEndpoints, ready[stable].readyEndpoints) : 0;
  },

  // Not selecting both (or deleted): nothing to narrow, and the realisation re-creates it on the
  // stable colour alone.
  withdraw(d: Draft, _role: RouterRole, from: Color, to: Color, aborts?: string): boolean {
    if (!bothSelected(d)) return true;
    if (!canTakeBack(d, to, aborts !== undefined)) return false;
    switchActive(d, from, to, REASONS.canaryAborted, aborts);
    return true;
  },

  // Drift of the active Service (ports, type, our labels) is repaired without moving traffic.
  // A deleted one is re-created for the colour status records as live, once that colour is
  // ready again: never the first-deploy path, which would roll the new template onto it.
  realise(d: Draft, role: RouterRole, active: Color | undefined): void {
    if (active === undefined || d.switched || d.next.activeColor !== active) return;
    const live = d.obs.colors[active].deployment;
    if (!d.obs.activeService && !colorReady(d.obs, active, d.spec.replicas, deploymentRevision(live))) return;
    const both = carriesBoth(d, role, active) || narrowingWaits(d, active);
    const desired = desiredActiveService(d.bgs, both ? 'both' : active, d.next.abortedRevision);
    ensureService(d, 'active', d.obs.activeService, desired);
  },
};
