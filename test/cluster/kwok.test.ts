// Simulated-node tier: 500 pods on kwok nodes become Running and Ready with pod IPs, and
// their Service's EndpointSlices list them as ready endpoints.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, kwokPlacement, type ClusterInfo } from './harness.ts';
import { kubectl, kubectlJson, waitFor, done, seen, type PodList } from './kube.ts';

const ns = `kwok-${Date.now().toString(36)}`;
const replicas = 500;
let info: ClusterInfo;

describe('local cluster, kwok tier', () => {
  beforeAll(async () => {
    info = await ensureCluster({ nodes: 'kwok' });
  });

  afterAll(async () => {
    if (info) await kubectl(info, ['delete', 'namespace', ns, '--wait=false']).catch(() => undefined);
  });

  it(`brings ${replicas} pods to Ready with ready endpoints`, async () => {
    const deployment = {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'fake', namespace: ns },
      spec: {
        replicas,
        selector: { matchLabels: { app: 'fake' } },
        template: {
          metadata: { labels: { app: 'fake' } },
          spec: {
            ...kwokPlacement,
            containers: [{ name: 'app', image: 'bluegreen/fake:1', ports: [{ containerPort: 8080 }] }],
          },
        },
      },
    };
    const service = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'fake', namespace: ns },
      spec: { selector: { app: 'fake' }, ports: [{ port: 80, targetPort: 8080 }] },
    };
    const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } };
    const started = Date.now();
    await kubectl(
      info,
      ['apply', '-f', '-'],
      JSON.stringify({ apiVersion: 'v1', kind: 'List', items: [namespace, deployment, service] }),
    );

    const pods = await waitFor(
      `${replicas} Ready pods`,
      300_000,
      async () => {
        const list = await kubectlJson<PodList>(info, ['-n', ns, 'get', 'pods']);
        const ready = list.items.filter((p) =>
          p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
        );
        return ready.length >= replicas ? done(ready) : seen(`${ready.length}/${list.items.length} ready`);
      },
      2_000,
    );
    console.log(`${replicas} kwok pods Ready in ${Date.now() - started} ms`);
    expect(pods.every((p) => p.status.podIP && p.spec.nodeName?.startsWith('kwok-node-'))).toBe(true);
    expect(new Set(pods.map((p) => p.status.podIP)).size).toBe(replicas);

    const readyEndpoints = await waitFor(
      'ready endpoints in EndpointSlices',
      120_000,
      async () => {
        const slices = await kubectlJson<{ items: Array<{ endpoints?: Array<{ conditions?: { ready?: boolean } }> }> }>(
          info,
          ['-n', ns, 'get', 'endpointslices', '-l', 'kubernetes.io/service-name=fake'],
        );
        const n = slices.items.flatMap((s) => s.endpoints ?? []).filter((e) => e.conditions?.ready === true).length;
        return n >= replicas ? done(n) : seen(`${n} ready endpoints`);
      },
      2_000,
    );
    expect(readyEndpoints).toBe(replicas);
  });
});
