// The planner: observed state + clock -> actions, status, requeue. PURE: no I/O, no
// Date.now(), no client. Every decision the operator makes is taken here and tested with
// tables in plan.test.ts.
import { ANNOTATIONS, COLORS, type Color, REASONS } from '../api/constants.ts';
import { resolveSpec } from '../api/defaults.ts';
import {
  activeServiceName,
  colorServiceName,
  keptTemplateName,
  previewServiceEnabled,
  previewServiceName,
} from '../api/names.ts';
import { revisionOf } from '../api/revision.ts';
import { validateSpec } from '../api/validate.ts';
import {
  checkDeadline,
  ensureDeployment,
  ensureService,
  releaseFor,
  setPhase,
  switchActive,
  type Draft,
} from './draft.ts';
import { desiredColorService, desiredPreviewService, ownerReference } from './desired.ts';
import { planLive } from './live.ts';
import { adoptedBy, colorReady, colorServes, deploymentRevision, selectedColor, serviceOwnership } from './observe.ts';
import { trafficRoutersFor } from './routers.ts';
import { stableWhileBoth } from './router-service.ts';
import { previewCarriesTraffic, realiseTraffic } from './traffic.ts';
import { finish, invalidPlan } from './status.ts';
import type { Observed, Plan } from './types.ts';

function conflicts(obs: Observed): string[] {
  const bgs = obs.bgs;
  const found: string[] = [];
  const check = (name: string, svc: Observed['activeService']) => {
    if (!svc || serviceOwnership(bgs, svc) !== 'foreign') return;
    const owner = svc.metadata?.ownerReferences?.find((r) => r.controller);
    found.push(
      owner
        ? `Service ${name} is controlled by ${owner.kind}/${owner.name}`
        : `Service ${name} serves BlueGreenService ${adoptedBy(svc)}`,
    );
  };
  check(activeServiceName(bgs), obs.activeService);
  if (previewServiceEnabled(bgs)) check(previewServiceName(bgs), obs.previewService);
  for (const c of COLORS) check(colorServiceName(bgs, c), obs.colorServices[c]);
  return found;
}

/**
 * The active Service is gone but status says which colour was live, and that colour still
 * exists or status remembers the revision it ran: keep treating it as live, never the first-deploy
 * path (it would rewrite the live Deployment with an unanalysed template while a release awaits
 * promotion); with the Deployment gone too, planLive restores it from its kept template.
 */
function restorable(d: Draft): Color | undefined {
  if (d.obs.activeService) return undefined;
  const recorded = d.prev.activeColor;
  // Status records a live colour: it is restored, or held (LiveTemplateLost) when nothing says
  // which revision it ran — never replaced by a first deploy of the template.
  if (recorded === undefined) return servingWithoutRecord(d);
  return recorded;
}

/**
 * Status and the active Service both lost (a restore without status, then the Service deleted):
 * the one colour whose Deployment has ready pods of a revision other than the template served,
 * so it is restored, never rewritten as a first deploy (that would put an unanalysed template
 * behind the re-created Service).
 */
function servingWithoutRecord(d: Draft): Color | undefined {
  // A first deploy in flight has its release in status; a colour already at the template is
  // what a first deploy would make it anyway.
  if (d.prev.release !== undefined) return undefined;
  // With both colours up, the one at the template is the release that was in flight.
  const serving = COLORS.filter(
    (c) =>
      d.obs.colors[c].deployment &&
      d.obs.colors[c].readyEndpoints > 0 &&
      deploymentRevision(d.obs.colors[c].deployment) !== d.desiredRevision,
  );
  // The user's pin names the first colour to serve; the other one is left as it is.
  if (serving.length !== 1 || (d.bgs.spec.activeColor ?? serving[0]) !== serving[0]) return undefined;
  d.next.activeColor = serving[0];
  return serving[0];
}

/** No active Service selects one of our colours yet: deploy the first colour, then point the Service at it. */
function planInitial(d: Draft): Color | undefined {
  const target = d.bgs.spec.activeColor ?? d.prev.activeColor ?? 'blue';
  const { release } = releaseFor(d, d.desiredRevision, target);
  d.next.release = release;
  ensureDeployment(d, target, d.spec.replicas, true);
  if (colorReady(d.obs, target, d.spec.replicas, d.desiredRevision)) {
    switchActive(d, undefined, target, REASONS.initialDeploy);
    d.next.release = undefined;
    setPhase(d, 'Healthy', REASONS.steady, `${target} serves revision ${d.desiredRevision}`);
  } else {
    const have = d.obs.colors[target].readyEndpoints;
    setPhase(
      d,
      'Progressing',
      REASONS.waitingForTarget,
      `waiting for ${d.spec.replicas} ready endpoints of ${target} (have ${have})`,
    );
    checkDeadline(d, release, `first deploy of ${target} not ready`);
    return undefined;
  }
  return target;
}

