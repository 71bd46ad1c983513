// The chart's CRD handling against the real API server: the CRD is a template
// (templates/crds.yaml), so `helm upgrade` applies a changed CRD, and its keep policy makes
// `helm uninstall` (and an upgrade with crds.install=false) leave it and the objects of its kind.
//
// The shared cluster's bluegreenservices.bluegreen.dev belongs to the test harness and other
// tests use it, so this test installs a copy of the chart whose CRD has a group and names of its
// own (crdupgradetests.crd-<suffix>.bluegreen.dev, no short name or category, so `kubectl get bgs`
// elsewhere stays unambiguous) and deletes that CRD at the end. The operator
// pod of this release never schedules (a nodeSelector no node has): only the CRD matters here.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { ensureCluster, repoRoot, type ClusterInfo } from '../cluster/harness.ts';
import { imageArgs } from '../support/helm-render.ts';
import { run } from '../cluster/run.ts';
import { waitFor } from '../../clusterkit/wait.ts';

const suffix = Date.now().toString(36);
const group = `crd-${suffix}.bluegreen.dev`;
const plural = 'crdupgradetests';
const crdName = `${plural}.${group}`;
const ns = `bgo-crd-${suffix}`;
const rel = 'bgo-crd';
const workDir = mkdtempSync(path.join(tmpdir(), 'chart-crd-'));
const chart = path.join(workDir, 'bluegreen-operator');
const chartCrd = path.join(chart, 'files/crds/bluegreenservices.yaml');
let cluster: ClusterInfo;

const kubectl = (args: string[], input?: string) =>
  run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], {
    timeoutMs: 120_000,
    ...(input === undefined ? {} : { input }),
  });
const helm = (args: string[]) =>
  run(cluster.helm, ['--kubeconfig', cluster.kubeconfig, ...args], { timeoutMs: 300_000 });

async function must(what: string, p: Promise<{ code: number; stdout: string; stderr: string }>): Promise<string> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

interface Crd {
  metadata: { name: string; annotations?: Record<string, string> };
  spec: {
    group: string;
    names: Record<string, unknown>;
    versions: Array<{
      additionalPrinterColumns?: Array<{ name: string }>;
      schema: { openAPIV3Schema: { properties: { spec: { properties: Record<string, unknown> } } } };
    }>;
  };
}

/** Rewrites the chart copy's CRD (a group of its own, plus an optional change). */
function writeCrd(change: (crd: Crd) => void = () => {}): void {
  const crd = parse(readFileSync(path.join(repoRoot, 'crds/bluegreenservices.yaml'), 'utf8')) as Crd;
  crd.metadata.name = crdName;
  crd.spec.group = group;
  crd.spec.names = { kind: 'CrdUpgradeTest', listKind: 'CrdUpgradeTestList', plural, singular: 'crdupgradetest' };
  change(crd);
  writeFileSync(chartCrd, stringify(crd));
}

async function clusterCrd(): Promise<Crd | undefined> {
  const r = await kubectl(['get', 'crd', crdName, '-o', 'json']);
  return r.code === 0 ? (JSON.parse(r.stdout) as Crd) : undefined;
}

const specFields = (crd: Crd | undefined) =>
  Object.keys(crd?.spec.versions[0]?.schema.openAPIV3Schema.properties.spec.properties ?? {});

const installArgs = [
  '-n',
  ns,
  '--set',
  `watchNamespace=${ns}`,
  '--set',
  'replicaCount=1',
  '--set',
  'leaderElection.enabled=false',
  '--set',
  'dashboard.enabled=false',
  '--set-string',
  'nodeSelector.bluegreen\\.dev/unschedulable=true',
  ...imageArgs, // the chart has no default image; this pod never runs
];

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'real' });
  cpSync(path.join(repoRoot, 'charts/bluegreen-operator'), chart, { recursive: true });
  writeCrd();
  await must('create namespace', kubectl(['create', 'namespace', ns]));
});

