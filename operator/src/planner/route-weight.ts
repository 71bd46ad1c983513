// The Gateway API mode's traffic decision (docs/adr/0017): the branches say which weight the
// canary backendRef (the preview Service) should carry; planRouteWeight turns it into at most
// one write to the user's HTTPRoute, under the safety rules:
//   - no weight onto a colour without a ready endpoint (the gateway would answer 503 for that
//     share): a raise needs the step's pods exactly ready (planCanary checks), and whatever the
//     branches decided, a canary colour with no ready endpoint gets 0;
//   - a lowering write (an abort's 0) goes first in the plan, before any scale-down or
//     template write; those wait until a later pass sees the route at 0 (canaryServes);
//   - in the pass that switches the active Service to the canary colour the weight is kept
//     (both backends select that colour once the switch lands; resetting it first would send
//     the share back to the old colour for a moment), and goes to 0 on a later pass.
import { REASONS } from '../api/constants.ts';
import { activeServiceName, canaryHttpRouteName, previewServiceName } from '../api/names.ts';
import { degrade, type Draft } from './draft.ts';
import { selectedColor, selectsBothColors } from './observe.ts';
import { readRoute, routeAt, weightPatch, type RouteReading } from './route.ts';
import type { Observed } from './types.ts';

/** The route of this object, read; undefined when it does not use the Gateway API mode. */
export function routeReadingFor(obs: Observed): RouteReading | undefined {
  const name = canaryHttpRouteName(obs.bgs);
  if (name === undefined) return undefined;
  const bgs = obs.bgs;
  if (obs.httpRouteUnreadable !== undefined) return { ok: false, name, problem: obs.httpRouteUnreadable };
  return readRoute(obs.httpRoute, name, bgs.metadata.namespace, activeServiceName(bgs), previewServiceName(bgs));
}

/** The spec asks for exact weights through an HTTPRoute. */
export function routedMode(d: Draft): boolean {
  return d.spec.canaryHttpRoute !== undefined;
}

/**
 * The route, as observed, may send requests to the preview Service. A route we cannot read as
 * promised (a third backend, another rule, RBAC refusing the read) still counts while any of its
 * backendRefs weighs the preview, or when it cannot be read at all: the gateway keeps routing by
 * it, so the preview colour is not scaled down, rewritten or moved meanwhile.
 */
export function routedToCanary(d: Draft): boolean {
  const r = d.route;
  if (r === undefined) return false;
  if (r.ok) return r.canaryShare > 0;
  if (d.obs.httpRouteUnreadable !== undefined) return true;
  const preview = previewServiceName(d.bgs);
  return (d.obs.httpRoute?.spec?.rules ?? []).some((rule) =>
    (rule.backendRefs ?? []).some((b) => b.name === preview && (b.weight ?? 1) > 0),
  );
}

/**
 * The canary colour receives live traffic: through the active Service selecting both colours
 * (replica-weighted) or through the route's weight (Gateway API). While it does, its template
 * is never rewritten and it is never scaled down.
 */
export function canaryServes(d: Draft): boolean {
  return selectsBothColors(d.bgs, d.obs.activeService) || routedToCanary(d);
}

/** The route problem to report, naming the field, when the spec's route cannot carry a step. */
export function routeProblem(d: Draft): string | undefined {
  const r = d.route;
  if (!routedMode(d) || r === undefined || r.ok) return undefined;
  return `spec.canary.trafficRouting.gatewayAPI.httpRoute: ${r.problem}`;
}

export function planRouteWeight(d: Draft): void {
  const r = d.route;
  if (r === undefined) return;
  if (!r.ok) {
    // Nothing is written to a route we cannot read as promised; a release in flight says why.
    if (routedMode(d) && d.next.release !== undefined && d.degraded === undefined)
      degrade(d, REASONS.httpRouteNotUsable, `${routeProblem(d)}; canary steps wait, nothing written to it`);
    return;
  }
  const canaryColor = selectedColor(d.bgs, d.obs.previewService);
  const holdForSwitch = d.switched !== undefined && d.switched.to === canaryColor;
  let want = d.routeWeight === 'hold' || holdForSwitch ? r.canaryShare : (d.routeWeight ?? 0);
  if (want > 0 && (canaryColor === undefined || d.obs.colors[canaryColor].readyEndpoints === 0)) want = 0;
  if (d.next.canary) d.next.canary = { ...d.next.canary, achievedShare: want, httpRoute: r.name };
  if (want === r.canaryShare && (d.routeWeight === 'hold' || holdForSwitch)) return;
  if (routeAt(r, want)) return;
  const weight = Math.round(want);
  d.actions.push({
    kind: 'setRouteWeights',
    name: r.name,
    canaryWeight: weight,
    lowers: weight < r.canaryShare,
    patch: weightPatch(r, weight),
  });
  d.events.push({
    type: 'Normal',
    reason: REASONS.routeWeightSet,
    message: `HTTPRoute ${r.name}: ${weight}% to Service ${r.canaryService}${canaryColor ? ` (${canaryColor})` : ''}, ${100 - weight}% to Service ${r.stableService}`,
  });
  if (d.next.canary) d.next.canary = { ...d.next.canary, achievedShare: weight };
}
