// Pure builders of the objects the operator owns, in the style of sample-controller's
// newDeployment(foo). The result is a complete server-side-apply configuration: every field
// the operator cares about is present, because a field left out of an apply is given up.
import type {
  V1ControllerRevision,
  V1Deployment,
  V1OwnerReference,
  V1PodTemplateSpec,
  V1Service,
  V1ServicePort,
} from '@kubernetes/client-node';
import { ANNOTATIONS, API_VERSION, KIND, LABELS, type Color } from '../api/constants.ts';
import {
  activeServiceName,
  colorSelector,
  colorServiceName,
  deploymentName,
  keptTemplateName,
  ownedLabels,
  previewServiceName,
} from '../api/names.ts';
import type { BlueGreenService } from '../api/types.ts';

export function ownerReference(bgs: BlueGreenService): V1OwnerReference {
  return {
    apiVersion: API_VERSION,
    kind: KIND,
    name: bgs.metadata.name!,
    uid: bgs.metadata.uid!,
    controller: true,
    blockOwnerDeletion: true,
  };
}

export function desiredDeployment(
  bgs: BlueGreenService,
  color: Color,
  replicas: number,
  revision: string,
  /** The template of `revision`: the spec's, or a kept copy when an older revision is restored. */
  template: V1PodTemplateSpec = bgs.spec.template,
): V1Deployment {
  const selector = colorSelector(bgs, color);
  const labels = { ...ownedLabels(bgs), [LABELS.color]: color, [LABELS.revision]: revision };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: {
      name: deploymentName(bgs, color),
      namespace: bgs.metadata.namespace,
      labels,
      ownerReferences: [ownerReference(bgs)],
    },
    spec: {
      replicas,
      // Old ReplicaSets are useless to us: rollback means the other colour, not a ReplicaSet.
      revisionHistoryLimit: 1,
      selector: { matchLabels: selector },
      template: {
        metadata: {
          ...template.metadata,
          labels: { ...template.metadata?.labels, ...selector, [LABELS.revision]: revision },
        },
        spec: template.spec!,
      },
    },
  };
}

/** The kept copy of one template revision; `revision` (an integer the API requires) is unused by us. */
export function keptTemplate(bgs: BlueGreenService, revision: string): V1ControllerRevision {
  return {
    apiVersion: 'apps/v1',
    kind: 'ControllerRevision',
    metadata: {
      name: keptTemplateName(bgs, revision),
      namespace: bgs.metadata.namespace,
      labels: { ...ownedLabels(bgs), [LABELS.revision]: revision },
      ownerReferences: [ownerReference(bgs)],
    },
    data: { template: bgs.spec.template },
    revision: 1,
  };
}

function servicePorts(bgs: BlueGreenService): V1ServicePort[] {
  return bgs.spec.service.ports.map((p) => ({
    ...(p.name ? { name: p.name } : {}),
    port: p.port,
    targetPort: (p.targetPort ?? p.port) as never,
    protocol: p.protocol ?? 'TCP',
  }));
}

function service(
  bgs: BlueGreenService,
  name: string,
  selector: Record<string, string>,
  extra: Record<string, string>,
): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: {
      name,
      namespace: bgs.metadata.namespace,
      labels: { ...ownedLabels(bgs), ...extra },
      ownerReferences: [ownerReference(bgs)],
    },
    spec: { type: bgs.spec.service.type ?? 'ClusterIP', selector, ports: servicePorts(bgs) },
  };
}

/**
 * The active Service. `color: 'both'` is a canary step: the colour key leaves the selector, so
 * kube-proxy spreads connections over the ready pods of both colours (docs/adr/0012).
 */
export function desiredActiveService(
  bgs: BlueGreenService,
  color: Color | 'both',
  abortedRevision?: string,
): V1Service {
  const selector = color === 'both' ? { [LABELS.service]: bgs.metadata.name! } : colorSelector(bgs, color);
  const svc = service(bgs, activeServiceName(bgs), selector, { [LABELS.role]: 'active' });
  if (abortedRevision !== undefined) svc.metadata!.annotations = { [ANNOTATIONS.abortedRevision]: abortedRevision };
  return svc;
}

export function desiredPreviewService(bgs: BlueGreenService, color: Color): V1Service {
  const svc = service(bgs, previewServiceName(bgs), colorSelector(bgs, color), { [LABELS.role]: 'preview' });
  svc.spec!.type = 'ClusterIP';
  return svc;
}

/** Headless: no virtual IP and no kube-proxy rules, only EndpointSlices to read readiness from. */
export function desiredColorService(bgs: BlueGreenService, color: Color): V1Service {
  const svc = service(bgs, colorServiceName(bgs, color), colorSelector(bgs, color), {
    [LABELS.role]: 'color',
    [LABELS.color]: color,
  });
  svc.spec = { ...svc.spec, type: 'ClusterIP', clusterIP: 'None' };
  return svc;
}
