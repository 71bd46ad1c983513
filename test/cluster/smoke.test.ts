// Smoke test of the real node tier: a locally built image runs, is reachable through its
// ClusterIP from the host and by DNS name from another pod, is scraped by Prometheus
// (its own metrics and cAdvisor's), supports logs/exec, feeds an HPA via metrics-server,
// and a deleted pod is replaced.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, loadImage, type ClusterInfo } from './harness.ts';
import { isReady, kubectl, kubectlJson, promQuery, waitFor, done, seen, type PodList } from './kube.ts';

const ns = `smoke-${Date.now().toString(36)}`;
const image = 'bluegreen/echo:smoke';
let info: ClusterInfo;

const manifest = `
apiVersion: v1
kind: Namespace
metadata: {name: ${ns}}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: echo, namespace: ${ns}}
spec:
  replicas: 2
  selector: {matchLabels: {app: echo}}
  template:
    metadata:
      labels: {app: echo}
      annotations: {prometheus.io/scrape: "true", prometheus.io/port: "8080"}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: echo
        image: ${image}
        imagePullPolicy: Never
        ports: [{containerPort: 8080}]
        resources: {requests: {cpu: 10m, memory: 32Mi}}
        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: echo, namespace: ${ns}}
spec:
  selector: {app: echo}
  ports: [{port: 80, targetPort: 8080}]
---
apiVersion: v1
kind: Pod
metadata: {name: client, namespace: ${ns}}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: client
    image: ${image}
    imagePullPolicy: Never
    command: [/usr/local/bin/node, -e, "setInterval(() => {}, 1e9)"]
`;

async function echoPods(): Promise<PodList['items']> {
  return (await kubectlJson<PodList>(info, ['-n', ns, 'get', 'pods', '-l', 'app=echo'])).items;
}

async function readyEchoPods(count: number): Promise<PodList['items']> {
  return waitFor(`${count} ready echo pods`, 120_000, async () => {
    const pods = await echoPods();
    const ready = pods.filter(isReady);
    return ready.length >= count ? done(ready) : seen(pods.map((p) => `${p.metadata.name}:${p.status.phase}`));
  });
}

describe('local cluster, real node tier', () => {
  beforeAll(async () => {
    info = await ensureCluster({ nodes: 'real' });
    const dir = path.join(import.meta.dirname, 'fixtures', 'echo');
    await loadImage(path.join(dir, 'Dockerfile'), dir, image);
    await kubectl(info, ['apply', '-f', '-'], manifest);
  });

  afterAll(async () => {
    if (info) await kubectl(info, ['delete', 'namespace', ns, '--wait=false']).catch(() => undefined);
  });

  it('has a Ready node', async () => {
    const nodes = await kubectlJson<{ items: Array<{ metadata: { name: string; labels: Record<string, string> } }> }>(
      info,
      ['get', 'nodes', '-l', 'bluegreen.dev/node-tier=real'],
    );
    expect(nodes.items).toHaveLength(1);
    await waitFor('node Ready', 60_000, async () => {
      const s = await kubectl(info, [
        'get',
        'nodes',
        '-l',
        'bluegreen.dev/node-tier=real',
        '-o',
        'jsonpath={.items[0].status.conditions[?(@.type=="Ready")].status}',
      ]);
      return s === 'True' ? done(true) : seen(s);
    });
  });

  it('runs the locally built image', async () => {
    const pods = await readyEchoPods(2);
    for (const p of pods) expect(p.status.podIP).toMatch(/^10\.244\./);
  });

  it('answers on the ClusterIP from the host', async () => {
    await readyEchoPods(2);
    const ip = await kubectl(info, ['-n', ns, 'get', 'svc', 'echo', '-o', 'jsonpath={.spec.clusterIP}']);
    const body = await waitFor('HTTP via ClusterIP', 120_000, async () => {
      const res = await fetch(`http://${ip}/`, { signal: AbortSignal.timeout(3_000) });
      return res.ok ? done((await res.json()) as { pod: string }) : seen(res.status);
    });
    expect(body.pod).toMatch(/^echo-/);
  });

  it('answers by DNS name from another pod (kubectl exec)', async () => {
    await waitFor('client pod Ready', 120_000, async () => {
      const p = await kubectlJson<PodList['items'][number]>(info, ['-n', ns, 'get', 'pod', 'client']);
      return isReady(p) ? done(true) : seen(p.status.phase);
    });
    const script = `fetch('http://echo.${ns}.svc.cluster.local/').then(r => r.json()).then(b => console.log(b.pod))`;
    const out = await waitFor('exec + DNS + Service', 120_000, async () => {
      const o = (await kubectl(info, ['-n', ns, 'exec', 'client', '--', '/usr/local/bin/node', '-e', script])).trim();
      return o.startsWith('echo-') ? done(o) : seen(o);
    });
    expect(out).toMatch(/^echo-/);
  });

  it('shows container logs', async () => {
    const [pod] = await readyEchoPods(1);
    const logs = await kubectl(info, ['-n', ns, 'logs', pod!.metadata.name]);
    expect(logs).toContain('echo listening on 8080');
  });

  it('is scraped by Prometheus: up, its own metrics, cAdvisor CPU and memory', async () => {
    const pods = await readyEchoPods(2);
    const pod = pods[0]!.metadata.name;
    const sel = `namespace="${ns}",pod="${pod}"`;
    for (const q of [
      `up{${sel}} == 1`,
      `echo_requests_total{${sel}}`,
      `container_cpu_usage_seconds_total{${sel},container="echo"}`,
      `container_memory_working_set_bytes{${sel},container="echo"}`,
    ]) {
      const result = await waitFor(
        `Prometheus series ${q}`,
        90_000,
        async () => {
          const r = await promQuery(info, q);
          return r.length > 0 ? done(r) : seen('empty result');
        },
        1_000,
      );
      expect(result.length).toBeGreaterThan(0);
    }
  });

  it('feeds an HPA through metrics-server', async () => {
    const hpa = {
      apiVersion: 'autoscaling/v2',
      kind: 'HorizontalPodAutoscaler',
      metadata: { name: 'echo', namespace: ns },
      spec: {
        scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'echo' },
        minReplicas: 2,
        maxReplicas: 3,
        metrics: [
          { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 5000 } } },
        ],
      },
    };
    await kubectl(info, ['apply', '-f', '-'], JSON.stringify(hpa));
    const current = await waitFor(
      'HPA current CPU utilization',
      120_000,
      async () => {
        const h = await kubectlJson<{
          status?: { currentMetrics?: Array<{ resource?: { current?: { averageUtilization?: number } } }> };
        }>(info, ['-n', ns, 'get', 'hpa', 'echo']);
        const u = h.status?.currentMetrics?.[0]?.resource?.current?.averageUtilization;
        return u === undefined ? seen(h.status ?? 'no status') : done(u);
      },
      2_000,
    );
    expect(current).toBeGreaterThanOrEqual(0);
  });

  it('replaces a deleted pod', async () => {
    const [victim] = await readyEchoPods(2);
    await kubectl(info, ['-n', ns, 'delete', 'pod', victim!.metadata.name, '--wait=false']);
    const replaced = await waitFor('a replacement pod Ready', 120_000, async () => {
      const pods = (await echoPods()).filter(isReady);
      const names = pods.map((p) => p.metadata.name);
      return pods.length >= 2 && !names.includes(victim!.metadata.name) ? done(names) : seen(names);
    });
    expect(replaced).not.toContain(victim!.metadata.name);
  });
});
