// URL paths of the resources the operator reads and writes.
import { GROUP, PLURAL, VERSION } from '../api/constants.ts';

const ns = (namespace: string | undefined) => (namespace ? `/namespaces/${namespace}` : '');

export const paths = {
  bgs: (namespace?: string, name?: string) =>
    `/apis/${GROUP}/${VERSION}${ns(namespace)}/${PLURAL}${name ? `/${name}` : ''}`,
  deployments: (namespace?: string, name?: string) =>
    `/apis/apps/v1${ns(namespace)}/deployments${name ? `/${name}` : ''}`,
  controllerRevisions: (namespace?: string, name?: string) =>
    `/apis/apps/v1${ns(namespace)}/controllerrevisions${name ? `/${name}` : ''}`,
  services: (namespace?: string, name?: string) => `/api/v1${ns(namespace)}/services${name ? `/${name}` : ''}`,
  endpointSlices: (namespace?: string) => `/apis/discovery.k8s.io/v1${ns(namespace)}/endpointslices`,
  secret: (namespace: string, name: string) => `/api/v1/namespaces/${namespace}/secrets/${name}`,
  configMap: (namespace: string, name: string) => `/api/v1/namespaces/${namespace}/configmaps/${name}`,
  events: (namespace: string) => `/api/v1/namespaces/${namespace}/events`,
  httpRoutes: (namespace: string, name: string) =>
    `/apis/gateway.networking.k8s.io/v1/namespaces/${namespace}/httproutes/${name}`,
};

export function pathOf(obj: {
  apiVersion?: string;
  kind?: string;
  metadata?: { namespace?: string; name?: string };
}): string {
  const { namespace, name } = obj.metadata ?? {};
  switch (obj.kind) {
    case 'Deployment':
      return paths.deployments(namespace, name);
    case 'Service':
      return paths.services(namespace, name);
    case 'ControllerRevision':
      return paths.controllerRevisions(namespace, name);
    case 'BlueGreenService':
      return paths.bgs(namespace, name);
    default:
      throw new Error(`pathOf: unsupported kind ${String(obj.kind)}`);
  }
}
