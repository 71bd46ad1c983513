// How traffic moves is a seam, not a flag (docs/adr/0024). The release decides one intent for
// the canary colour's traffic (d.traffic); a TrafficRouter turns it into writes on the objects
// of one mechanism: the active Service's selector (replica-weighted, docs/adr/0012) or an
// HTTPRoute's weights (docs/adr/0017). The router the spec names is chosen once per reconcile
// (routers.ts) and carries the intent; any other router still holding objects of this release
// (a route recorded in status after spec.canary was removed) is retired: it carries nothing.
// Routers are pure: they read the Draft and push actions, Events and status into it.
import type { Color } from '../api/constants.ts';
import type { Draft } from './draft.ts';

/** What the release decides about the canary colour's live traffic in this pass. */
export type TrafficIntent =
  /**
   * Every request to the stable colour (no canary, a canary aborted or replaced). `abort` is set
   * when the release withdraws traffic in this pass: true on a verdict or the user's pin (leaving
   * failing code comes first: one ready stable pod is enough to take it back), false for any
   * other withdrawal (all traffic moves: the stable colour must be fully ready). Unset, nothing
   * is withdrawn in this pass and routers repair by status (an aborted canary counts as an abort).
   */
  | { kind: 'stable'; abort?: boolean }
  /**
   * A reached step: the canary receives `weight` percent. `widen`: the step's pods are exactly
   * ready now, so a router that does not carry the share yet may put it on.
   */
  | { kind: 'share'; weight: number; widen: boolean }
  /**
   * Keep the share in effect. `atMost`: the next step's pods are coming up, so the share is
   * never raised and is lowered to at most the previous step's weight. `promoting`: a user's
   * promotion of that colour is in flight: every router keeps carrying traffic to it (retired
   * ones too) until the switch, and none carries another colour's canary share.
   */
  | { kind: 'hold'; atMost?: number; promoting?: Color };

/** The chosen router carries the intent; a retired one only withdraws what it still carries. */
export type RouterRole = 'carries' | 'retired';

/** Why a router cannot carry a step yet, for the Degraded condition. */
export interface RouterProblem {
  reason: string;
  message: string;
}

/** A step as its Event describes it. */
export interface StepView {
  label: string;
  canary: Color;
  replicas: number;
  weight: number;
}

export interface TrafficRouter {
  /** The canary's pod count for `weight` percent next to `stable` pods (at least one for a weight above 0). */
  canaryReplicas(weight: number, stable: number): number;
  /** As observed, the canary (`color`, when named) receives live traffic through this router's objects. */
  carriesCanary(d: Draft, color?: Color): boolean;
  /** As observed, the preview Service carries live traffic through this router (then it must not move). */
  weighsPreview(d: Draft): boolean;
  /** Whether a step's share may go onto `canary` now, and the problem to report when it never can as things are. */
  stepReadiness(d: Draft, canary: Color): { ready: boolean; problem?: RouterProblem };
  /** The Event message of a step just reached. */
  describeStep(d: Draft, step: StepView): string;
  /** status.canary.achievedShare as planned in this pass; undefined when only realise() knows it. */
  plannedShare(d: Draft, role: RouterRole, canary: Color, stable: Color): number | undefined;
  /**
   * Take the canary's traffic back to `to` in this pass, with Events; an abort names the
   * revision it aborts. False while the traffic must stay (`to` cannot serve yet).
   */
  withdraw(d: Draft, role: RouterRole, from: Color, to: Color, aborts?: string): boolean;
  /** Plan the writes that make this router's objects match d.traffic (after the branches decided). */
  realise(d: Draft, role: RouterRole, active: Color | undefined): void;
}

export function roleOf(d: Draft, router: TrafficRouter): RouterRole {
  return router === d.router ? 'carries' : 'retired';
}

/**
 * The canary receives live traffic through any router, as observed. While it does, its template
 * is never rewritten and it is never scaled down.
 */
export function canaryServes(d: Draft, color?: Color): boolean {
  return d.routers.some((r) => r.carriesCanary(d, color));
}

/** The preview Service carries live traffic: it moves only when that is traffic-neutral. */
export function previewCarriesTraffic(d: Draft): boolean {
  return d.routers.some((r) => r.weighsPreview(d));
}

/**
 * All traffic back to the stable colour `to`: the intent becomes stable and every router takes
 * back what it carries in this pass. An abort records its revision first (status and, with the
 * next write of the active Service, its annotation: docs/adr/0011). False while some router must
 * keep traffic on the canary because `to` cannot serve yet.
 */
export function withdrawCanary(d: Draft, from: Color, to: Color, aborts?: string): boolean {
  if (aborts !== undefined) d.next.abortedRevision = aborts;
  d.traffic = { kind: 'stable', abort: aborts !== undefined };
  let all = true;
  for (const r of d.routers) all = r.withdraw(d, roleOf(d, r), from, to, aborts) && all;
  return all;
}

/** The canary's share for status as planned: the first router that knows it before realising. */
export function plannedShare(d: Draft, canary: Color, stable: Color): number {
  for (const r of d.routers) {
    const share = r.plannedShare(d, roleOf(d, r), canary, stable);
    if (share !== undefined) return share;
  }
  return 0;
}

/** Every router plans its writes for the intent the branches left in d.traffic. */
export function realiseTraffic(d: Draft, active: Color | undefined): void {
  for (const r of d.routers) r.realise(d, roleOf(d, r), active);
}
