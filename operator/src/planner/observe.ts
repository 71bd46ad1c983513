// Reading the snapshot: which colour the active Service points at, what each colour runs,
// and whether a colour may receive traffic. Pure functions over read-only objects.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { COLORS, LABELS, type Color } from '../api/constants.ts';
import { revisionOf } from '../api/revision.ts';
import type { BlueGreenService } from '../api/types.ts';
import type { Observed } from './types.ts';

/** The colour a Service's selector points at, if the selector is one of ours. */
export function selectedColor(bgs: BlueGreenService, svc: V1Service | undefined): Color | undefined {
  const selector = svc?.spec?.selector;
  if (!selector || selector[LABELS.service] !== bgs.metadata.name) return undefined;
  const color = selector[LABELS.color];
  return COLORS.find((c) => c === color);
}

/** The Service selects the pods of both colours (ours, without the colour key): a canary step. */
export function selectsBothColors(bgs: BlueGreenService, svc: V1Service | undefined): boolean {
  const selector = svc?.spec?.selector;
  return selector !== undefined && selector[LABELS.service] === bgs.metadata.name && !(LABELS.color in selector);
}

export function deploymentRevision(d: V1Deployment | undefined): string | undefined {
  return d?.metadata?.labels?.[LABELS.revision];
}

const revisions = new WeakMap<BlueGreenService, string>();

/**
 * The revision of the object's current template, hashed once per object: the gates below ask
 * for it several times per plan, and objects from the cache are never mutated (frozen).
 */
export function templateRevision(bgs: BlueGreenService): string {
  let rev = revisions.get(bgs);
  if (rev === undefined) revisions.set(bgs, (rev = revisionOf(bgs.spec.template)));
  return rev;
}

/**
 * The Deployment carries the revision label of the current template but someone changed its
 * pods' images (`kubectl set image` on a colour): the label alone would call it current.
 * Images are what such edits change; a full template comparison would trip
 * over the API server's defaults.
 */
export function imagesDrifted(d: V1Deployment | undefined, bgs: BlueGreenService): boolean {
  const want = (c: { name: string; image?: string }[] | undefined) =>
    JSON.stringify((c ?? []).map((x) => [x.name, x.image ?? '']));
  const have = d?.spec?.template?.spec;
  const spec = bgs.spec.template.spec;
  return want(have?.containers) !== want(spec?.containers) || want(have?.initContainers) !== want(spec?.initContainers);
}

export function deploymentReplicas(d: V1Deployment | undefined): number {
  return d?.spec?.replicas ?? 0;
}

export function deploymentImages(d: V1Deployment | undefined): string[] {
  return (d?.spec?.template?.spec?.containers ?? []).map((c) => c.image ?? '');
}

/**
 * A colour can serve at least `min` requests-worth of pods: its Deployment runs `revision`,
 * the controller has seen the latest spec, no pod of an older template is left, at least
 * `min` pods are updated and available, AND the EndpointSlices (what kube-proxy programs)
 * list at least `min` ready endpoints. Deployment status alone lags endpoints
 * (argo-rollouts#2488), endpoints alone may still include an older template's pods.
 */
export function colorServes(obs: Observed, color: Color, min: number, revision: string | undefined): boolean {
  const d = obs.colors[color].deployment;
  if (!d || deploymentReplicas(d) < min) return false;
  if (revision !== undefined && deploymentRevision(d) !== revision) return false;
  if (revision === templateRevision(obs.bgs) && imagesDrifted(d, obs.bgs)) return false;
  const st = d.status ?? {};
  return (
    (st.observedGeneration ?? 0) >= (d.metadata?.generation ?? 0) &&
    (st.replicas ?? 0) === (st.updatedReplicas ?? 0) &&
    (st.updatedReplicas ?? 0) >= min &&
    (st.availableReplicas ?? 0) >= min &&
    obs.colors[color].readyEndpoints >= min
  );
}

/** colorServes with the Deployment scaled to exactly `replicas`: the gate before any switch. */
export function colorReady(obs: Observed, color: Color, replicas: number, revision: string | undefined): boolean {
  return deploymentReplicas(obs.colors[color].deployment) === replicas && colorServes(obs, color, replicas, revision);
}

/**
 * A Service controlled by another object is a conflict; an uncontrolled one may be adopted,
 * unless another BlueGreenService adopted it first (its name in our label or selector key):
 * two BlueGreenServices naming one Service would otherwise take turns with its selector.
 */
export function serviceOwnership(
  bgs: BlueGreenService,
  svc: V1Service | undefined,
): 'absent' | 'owned' | 'adoptable' | 'foreign' {
  if (!svc) return 'absent';
  const controller = svc.metadata?.ownerReferences?.find((r) => r.controller);
  if (controller) return controller.uid === bgs.metadata.uid ? 'owned' : 'foreign';
  return adoptedBy(svc) === undefined || adoptedBy(svc) === bgs.metadata.name ? 'adoptable' : 'foreign';
}

/** The BlueGreenService an uncontrolled Service was adopted by, if any. */
export function adoptedBy(svc: V1Service): string | undefined {
  return svc.spec?.selector?.[LABELS.service] ?? svc.metadata?.labels?.[LABELS.service];
}
