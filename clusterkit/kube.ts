// A small typed client for tests, on the operator's own request helper (real API server,
// real auth from the local cluster's kubeconfig).
import { KubeConfig, type V1Deployment, type V1Service } from '@kubernetes/client-node';
import { paths } from '../operator/src/k8s/paths.ts';
import { requestJson, type KubeConnection } from '../operator/src/k8s/request.ts';
import { connectionFromClientNode } from '../operator/src/runtime/clientnodeconnection.ts';
import { connectionFromKubeconfigFile } from '../operator/src/runtime/defaultconnection.ts';
import type { BlueGreenService } from '../operator/src/api/types.ts';

const MERGE = 'application/merge-patch+json';

export class TestKube {
  /** For client-node's own APIs (Watch, typed clients) in tests and benchmarks. */
  readonly kc: KubeConfig;
  /** What our requests go through: the operator's own kubeconfig reader and transport for a file. */
  readonly conn: KubeConnection;
  constructor(kubeconfig: string | KubeConfig) {
    if (typeof kubeconfig === 'string') {
      this.kc = new KubeConfig();
      this.kc.loadFromFile(kubeconfig);
      this.conn = connectionFromKubeconfigFile(kubeconfig);
    } else {
      this.kc = kubeconfig;
      this.conn = connectionFromClientNode(kubeconfig);
    }
  }

  req<R>(
    method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
    path: string,
    body?: unknown,
    contentType?: string,
  ): Promise<R> {
    return requestJson<R>(this.conn, method, path, AbortSignal.timeout(15_000), {
      ...(body !== undefined ? { body } : {}),
      ...(contentType ? { contentType } : {}),
    });
  }

  async createNamespace(name: string): Promise<void> {
    await this.req('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  }

  async deleteNamespace(name: string): Promise<void> {
    await this.req('DELETE', `/api/v1/namespaces/${name}`).catch(() => undefined);
  }

  createBgs(bgs: BlueGreenService): Promise<BlueGreenService> {
    return this.req('POST', paths.bgs(bgs.metadata.namespace), bgs);
  }

  getBgs(ns: string, name: string): Promise<BlueGreenService> {
    return this.req('GET', paths.bgs(ns, name));
  }

  patchBgsSpec(ns: string, name: string, spec: Record<string, unknown>): Promise<BlueGreenService> {
    return this.req('PATCH', paths.bgs(ns, name), { spec }, MERGE);
  }

  getService(ns: string, name: string): Promise<V1Service> {
    return this.req('GET', paths.services(ns, name));
  }

  async serviceColor(ns: string, name: string): Promise<string | undefined> {
    try {
      return (await this.getService(ns, name)).spec?.selector?.['bluegreen.dev/color'];
    } catch {
      return undefined;
    }
  }

  getDeployment(ns: string, name: string): Promise<V1Deployment> {
    return this.req('GET', paths.deployments(ns, name));
  }

  async events(ns: string): Promise<{ reason: string; message: string }[]> {
    const list = await this.req<{ items: { reason: string; message: string }[] }>('GET', paths.events(ns));
    return list.items;
  }
}
