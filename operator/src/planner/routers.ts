// The traffic routers this operator knows, and the choice of one per reconcile (docs/adr/0024).
// A new router is a file implementing TrafficRouter (traffic.ts) and one entry below: the
// release and the canary steps ask the chosen router, never which one it is.
import type { ResolvedSpec } from '../api/defaults.ts';
import { httpRouteRouterFor } from './router-httproute.ts';
import { serviceSelectorRouter } from './router-service.ts';
import type { TrafficRouter } from './traffic.ts';
import type { Observed } from './types.ts';

/** A router with objects in play for this object: `requested` when the spec names its mechanism. */
type RouterFactory = (obs: Observed, spec: ResolvedSpec) => { router: TrafficRouter; requested: boolean } | undefined;

/**
 * The Service selector comes first: the active Service always exists, and it carries a share
 * unless the spec names another mechanism. Later entries override it when requested.
 */
const ROUTERS: readonly RouterFactory[] = [
  () => ({ router: serviceSelectorRouter, requested: true }),
  httpRouteRouterFor,
];

/** The routers in play (realised every pass, in this order) and the one that carries the release's intent. */
export function trafficRoutersFor(
  obs: Observed,
  spec: ResolvedSpec,
): { routers: TrafficRouter[]; router: TrafficRouter } {
  const present = ROUTERS.flatMap((make) => make(obs, spec) ?? []);
  const router = present.filter((p) => p.requested).at(-1)?.router ?? serviceSelectorRouter;
  return { routers: present.map((p) => p.router), router };
}