/**
 * A colour's Deployment without a controller reference is still ours by name and labels, but
 * the garbage collector would not delete it with the BlueGreenService: a restore after a
 * deletion with --cascade=orphan leaves both Deployments orphaned for good (the
 * disaster-recovery e2e covers it). Give it our reference back, touching nothing else; one that another
 * object controls is left alone. A Deployment the plan applies in full gets it that way.
 * The kept copy of its template was orphaned with it and is adopted in the same action.
 */
function adoptOrphanedDeployments(d: Draft): void {
  for (const color of COLORS) {
    const dep = d.obs.colors[color].deployment;
    if (!dep || dep.metadata?.ownerReferences?.some((r) => r.controller)) continue;
    if (d.actions.some((a) => a.kind === 'applyDeployment' && a.color === color)) continue;
    const revision = deploymentRevision(dep);
    d.actions.push({
      kind: 'adoptDeployment',
      color,
      name: dep.metadata!.name!,
      owner: ownerReference(d.bgs),
      ...(revision !== undefined ? { keptTemplate: keptTemplateName(d.bgs, revision) } : {}),
    });
  }
}

/** The scratchpad of one pass: status carried over, nothing decided yet, the routers chosen. */
function newDraft(obs: Observed): Draft {
  const bgs = obs.bgs;
  const prev = bgs.status ?? {};
  const spec = resolveSpec(bgs);
  return {
    obs,
    bgs,
    spec,
    desiredRevision: revisionOf(bgs.spec.template),
    nowIso: new Date(obs.now).toISOString(),
    prev,
    next: {
      activeColor: prev.activeColor,
      previousColor: prev.previousColor,
      previousRevision: prev.previousRevision,
      lastSwitchTime: prev.lastSwitchTime,
      lastSwitchReason: prev.lastSwitchReason,
      // The Service's copy survives a crash between the switch back and the status write.
      abortedRevision: prev.abortedRevision ?? obs.activeService?.metadata?.annotations?.[ANNOTATIONS.abortedRevision],
      release: prev.release,
      analysis: prev.analysis,
      canary: prev.canary,
    },
    phase: 'Progressing',
    reason: REASONS.progressing,
    message: '',
    actions: [],
    events: [],
    wakeAt: [],
    justSwitched: false,
    traffic: { kind: 'stable' },
    ...trafficRoutersFor(obs, spec),
  };
}

/**
 * The preview Service follows the release under test, or the active colour between releases.
 * It is created or moved only towards a colour with a ready endpoint now, whatever the branch
 * decided. While a router weighs it (docs/adr/0017), it carries live traffic: it moves only once
 * it carries none, or onto the active colour itself.
 */
function planPreviewService(d: Draft, previewColor: Color | undefined): void {
  if (!previewServiceEnabled(d.bgs) || previewColor === undefined) return;
  const observed = d.obs.previewService;
  if (selectedColor(d.bgs, observed) === previewColor) {
    ensureService(d, 'preview', observed, desiredPreviewService(d.bgs, previewColor));
    return;
  }
  if (previewCarriesTraffic(d) && previewColor !== d.next.activeColor) return;
  const target = d.obs.colors[previewColor].deployment;
  if (!colorServes(d.obs, previewColor, 1, deploymentRevision(target))) return;
  ensureService(d, 'preview', observed, desiredPreviewService(d.bgs, previewColor));
}

export function plan(obs: Observed): Plan {
  const errors = validateSpec(obs.bgs);
  if (errors.length > 0)
    return invalidPlan(obs, REASONS.invalidSpec, errors.map((e) => `${e.field}: ${e.message}`).join('; '));
  const clash = conflicts(obs);
  if (clash.length > 0) return invalidPlan(obs, REASONS.serviceConflict, `${clash.join('; ')}; not taking it over`);
  const d = newDraft(obs);
  for (const c of COLORS) ensureService(d, 'color', obs.colorServices[c], desiredColorService(obs.bgs, c));
  const active = selectedColor(obs.bgs, obs.activeService) ?? stableWhileBoth(d) ?? restorable(d);
  const previewColor = active === undefined ? planInitial(d) : planLive(d, active);
  // The active Service's selection and the routes' weights, as the branches decided.
  realiseTraffic(d, active);
  planPreviewService(d, previewColor);
  adoptOrphanedDeployments(d);
  return finish(d, previewColor === d.next.activeColor ? undefined : previewColor);
}
