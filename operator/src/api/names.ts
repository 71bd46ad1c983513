// Names and labels of everything the operator creates for one BlueGreenService.
// Pure and deterministic: a restarted operator finds its objects by these names.
import { LABELS, MANAGED_BY_VALUE, type Color } from './constants.ts';
import type { BlueGreenService } from './types.ts';

export function otherColor(color: Color): Color {
  return color === 'blue' ? 'green' : 'blue';
}

export function deploymentName(bgs: BlueGreenService, color: Color): string {
  return `${bgs.metadata.name}-${color}`;
}

export function activeServiceName(bgs: BlueGreenService): string {
  return bgs.spec.service.name ?? bgs.metadata.name!;
}

export function previewServiceName(bgs: BlueGreenService): string {
  return bgs.spec.previewService?.name ?? `${activeServiceName(bgs)}-preview`;
}

export function previewServiceEnabled(bgs: BlueGreenService): boolean {
  return bgs.spec.previewService?.enabled ?? true;
}

/**
 * Headless per-colour Service. Its EndpointSlices are maintained by the same controller
 * that feeds kube-proxy, so "ready endpoints of colour X" is read from them before any
 * switch instead of trusting Deployment status (see docs/adr/0003).
 */
export function colorServiceName(bgs: BlueGreenService, color: Color): string {
  return `${bgs.metadata.name}-${color}-endpoints`;
}

/**
 * The kept copy of one template revision (a ControllerRevision, as the StatefulSet and
 * DaemonSet controllers keep theirs): a live colour whose Deployment is deleted mid-release is
 * re-created from it instead of from the newest, unpromoted template (ADR 0016).
 */
export function keptTemplateName(bgs: BlueGreenService, revision: string): string {
  return `${bgs.metadata.name}-template-${revision}`;
}

/**
 * The HTTPRoute whose weights a canary uses (docs/adr/0017): the spec's, or the one status
 * recorded for a canary still in flight after the field was removed (its weights go back to
 * 0 before the operator forgets it).
 */
export function canaryHttpRouteName(bgs: BlueGreenService): string | undefined {
  return bgs.spec.canary?.trafficRouting?.gatewayAPI?.httpRoute ?? bgs.status?.canary?.httpRoute;
}

/** Labels shared by every object the operator owns for this BlueGreenService. */
export function ownedLabels(bgs: BlueGreenService): Record<string, string> {
  return { [LABELS.managedBy]: MANAGED_BY_VALUE, [LABELS.service]: bgs.metadata.name! };
}

/** The selector of one colour's pods: stable for the life of the Deployment (selectors are immutable). */
export function colorSelector(bgs: BlueGreenService, color: Color): Record<string, string> {
  return { [LABELS.service]: bgs.metadata.name!, [LABELS.color]: color };
}

export function selectorString(selector: Record<string, string>): string {
  return Object.entries(selector)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
}
