// Builds the planner's Observed input for one BlueGreenService from the read-only caches
// (plus our own recent writes). The only live read is an active/preview Service that does
// not carry our labels yet, i.e. one we may adopt.
import type { V1Deployment, V1EndpointSlice, V1Service } from '@kubernetes/client-node';
import { COLORS, type Color } from '../api/constants.ts';
import {
  activeServiceName,
  canaryHttpRouteName,
  colorServiceName,
  deploymentName,
  keptTemplateName,
  previewServiceEnabled,
  previewServiceName,
} from '../api/names.ts';
import type { BlueGreenService } from '../api/types.ts';
import { templateRevision } from '../planner/observe.ts';
import type { KeptTemplate, Observed, ObservedColor } from '../planner/types.ts';
import { ApiError } from '../k8s/request.ts';
import type { HTTPRouteLike } from '../api/httproute.ts';
import type { Caches, ClusterReader } from './ports.ts';
import type { WriteOverlay } from './overlay.ts';

/** Ready endpoints in a Service's EndpointSlices. A nil `ready` means ready (API contract). */
export function readyEndpoints(slices: readonly V1EndpointSlice[]): number {
  let n = 0;
  for (const slice of slices) for (const ep of slice.endpoints ?? []) if (ep.conditions?.ready !== false) n++;
  return n;
}

export async function snapshot(
  bgs: BlueGreenService,
  informers: Caches,
  overlay: WriteOverlay,
  reader: ClusterReader,
  now: number,
  signal: AbortSignal,
): Promise<Observed> {
  const ns = bgs.metadata.namespace!;
  const svc = (name: string) => overlay.pick<V1Service>('Service', ns, name, informers.services.store.get(ns, name));
  const colors = {} as Record<Color, ObservedColor>;
  const colorServices: Partial<Record<Color, V1Service>> = {};
  for (const c of COLORS) {
    const name = deploymentName(bgs, c);
    const deployment = overlay.pick<V1Deployment>('Deployment', ns, name, informers.deployments.store.get(ns, name));
    const sliceOwner = colorServiceName(bgs, c);
    const slices = informers.slices.store
      .byLabel('kubernetes.io/service-name', sliceOwner)
      .filter((s) => s.metadata?.namespace === ns);
    colors[c] = { ...(deployment ? { deployment } : {}), readyEndpoints: readyEndpoints(slices) };
    const cs = svc(sliceOwner);
    if (cs) colorServices[c] = cs;
  }
  // The Gateway API mode's route (docs/adr/0017): a GET by name, not cached, so the weights the
  // planner reads are the ones its JSON patch's test ops will meet.
  const routeName = canaryHttpRouteName(bgs);
  // A Service the cache lacks (not created yet, or not carrying our labels) is read live. The
  // two reads go out together: each is a round trip a worker waits for, twice per pass while a
  // new object's Services do not exist yet (4,000 GETs for 1,000 new objects in
  // bench/results/compare-1000-2026-12-02-same-run-1.md).
  const cachedActive = svc(activeServiceName(bgs));
  const readActive = cachedActive
    ? Promise.resolve(cachedActive)
    : reader.getService(ns, activeServiceName(bgs), signal);
  let readPreview: Promise<V1Service | undefined> = Promise.resolve(undefined);
  if (previewServiceEnabled(bgs)) {
    // Routed, the route weighs the preview Service: it is read fresh too, so a weight is never
    // raised onto a preview Service deleted moments ago that the cache still holds (the
    // gateway answers 500 for a backend that does not exist; soak seed 20261218).
    const cached = routeName === undefined ? svc(previewServiceName(bgs)) : undefined;
    readPreview = cached ? Promise.resolve(cached) : reader.getService(ns, previewServiceName(bgs), signal);
  }
  const [activeService, previewService] = await Promise.all([readActive, readPreview]);
  const keptTemplates = await readKeptTemplates(bgs, colors, reader, signal);
  let httpRoute: HTTPRouteLike | undefined;
  let httpRouteUnreadable: string | undefined;
  try {
    httpRoute = routeName === undefined ? undefined : await reader.getHTTPRoute(ns, routeName, signal);
  } catch (err) {
    // Missing RBAC is the user's to fix: the planner reports it naming the field, instead of a
    // silent retry loop. Anything else (API server unavailable) is retried.
    if (!(err instanceof ApiError) || err.statusCode !== 403) throw err;
    httpRouteUnreadable = `the operator may not read HTTPRoute ${ns}/${routeName} (${err.message}); the chart grants get and patch with rbac.gatewayAPI=true`;
  }
  return {
    bgs,
    now,
    colors,
    colorServices,
    ...(keptTemplates.length > 0 ? { keptTemplates } : {}),
    ...(activeService ? { activeService } : {}),
    ...(previewService ? { previewService } : {}),
    ...(httpRoute ? { httpRoute } : {}),
    ...(httpRouteUnreadable ? { httpRouteUnreadable } : {}),
  };
}

/**
 * The kept templates of the live and previous colours whose Deployments are gone and ran a
 * revision the spec no longer holds: the planner restores them from these (ADR 0016). A GET
 * by name, only in that rare state; nothing is cached.
 */
async function readKeptTemplates(
  bgs: BlueGreenService,
  colors: Record<Color, ObservedColor>,
  reader: ClusterReader,
  signal: AbortSignal,
): Promise<KeptTemplate[]> {
  const status = bgs.status ?? {};
  const wanted = new Set<string>();
  for (const c of [status.activeColor, status.previousColor]) {
    const revision = c && !colors[c].deployment ? status.colors?.[c]?.revision : undefined;
    if (revision !== undefined && revision !== templateRevision(bgs)) wanted.add(revision);
  }
  const kept: KeptTemplate[] = [];
  for (const revision of wanted) {
    const template = await reader.getKeptTemplate(bgs.metadata.namespace!, keptTemplateName(bgs, revision), signal);
    if (template) kept.push({ revision, template });
  }
  return kept;
}
