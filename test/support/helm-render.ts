// `helm template` of the chart with the real helm (tool tier), parsed into objects.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { toolPath } from './tools.ts';

export const chartDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../charts/bluegreen-operator');

/**
 * `helm template` checks the chart's kubeVersion against a default Kubernetes version that Helm's
 * release builds take from its client-go (v1.37 for Helm 3.22) but a plain `go build` leaves at
 * v1.20, so offline renders name the version we test on: the local cluster's, from versions.sh.
 */
export const kubeVersionArgs = [
  '--kube-version',
  /KUBERNETES_VERSION="\$\{KUBERNETES_VERSION:-(v[\d.]+)\}"/.exec(
    readFileSync(path.join(chartDir, '../../test/cluster/build/versions.sh'), 'utf8'),
  )?.[1] ?? 'v1.34.0',
];

/**
 * The chart has no default image (values.schema.json rejects the placeholder of
 * image.repository), so every render names one: the short name the local cluster loads.
 * A later `--set image.repository=...` in a test's own arguments overrides it.
 */
export const testImageRepository = 'bluegreen/operator';
export const imageArgs = ['--set', `image.repository=${testImageRepository}`];

export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string>; annotations?: Record<string, string> };
  [k: string]: unknown;
}

export function helmTemplate(
  args: string[],
  chart = chartDir,
): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(
    toolPath('helm'),
    ['template', 'rel', chart, '--namespace', 'bluegreen-system', ...kubeVersionArgs, ...imageArgs, ...args],
    {
      encoding: 'utf8',
      timeout: 30_000,
    },
  );
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** The rendered objects; throws with helm's message when rendering fails. */
export function renderChart(args: string[] = [], chart = chartDir): K8sObject[] {
  const r = helmTemplate(args, chart);
  if (r.code !== 0) throw new Error(`helm template ${args.join(' ')} failed: ${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as K8sObject | null)
    .filter((o): o is K8sObject => o !== null);
}

export const ofKind = (objs: K8sObject[], kind: string) => objs.filter((o) => o.kind === kind);
