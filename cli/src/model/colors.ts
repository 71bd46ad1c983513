// What each colour is doing, derived from status (the operator's view: roles, revisions,
// endpoints) and from the colour's Deployment and pods (the cluster's view: images, ready pods).
// PURE: the tree and the safety checks of promote/rollback/abort read the same roles.
import { COLORS, LABELS, type Color } from '../../../operator/src/api/constants.ts';
import { otherColor } from '../../../operator/src/api/names.ts';
import type { BlueGreenService, DeploymentLike, PodLike } from './objects.ts';

/** What traffic a colour serves, as status tells it. */
/** `release`: the colour a release is deployed to, before its preview is ready. */
export type Role = 'active' | 'preview' | 'release' | 'canary' | 'stable' | 'previous' | 'idle';

export interface ColorView {
  color: Color;
  roles: Role[];
  /** Canary or stable share of the active Service's traffic, percent, while a canary step holds. */
  sharePct?: number;
  revision?: string;
  images: string[];
  /** Deployment's ready pods and the count it wants (spec.replicas); undefined without a Deployment. */
  readyPods?: number;
  wantedPods?: number;
  /** Ready endpoints the operator last counted in the colour's EndpointSlices. */
  readyEndpoints?: number;
  pods: PodLike[];
}

/** A canary is in flight when status records one that was neither aborted nor completed. */
export function canaryInFlight(bgs: BlueGreenService): boolean {
  const c = bgs.status?.canary;
  const steps = bgs.spec.canary?.steps.length ?? 0;
  return c !== undefined && c.aborted !== true && c.currentStepIndex < steps;
}

export function rolesOf(bgs: BlueGreenService, color: Color): Role[] {
  const s = bgs.status ?? {};
  const roles: Role[] = [];
  if (s.activeColor === color) roles.push('active');
  if (s.previewColor === color && s.previewColor !== s.activeColor) roles.push('preview');
  else if (s.release?.color === color && s.activeColor !== color) roles.push('release');
  if (canaryInFlight(bgs)) {
    const canary = s.canary!.color;
    roles.push(canary === color ? 'canary' : 'stable');
  }
  if (s.previousColor === color && s.previousColor !== s.activeColor) roles.push('previous');
  return roles.length > 0 ? roles : ['idle'];
}

function shareOf(bgs: BlueGreenService, color: Color): number | undefined {
  if (!canaryInFlight(bgs)) return undefined;
  const c = bgs.status!.canary!;
  return c.color === color ? c.achievedShare : Math.round((100 - c.achievedShare) * 10) / 10;
}

export function colorViews(
  bgs: BlueGreenService,
  deployments: readonly DeploymentLike[],
  pods: readonly PodLike[],
): ColorView[] {
  return COLORS.map((color) => {
    const recorded = bgs.status?.colors?.[color];
    const deployment = deployments.find((d) => d.metadata.labels?.[LABELS.color] === color);
    const images = deployment?.spec?.template?.spec?.containers?.map((c) => c.image ?? '?') ?? recorded?.images ?? [];
    const view: ColorView = {
      color,
      roles: rolesOf(bgs, color),
      images,
      pods: pods
        .filter((p) => p.metadata.labels?.[LABELS.color] === color)
        .sort((a, b) => (a.metadata.name ?? '').localeCompare(b.metadata.name ?? '')),
    };
    const revision = deployment?.spec?.template?.metadata?.labels?.[LABELS.revision] ?? recorded?.revision;
    if (revision !== undefined) view.revision = revision;
    const share = shareOf(bgs, color);
    if (share !== undefined) view.sharePct = share;
    if (deployment) {
      view.readyPods = deployment.status?.readyReplicas ?? 0;
      view.wantedPods = deployment.spec?.replicas ?? 1;
    }
    if (recorded) view.readyEndpoints = recorded.readyEndpoints;
    return view;
  });
}

/** The colour a canary runs next to, or the active one: where `abort` pins traffic. */
export function stableColor(bgs: BlueGreenService): Color | undefined {
  if (canaryInFlight(bgs)) return otherColor(bgs.status!.canary!.color);
  return bgs.status?.activeColor;
}
