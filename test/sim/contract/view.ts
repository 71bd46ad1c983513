// What a user can observe of one BlueGreenService at one moment: the Services and their
// selectors, the HTTPRoute's weights, the colour Deployments (template revision, replicas) and
// the readiness of their pods as EndpointSlices list it. The contract oracle judges every write
// on the view just before it and just after it; nothing here knows how the operator decides.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { ANNOTATIONS, LABELS, type Color } from '../../../operator/src/api/constants.ts';
import type { HTTPRouteLike } from '../../../operator/src/api/httproute.ts';
import type { Pod } from '../cluster.ts';

export const COLORS = ['blue', 'green'] as const;
export const otherColor = (c: Color): Color => (c === 'blue' ? 'green' : 'blue');

export interface View {
  /** The BlueGreenService's name: its Deployments are `<owner>-<colour>`. */
  owner: string;
  activeName: string;
  previewName: string;
  routeName: string;
  services: ReadonlyMap<string, V1Service>;
  deployments: ReadonlyMap<string, V1Deployment>;
  routes: ReadonlyMap<string, HTTPRouteLike>;
  pods: ReadonlyMap<string, readonly Pod[]>;
}

export const deploymentName = (v: View, c: Color) => `${v.owner}-${c}`;
export const selectedColor = (svc: V1Service | undefined) => svc?.spec?.selector?.[LABELS.color] as Color | undefined;
const selectedOwner = (svc: V1Service | undefined) => svc?.spec?.selector?.[LABELS.service];
export const abortedOn = (svc: V1Service | undefined) => svc?.metadata?.annotations?.[ANNOTATIONS.abortedRevision];

/** The active Service of this object selects both colours (a replica-weighted canary step). */
export function activeSelectsBoth(v: View): boolean {
  const svc = v.services.get(v.activeName);
  return selectedOwner(svc) === v.owner && selectedColor(svc) === undefined;
}

/** The one colour the active Service selects, if it is ours and selects one. */
export function activeColor(v: View): Color | undefined {
  const svc = v.services.get(v.activeName);
  return selectedOwner(svc) === v.owner ? selectedColor(svc) : undefined;
}

export function previewColor(v: View): Color | undefined {
  const svc = v.services.get(v.previewName);
  return selectedOwner(svc) === v.owner ? selectedColor(svc) : undefined;
}

/** Percent of the route's weights on the preview Service's backendRef (unset weights are 1). */
export function routeShare(v: View): number {
  const refs = v.routes.get(v.routeName)?.spec?.rules?.[0]?.backendRefs ?? [];
  const canary = refs.find((r) => r.name === v.previewName);
  if (!canary) return 0;
  const total = refs.reduce((n, r) => n + (r.weight ?? 1), 0);
  return total === 0 ? 0 : (100 * (canary.weight ?? 1)) / total;
}

export function revisionOfColor(v: View, c: Color): string | undefined {
  return v.deployments.get(deploymentName(v, c))?.spec?.template?.metadata?.labels?.[LABELS.revision];
}

export function replicasOf(v: View, c: Color): number {
  return v.deployments.get(deploymentName(v, c))?.spec?.replicas ?? 0;
}

/** The colours whose pods receive live traffic: selected by the active Service, or weighted by the route. */
export function servingColors(v: View): Set<Color> {
  const out = new Set<Color>();
  if (activeSelectsBoth(v)) COLORS.forEach((c) => out.add(c));
  const one = activeColor(v);
  if (one) out.add(one);
  const preview = previewColor(v);
  if (preview && routeShare(v) > 0) out.add(preview);
  return out;
}

export interface Readiness {
  /** Ready pods running the colour's Deployment revision. */
  ready: number;
  /** Pods of another revision (an older template still rolling out). */
  stale: number;
  /** Pods in all. */
  pods: number;
}

export function readiness(v: View, c: Color): Readiness {
  const pods = v.pods.get(deploymentName(v, c)) ?? [];
  const revision = revisionOfColor(v, c);
  return {
    ready: pods.filter((p) => p.ready && p.revision === revision).length,
    stale: pods.filter((p) => p.revision !== revision).length,
    pods: pods.length,
  };
}

/**
 * Every pod the colour's Deployment wants (and at least `atLeast`) is ready, and none runs another
 * revision. A Deployment scaled to 0 is not ready, whatever its terminating pods still say.
 */
export function fullyReady(v: View, c: Color, atLeast: number): boolean {
  const r = readiness(v, c);
  const wanted = Math.max(replicasOf(v, c), atLeast);
  return r.stale === 0 && r.ready >= wanted && r.pods === r.ready && replicasOf(v, c) > 0;
}

export function describeReadiness(v: View, c: Color): string {
  const r = readiness(v, c);
  return `${c} (${revisionOfColor(v, c)}) has ${r.ready} ready of ${r.pods} pods, Deployment wants ${replicasOf(v, c)}, ${r.stale} of another revision`;
}
