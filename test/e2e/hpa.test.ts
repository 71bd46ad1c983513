// An HPA can target a BlueGreenService through its scale subresource; the operator scales the
// live colour to follow spec.replicas.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster } from '../cluster/harness.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { buildSampleImage } from '../support/images.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import { authBgs } from '../support/samples.ts';
import { waitFor } from '../../clusterkit/wait.ts';

let kube: TestKube;
let operator: OperatorProcess;
const ns = `hpa-${Date.now().toString(36)}`;

beforeAll(async () => {
  const cluster = await ensureCluster({ nodes: 'real' });
  await Promise.all([installCrds(cluster), buildSampleImage()]);
  kube = new TestKube(cluster.kubeconfig);
  await kube.createNamespace(ns);
  operator = startOperator({
    kubeconfig: cluster.kubeconfig,
    namespace: ns,
    name: 'op-hpa',
    port: 18111,
    env: { LEADER_ELECTION: 'false' },
  });
});

afterAll(async () => {
  await operator?.stop();
  await kube?.deleteNamespace(ns);
});

describe('Given a BlueGreenService with 1 replica and an HPA with minReplicas 3', () => {
  it('Then the HPA scales it through /scale and the active colour follows', async () => {
    await kube.createBgs(authBgs(ns, 'auth', 'v1', {}, { replicas: 1 }));
    await waitFor(
      async () => {
        const s = (await kube.getBgs(ns, 'auth')).status;
        return { done: s?.phase === 'Healthy', seen: s?.message };
      },
      { what: 'Healthy', timeoutMs: 180_000 },
    );
    const scale = await kube.req<{ status: { replicas: number; selector: string } }>(
      'GET',
      `/apis/bluegreen.dev/v1alpha1/namespaces/${ns}/bluegreenservices/auth/scale`,
    );
    expect(scale.status.selector).toBe('bluegreen.dev/service=auth,bluegreen.dev/color=blue');
    await kube.req('POST', `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`, {
      metadata: { name: 'auth' },
      spec: {
        scaleTargetRef: { apiVersion: 'bluegreen.dev/v1alpha1', kind: 'BlueGreenService', name: 'auth' },
        minReplicas: 3,
        maxReplicas: 4,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
        ],
      },
    });
    await waitFor(
      async () => {
        const d = await kube.getDeployment(ns, 'auth-blue');
        return {
          done: d.spec?.replicas === 3 && d.status?.readyReplicas === 3,
          seen: { spec: d.spec?.replicas, ready: d.status?.readyReplicas },
        };
      },
      { what: 'auth-blue scaled to 3 by the HPA', timeoutMs: 180_000 },
    );
    expect((await kube.getBgs(ns, 'auth')).spec.replicas).toBe(3);
  });
});
