// Pod discovery for the host Prometheus. Debian's prometheus package is built without
// kubernetes_sd_configs, so this loop lists the real node's running pods every 2 s and
// writes Prometheus file_sd target groups (which Prometheus re-reads on change):
//   pods.json      pods annotated prometheus.io/scrape=true (port/path/scheme annotations)
//   operator.json  pods labelled app.kubernetes.io/name=bluegreen-operator, port "metrics"
// Usage: node pod-discovery.ts <apiserver URL> <pki dir> <node name> <output dir>
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import path from 'node:path';

interface Pod {
  metadata: { name: string; namespace: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  status: { podIP?: string };
  spec: { containers: Array<{ ports?: Array<{ name?: string; containerPort: number }> }> };
}
interface TargetGroup {
  targets: string[];
  labels: Record<string, string>;
}

const [server, pki, nodeName, outDir] = process.argv.slice(2);
if (!server || !pki || !nodeName || !outDir) {
  console.error('usage: node pod-discovery.ts <apiserver URL> <pki dir> <node name> <output dir>');
  process.exit(2);
}
const tls = {
  ca: readFileSync(path.join(pki, 'ca.crt')),
  cert: readFileSync(path.join(pki, 'prometheus.crt')),
  key: readFileSync(path.join(pki, 'prometheus.key')),
};

function listPods(): Promise<Pod[]> {
  const selector = encodeURIComponent(`spec.nodeName=${nodeName},status.phase=Running`);
  return new Promise((resolve, reject) => {
    const req = https.get(`${server}/api/v1/pods?fieldSelector=${selector}`, { ...tls, timeout: 5_000 }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () =>
        res.statusCode === 200
          ? resolve((JSON.parse(body) as { items: Pod[] }).items)
          : reject(new Error(`HTTP ${res.statusCode}: ${body}`)),
      );
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function baseLabels(pod: Pod): Record<string, string> {
  const labels: Record<string, string> = { namespace: pod.metadata.namespace, pod: pod.metadata.name, node: nodeName! };
  for (const [k, v] of Object.entries(pod.metadata.labels ?? {})) {
    if (k === 'app' || k === 'version' || k === 'app.kubernetes.io/name' || k.startsWith('bluegreen.dev/')) {
      labels[k.replace(/[^a-zA-Z0-9_]/g, '_')] = v;
    }
  }
  return labels;
}

function ports(pod: Pod): Array<{ name?: string; containerPort: number }> {
  return pod.spec.containers.flatMap((c) => c.ports ?? []);
}

function annotatedTarget(pod: Pod): TargetGroup | undefined {
  const a = pod.metadata.annotations ?? {};
  if (a['prometheus.io/scrape'] !== 'true' || !pod.status.podIP) return undefined;
  const port =
    a['prometheus.io/port'] ??
    String(ports(pod).find((p) => p.name === 'metrics')?.containerPort ?? ports(pod)[0]?.containerPort ?? '');
  if (!/^\d+$/.test(port)) return undefined;
  const labels = baseLabels(pod);
  if (a['prometheus.io/path']) labels['__metrics_path__'] = a['prometheus.io/path'];
  if (a['prometheus.io/scheme'] === 'https') labels['__scheme__'] = 'https';
  return { targets: [`${pod.status.podIP}:${port}`], labels };
}

function operatorTarget(pod: Pod): TargetGroup | undefined {
  if (pod.metadata.labels?.['app.kubernetes.io/name'] !== 'bluegreen-operator' || !pod.status.podIP) return undefined;
  const port = ports(pod).find((p) => p.name === 'metrics')?.containerPort;
  if (port === undefined) return undefined;
  const labels = baseLabels(pod);
  const metricsPath = pod.metadata.annotations?.['prometheus.io/path'];
  if (metricsPath) labels['__metrics_path__'] = metricsPath;
  return { targets: [`${pod.status.podIP}:${port}`], labels };
}

const written = new Map<string, string>();
function writeIfChanged(file: string, groups: TargetGroup[]): void {
  const text = JSON.stringify(groups, null, 1);
  if (written.get(file) === text) return;
  const full = path.join(outDir!, file);
  writeFileSync(`${full}.tmp`, text);
  renameSync(`${full}.tmp`, full); // atomic: Prometheus never reads half a file
  written.set(file, text);
}

for (;;) {
  try {
    const pods = await listPods();
    const operator = pods.map(operatorTarget).filter((g) => g !== undefined);
    const operatorPods = new Set(operator.map((g) => `${g.labels['namespace']}/${g.labels['pod']}`));
    // An annotated operator pod is scraped once, by the operator job.
    const annotated = pods
      .map(annotatedTarget)
      .filter((g) => g !== undefined && !operatorPods.has(`${g.labels['namespace']}/${g.labels['pod']}`));
    writeIfChanged('pods.json', annotated as TargetGroup[]);
    writeIfChanged('operator.json', operator);
  } catch (err) {
    console.error(new Date().toISOString(), 'pod discovery failed:', err instanceof Error ? err.message : err);
  }
  await new Promise((r) => setTimeout(r, 2_000));
}
