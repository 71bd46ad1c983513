// BlueGreenService manifests for tests on the simulated (kwok) tier: pods are scheduled on
// fake nodes, become Ready with an IP, and so fill EndpointSlices like real pods would.
import { kwokPlacement } from '../test/cluster/harness.ts';
import type { BlueGreenService, BlueGreenServiceSpec } from '../operator/src/api/types.ts';

/** A BlueGreenService with the tests' common shape: 2 replicas, port 80 -> 8080, 30 s rollback window. */
export function bgsManifest(
  namespace: string,
  name: string,
  template: BlueGreenServiceSpec['template'],
  spec: Partial<BlueGreenServiceSpec> = {},
): BlueGreenService {
  return {
    apiVersion: 'bluegreen.dev/v1alpha1',
    kind: 'BlueGreenService',
    metadata: { name, namespace },
    spec: {
      replicas: 2,
      scaleDownDelaySeconds: 30,
      service: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      template,
      ...spec,
    },
  };
}

export function kwokBgs(
  namespace: string,
  name: string,
  image: string,
  spec: Partial<BlueGreenServiceSpec> = {},
): BlueGreenService {
  return bgsManifest(
    namespace,
    name,
    {
      metadata: { labels: { app: name } },
      spec: {
        nodeSelector: { ...kwokPlacement.nodeSelector },
        tolerations: kwokPlacement.tolerations.map((t) => ({ ...t })),
        containers: [{ name: 'app', image, ports: [{ containerPort: 8080 }] }],
      },
    },
    spec,
  );
}

export function templateWithImage(bgs: BlueGreenService, image: string): BlueGreenServiceSpec['template'] {
  const t = structuredClone(bgs.spec.template);
  t.spec!.containers[0]!.image = image;
  return t;
}
