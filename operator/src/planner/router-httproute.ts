// The Gateway API router (docs/adr/0017): a share is the weight of the preview Service's
// backendRef on the user's HTTPRoute, next to the active Service's; the canary runs the pods for
// its share of the load. At most one write to the route per pass, under these rules:
//   - no weight onto a colour without a ready endpoint (the gateway would answer 503 for that
//     share): a raise needs the step's pods exactly ready (the release checks, and the preview
//     Service must already select the canary), and whatever the intent, a canary colour with no
//     ready endpoint gets 0;
//   - a lowering write (an abort's 0) goes first in the plan, before any scale-down or
//     template write; those wait until a later pass sees the route at 0 (carriesCanary);
//   - in the pass that switches the active Service to the canary colour the weight is kept
//     (both backends select that colour once the switch lands; resetting it first would send
//     the share back to the old colour for a moment), and goes to 0 on a later pass;
//   - an abort's 0 is the switch back: the failed colour is kept for scaleDownDelaySeconds from it.
import { type Color, REASONS } from '../api/constants.ts';
import type { ResolvedSpec } from '../api/defaults.ts';
import { activeServiceName, canaryHttpRouteName, previewServiceName } from '../api/names.ts';
import { routedCanaryReplicas } from './canary-share.ts';
import { degrade, type Draft } from './draft.ts';
import { selectedColor } from './observe.ts';
import { readRoute, routeAt, weightPatch, type RouteReading } from './route.ts';
import type { RouterRole, StepView, TrafficRouter } from './traffic.ts';
import type { Observed } from './types.ts';

type Readable = Extract<RouteReading, { ok: true }>;
/** The weight to set, or 'keep' what the route carries (no write). */
type Want = number | 'keep';

/** The route of this object, read; undefined when neither the spec nor status names one. */
function routeReadingFor(obs: Observed): RouteReading | undefined {
  const name = canaryHttpRouteName(obs.bgs);
  if (name === undefined) return undefined;
  const bgs = obs.bgs;
  if (obs.httpRouteUnreadable !== undefined) return { ok: false, name, problem: obs.httpRouteUnreadable };
  return readRoute(obs.httpRoute, name, bgs.metadata.namespace, activeServiceName(bgs), previewServiceName(bgs));
}

/** The weight the intent asks of this route, before the safety rules. */
function wanted(d: Draft, role: RouterRole, r: Readable): Want {
  const t = d.traffic;
  if (t.kind === 'hold' && t.promoting !== undefined)
    return selectedColor(d.bgs, d.obs.previewService) === t.promoting ? 'keep' : 0;
  if (role === 'retired') return 0;
  if (t.kind === 'stable') return 0;
  if (t.kind === 'share') return t.weight;
  // While the next step's pods come up the route keeps at most the previous step's weight
  // (those pods stay ready: a scale-up removes none), so the weight never flaps down and up.
  return t.atMost === undefined ? 'keep' : Math.min(Math.floor(r.canaryShare), t.atMost);
}

/** Plan the one write, if any, that brings the route to the weight wanted. */
function setWeight(d: Draft, role: RouterRole, r: Readable): void {
  const canaryColor = selectedColor(d.bgs, d.obs.previewService);
  const holdForSwitch = d.switched !== undefined && d.switched.to === canaryColor;
  const asked = wanted(d, role, r);
  const keep = asked === 'keep' || holdForSwitch;
  let want = keep ? r.canaryShare : asked;
  if (want > 0 && (canaryColor === undefined || d.obs.colors[canaryColor].readyEndpoints === 0)) want = 0;
  if (d.next.canary) d.next.canary = { ...d.next.canary, achievedShare: want, httpRoute: r.name };
  if (want === r.canaryShare && keep) return;
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

/**
 * The route, as observed, may send requests to the preview Service. A route we cannot read as
 * promised (a third backend, another rule, RBAC refusing the read) still counts while any of its
 * backendRefs weighs the preview, or when it cannot be read at all: the gateway keeps routing by
 * it, so the preview colour is not scaled down, rewritten or moved meanwhile.
 */
function weighsPreview(obs: Observed, route: RouteReading): boolean {
  if (route.ok) return route.canaryShare > 0;
  if (obs.httpRouteUnreadable !== undefined) return true;
  const preview = previewServiceName(obs.bgs);
  return (obs.httpRoute?.spec?.rules ?? []).some((rule) =>
    (rule.backendRefs ?? []).some((b) => b.name === preview && (b.weight ?? 1) > 0),
  );
}

function httpRouteRouter(route: RouteReading, spec: ResolvedSpec, weighs: boolean): TrafficRouter {
  /** The route problem to report, naming the field, when the spec's route cannot carry a step. */
  const problem = route.ok ? undefined : `spec.canary.trafficRouting.gatewayAPI.httpRoute: ${route.problem}`;
  return {
    canaryReplicas: routedCanaryReplicas,

    carriesCanary: (d, color) =>
      weighs && (color === undefined || selectedColor(d.bgs, d.obs.previewService) === color),

    weighsPreview: () => weighs,

    // The weight goes to the preview Service, so it must already select the canary, and the route
    // must name both Services (else a problem naming the field, and nothing written).
    stepReadiness: (d, canary) => ({
      ready: problem === undefined && selectedColor(d.bgs, d.obs.previewService) === canary,
      ...(problem !== undefined
        ? { problem: { reason: REASONS.httpRouteNotUsable, message: `${problem}; nothing written to it` } }
        : {}),
    }),

    describeStep: (_d, s: StepView) =>
      `${s.label}: HTTPRoute ${spec.canaryHttpRoute} sends ${s.weight}% of requests to ${s.canary} (${s.replicas} ready pods)`,

    plannedShare: () => undefined,

    withdraw(d: Draft, role: RouterRole, _from: Color, _to: Color, aborts?: string): boolean {
      if (role === 'carries' && aborts !== undefined && weighs) {
        d.next.lastSwitchTime = d.nowIso;
        d.next.lastSwitchReason = REASONS.canaryAborted;
      }
      return true;
    },

    realise(d: Draft, role: RouterRole): void {
      if (route.ok) return setWeight(d, role, route);
      // Nothing is written to a route we cannot read as promised; a release in flight says why,
      // and so does a route that still sends requests to the preview (never Healthy meanwhile).
      if (role === 'carries' && (d.next.release !== undefined || weighs) && d.degraded === undefined)
        degrade(
          d,
          REASONS.httpRouteNotUsable,
          d.next.release !== undefined
            ? `${problem}; canary steps wait, nothing written to it`
            : `${problem}; it still sends requests to the preview Service, and nothing is written to it`,
        );
    },
  };
}

/** The router for the route the spec (or, once removed from it, status) names; requested while the spec names it. */
export function httpRouteRouterFor(
  obs: Observed,
  spec: ResolvedSpec,
): { router: TrafficRouter; requested: boolean } | undefined {
  const route = routeReadingFor(obs);
  if (route === undefined) return undefined;
  return {
    router: httpRouteRouter(route, spec, weighsPreview(obs, route)),
    requested: spec.canaryHttpRoute !== undefined,
  };
}