afterAll(async () => {
  if (cluster) {
    await helm(['uninstall', rel, '-n', ns, '--ignore-not-found']);
    await kubectl(['delete', 'crd', crdName, '--ignore-not-found', '--wait=false']);
    await kubectl(['delete', 'namespace', ns, '--wait=false']);
  }
  rmSync(workDir, { recursive: true, force: true });
});

describe('Given the chart installs its CRD as a template', () => {
  it('When installed, the CRD is created with the keep policy and becomes Established', async () => {
    expect(await clusterCrd()).toBeUndefined();
    await must('helm install', helm(['install', rel, chart, ...installArgs]));
    await must('CRD Established', kubectl(['wait', '--for=condition=Established', `crd/${crdName}`, '--timeout=60s']));
    const crd = await clusterCrd();
    expect(crd?.metadata.annotations?.['helm.sh/resource-policy']).toBe('keep');
    expect(crd?.metadata.annotations?.['meta.helm.sh/release-name']).toBe(rel);
    expect(specFields(crd)).not.toContain('upgradeMarker');
  });

  it('When the chart carries a changed CRD, helm upgrade applies it (a new spec field and printer column)', async () => {
    writeCrd((crd) => {
      const v = crd.spec.versions[0]!;
      v.schema.openAPIV3Schema.properties.spec.properties['upgradeMarker'] = { type: 'string' };
      v.additionalPrinterColumns = [
        ...(v.additionalPrinterColumns ?? []),
        { name: 'Marker', type: 'string', jsonPath: '.spec.upgradeMarker' } as never,
      ];
    });
    await must('helm upgrade', helm(['upgrade', rel, chart, ...installArgs]));
    const crd = await waitFor(
      async () => {
        const seen = await clusterCrd();
        return { done: specFields(seen).includes('upgradeMarker'), seen: specFields(seen) };
      },
      { what: `${crdName} to gain spec.upgradeMarker`, timeoutMs: 30_000, intervalMs: 500 },
    );
    expect(crd).toContain('upgradeMarker');
    const columns = (await clusterCrd())?.spec.versions[0]?.additionalPrinterColumns?.map((c) => c.name);
    expect(columns).toContain('Marker');
  });

  it('When the release is uninstalled, the CRD and the objects of its kind stay', async () => {
    await must(
      'create object',
      kubectl(
        ['apply', '-n', ns, '-f', '-'],
        JSON.stringify({
          apiVersion: `${group}/v1alpha1`,
          kind: 'CrdUpgradeTest',
          metadata: { name: 'kept' },
          spec: {
            upgradeMarker: 'v2',
            template: { spec: { containers: [{ name: 'c', image: 'bluegreen/pause:3.10' }] } },
            service: { ports: [{ port: 80 }] },
          },
        }),
      ),
    );
    await must('helm uninstall', helm(['uninstall', rel, '-n', ns, '--wait']));
    expect((await must('helm list', helm(['list', '-n', ns, '-q']))).trim()).toBe('');
    expect(specFields(await clusterCrd())).toContain('upgradeMarker');
    const kept = await must(
      'get object',
      kubectl(['get', crdName, 'kept', '-n', ns, '-o', 'jsonpath={.spec.upgradeMarker}']),
    );
    expect(kept).toBe('v2');
  });

  it('When reinstalled, the release adopts the kept CRD; upgraded with crds.install=false, the CRD stays', async () => {
    await must('helm install again', helm(['install', rel, chart, ...installArgs]));
    expect((await clusterCrd())?.metadata.annotations?.['meta.helm.sh/release-name']).toBe(rel);
    // Turning the switch off drops the CRD from the release; the keep policy stops Helm deleting it.
    await must(
      'helm upgrade crds.install=false',
      helm(['upgrade', rel, chart, ...installArgs, '--set', 'crds.install=false']),
    );
    expect(specFields(await clusterCrd())).toContain('upgradeMarker');
  });
});
