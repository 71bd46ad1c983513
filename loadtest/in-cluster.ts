// Runs the generator inside the cluster as a Job, so the load reaches a Service by its DNS
// name through kube-proxy the way other pods' traffic does. The engine's files go into a
// ConfigMap and run with `node` from any Node >= 22.18 image (types are stripped at load):
// nothing to build or push for a load test.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { BatchV1Api, CoreV1Api, type KubeConfig, type V1Job } from '@kubernetes/client-node';
import { RESULT_MARKER, type GeneratorOptions, type RunStats } from './engine/generator.ts';

const ENGINE_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'engine');
const ENGINE_FILES = ['profile.ts', 'histogram.ts', 'generator.ts', 'job-main.ts'];

export interface InClusterOptions {
  kc: KubeConfig;
  namespace: string;
  image: string;
  generator: GeneratorOptions;
  /** The whole run may take this long beyond the profile (image start, drain, log read). */
  graceSeconds?: number;
  log?: (line: string) => void;
}

export async function runInCluster(o: InClusterOptions): Promise<RunStats> {
  const core = o.kc.makeApiClient(CoreV1Api);
  const batch = o.kc.makeApiClient(BatchV1Api);
  const log = o.log ?? ((line: string) => console.log(line));
  const name = `loadtest-${Date.now().toString(36)}`;
  const durationSeconds = o.generator.profile.stages.reduce((s, x) => s + x.durationSeconds, 0);
  const deadlineSeconds = Math.ceil(durationSeconds + (o.graceSeconds ?? 120));
  const data: Record<string, string> = { 'package.json': '{ "type": "module" }\n' };
  for (const f of ENGINE_FILES) data[f] = await readFile(path.join(ENGINE_DIR, f), 'utf8');
  const labels = { 'app.kubernetes.io/name': 'bluegreen-loadtest', 'app.kubernetes.io/instance': name };

  await core.createNamespacedConfigMap({
    namespace: o.namespace,
    body: { metadata: { name, labels }, data },
  });
  try {
    await batch.createNamespacedJob({ namespace: o.namespace, body: job(name, labels, o, deadlineSeconds) });
    log(`job ${o.namespace}/${name} started (${o.image}) -> ${o.generator.url}`);
    const finished = await waitForJob(batch, o.namespace, name, (deadlineSeconds + 60) * 1000, log);
    const pods = await core.listNamespacedPod({ namespace: o.namespace, labelSelector: `job-name=${name}` });
    const pod = pods.items[0]?.metadata?.name;
    if (!pod) throw new Error(`job ${name} finished without a pod to read results from`);
    const text = await core.readNamespacedPodLog({ name: pod, namespace: o.namespace });
    const line = text.split('\n').find((l) => l.startsWith(RESULT_MARKER));
    if (!finished.succeeded || line === undefined) {
      throw new Error(
        `load-test job ${name} ${finished.succeeded ? 'printed no result' : 'failed'}; last log lines:\n${text.split('\n').slice(-20).join('\n')}`,
      );
    }
    return JSON.parse(line.slice(RESULT_MARKER.length)) as RunStats;
  } finally {
    await batch
      .deleteNamespacedJob({ name, namespace: o.namespace, propagationPolicy: 'Background' })
      .catch(() => undefined);
    await core.deleteNamespacedConfigMap({ name, namespace: o.namespace }).catch(() => undefined);
  }
}

function job(name: string, labels: Record<string, string>, o: InClusterOptions, deadlineSeconds: number): V1Job {
  return {
    metadata: { name, labels },
    spec: {
      backoffLimit: 0,
      activeDeadlineSeconds: deadlineSeconds,
      ttlSecondsAfterFinished: 600,
      template: {
        metadata: { labels },
        spec: {
          restartPolicy: 'Never',
          automountServiceAccountToken: false,
          securityContext: { runAsNonRoot: true, runAsUser: 65532, runAsGroup: 65532 },
          containers: [
            {
              name: 'loadtest',
              image: o.image,
              imagePullPolicy: 'IfNotPresent',
              command: ['node', '/loadtest/job-main.ts'],
              env: [{ name: 'LOADTEST_OPTIONS', value: JSON.stringify(o.generator) }],
              resources: { requests: { cpu: '200m', memory: '64Mi' }, limits: { memory: '512Mi' } },
              securityContext: { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false },
              volumeMounts: [{ name: 'engine', mountPath: '/loadtest', readOnly: true }],
            },
          ],
          volumes: [{ name: 'engine', configMap: { name } }],
        },
      },
    },
  };
}

async function waitForJob(
  batch: BatchV1Api,
  namespace: string,
  name: string,
  timeoutMs: number,
  log: (line: string) => void,
): Promise<{ succeeded: boolean }> {
  const deadline = Date.now() + timeoutMs;
  let last = '';
  for (;;) {
    const j = await batch.readNamespacedJobStatus({ name, namespace });
    const s = j.status ?? {};
    if ((s.succeeded ?? 0) > 0) return { succeeded: true };
    if ((s.failed ?? 0) > 0) return { succeeded: false };
    const seen = `active=${s.active ?? 0} ready=${s.ready ?? 0}`;
    if (seen !== last) log(`job ${name}: ${seen}`);
    last = seen;
    if (Date.now() > deadline) throw new Error(`job ${name} did not finish within ${timeoutMs} ms; last seen ${seen}`);
    await new Promise((r) => setTimeout(r, 2_000));
  }
}
