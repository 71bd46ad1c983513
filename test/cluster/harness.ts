// Test harness for the local cluster. Tests call ensureCluster() in beforeAll/globalSetup;
// it starts whatever is missing (via test/cluster/up.sh, which is idempotent and holds a
// lock, so several test files may call it at once) and returns how to reach the cluster.
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { run } from './run.ts';

export type NodeTiers = 'real' | 'kwok' | 'real,kwok';

export interface ClusterInfo {
  kubeconfig: string;
  prometheusUrl: string;
  nodeIp: string;
  kubectl: string;
  helm: string;
}

const here = path.dirname(fileURLToPath(import.meta.url));
export const repoRoot = path.resolve(here, '../..');
export const clusterDir = process.env['BLUEGREEN_CLUSTER_DIR'] ?? path.join(repoRoot, '.cluster');

/** Taint and label of the simulated (kwok) nodes; pods need both to land there. */
export const kwokPlacement = {
  nodeSelector: { type: 'kwok' },
  tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Equal', value: 'fake', effect: 'NoSchedule' }],
} as const;

/** Reads .cluster/env (lines `export NAME=value`) into a plain object. */
export async function clusterEnv(): Promise<Record<string, string>> {
  const text = await readFile(path.join(clusterDir, 'env'), 'utf8');
  const env: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const m = /^export ([A-Z0-9_]+)=(.*)$/.exec(line.trim());
    if (m?.[1] !== undefined) env[m[1]] = (m[2] ?? '').replace(/^"(.*)"$/, '$1');
  }
  return env;
}

function infoFrom(env: Record<string, string>): ClusterInfo {
  return {
    kubeconfig: env['KUBECONFIG'] ?? '',
    prometheusUrl: env['PROMETHEUS_URL'] ?? '',
    nodeIp: env['NODE_IP'] ?? '',
    kubectl: env['KUBECTL'] ?? '',
    helm: env['HELM'] ?? '',
  };
}

async function alreadyUp(nodes: NodeTiers): Promise<ClusterInfo | undefined> {
  let env: Record<string, string>;
  try {
    env = await clusterEnv();
  } catch {
    return undefined;
  }
  const have = (env['CLUSTER_NODES'] ?? '').split(',');
  if (!nodes.split(',').every((tier) => have.includes(tier))) return undefined;
  const info = infoFrom(env);
  if (nodes.includes('real') && info.prometheusUrl === '') return undefined;
  // One cheap round trip proves the control plane answers; up.sh repairs anything else.
  const ready = await run(info.kubectl, ['--kubeconfig', info.kubeconfig, 'get', '--raw', '/readyz'], {
    timeoutMs: 5_000,
  });
  if (ready.code !== 0) return undefined;
  if (nodes.includes('real')) {
    const node = await run(
      info.kubectl,
      [
        '--kubeconfig',
        info.kubeconfig,
        'get',
        'node',
        env['NODE_NAME'] ?? '',
        '-o',
        'jsonpath={.status.conditions[?(@.type=="Ready")].status}',
      ],
      { timeoutMs: 5_000 },
    );
    if (node.stdout.trim() !== 'True') return undefined;
  }
  return info;
}

/** Streams a script's output to stderr (a cold first run builds Kubernetes: many minutes). */
function runScript(script: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn('bash', [path.join(here, script), ...args], { stdio: ['ignore', 'inherit', 'inherit'] });
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`test/cluster/${script} ${args.join(' ')} exited with ${code}`)),
    );
  });
}

/** Brings the cluster up with at least the given node tiers; idempotent. */
export async function ensureCluster(opts: { nodes: NodeTiers }): Promise<ClusterInfo> {
  const up = await alreadyUp(opts.nodes);
  if (up) return up;
  await runScript('up.sh', [`--nodes=${opts.nodes}`]);
  return infoFrom(await clusterEnv());
}

/** Builds <dockerfile> in <contextDir> (BASE_IMAGE = the local Node image) and loads it as <name>. */
export async function loadImage(dockerfile: string, contextDir: string, name: string): Promise<void> {
  await runScript('load-image.sh', [dockerfile, contextDir, name]);
}

/**
 * Stops kube-apiserver (SIGTERM, SIGKILL after graceSeconds) and starts it again with the same
 * flags; resolves once its /readyz answers. The rest of the cluster keeps running
 * (restart-apiserver.sh says why the grace is short).
 */
export async function restartApiServer(graceSeconds = 5): Promise<void> {
  await runScript('restart-apiserver.sh', [String(graceSeconds)]);
}
