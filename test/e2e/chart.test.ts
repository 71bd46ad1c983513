// The Helm chart against the real local cluster: every documented values combination passes a
// server-side dry run; the chart installs from the operator image built by the root Dockerfile;
// both replicas become Ready, one leads, the operator releases and promotes a BlueGreenService
// with nothing but the chart's RBAC (no "forbidden" in any log); bad values are refused with
// the schema's message; `helm uninstall` leaves only the CRD.
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, loadImage, repoRoot, type ClusterInfo } from '../cluster/harness.ts';
import { run } from '../cluster/run.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { waitFor } from '../../clusterkit/wait.ts';
import { must, Steps } from '../support/steps.ts';
import { kubeVersionArgs } from '../support/helm-render.ts';

const chart = path.join(repoRoot, 'charts/bluegreen-operator');
const ciDir = path.join(chart, 'ci');
// Prebuilt and loaded by CI (kind); otherwise built here from the root Dockerfile.
const image = process.env['BLUEGREEN_OPERATOR_IMAGE'] ?? 'bluegreen/operator:e2e';
const [imageRepository, imageTag] = image.split(':') as [string, string];
const suffix = Date.now().toString(36);
const releaseNs = `bgo-sys-${suffix}`; // where the operator runs
const watchNs = `bgo-apps-${suffix}`; // what it watches in namespaced mode
const dryRunNamespaces = ['bluegreen-system', 'team-a']; // named by ci/*-values.yaml
const created: string[] = [];
let cluster: ClusterInfo;
let apps: Steps; // steps on the watched namespace
const standInMonitorCrds: string[] = [];

const kubectl = (args: string[], input?: string, timeoutMs = 120_000) =>
  run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], {
    timeoutMs,
    ...(input === undefined ? {} : { input }),
  });
const helm = (args: string[], timeoutMs = 300_000) =>
  run(cluster.helm, ['--kubeconfig', cluster.kubeconfig, ...args], { timeoutMs });

async function ensureNamespace(ns: string): Promise<void> {
  if ((await kubectl(['get', 'namespace', ns])).code === 0) return;
  await must(`create namespace ${ns}`, kubectl(['create', 'namespace', ns]));
  created.push(ns);
}

const imageArgs = ['--set', `image.repository=${imageRepository}`, '--set', `image.tag=${imageTag}`];
// The BlueGreenService CRD of this shared cluster belongs to the test harness (test/support/crd.ts),
// not to a release: installs (and dry runs: a client-side apply of the harness's server-side
// applied CRD would warn) here leave it alone. test/e2e/chart-crd-upgrade.test.ts covers the
// chart's own CRD handling (upgrade applies it, uninstall keeps it) on a CRD of its own.
const installArgs = [...imageArgs, '--set', 'crds.install=false'];

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'real' });
  apps = new Steps(new TestKube(cluster.kubeconfig), watchNs);
  if (!cluster.helm) throw new Error('.cluster/env has no HELM: the cluster harness did not build helm');
  if (process.env['BLUEGREEN_OPERATOR_IMAGE']) console.log(`using prebuilt operator image ${image}`);
  else await loadImage(path.join(repoRoot, 'Dockerfile'), repoRoot, image);
  for (const ns of [...dryRunNamespaces, releaseNs, watchNs]) await ensureNamespace(ns);
});

afterAll(async () => {
  if (!cluster) return;
  for (const rel of ['bgo-ns', 'bgo-cluster', 'bgo-reach'])
    await helm(['uninstall', rel, '-n', releaseNs, '--wait', '--ignore-not-found']);
  for (const crd of standInMonitorCrds) await kubectl(['delete', 'crd', crd, '--wait=false']);
  for (const ns of created) await kubectl(['delete', 'namespace', ns, '--wait=false']);
});

describe('Given every documented values combination', () => {
  it.each(readdirSync(ciDir).filter((f) => f.endsWith('-values.yaml')))(
    'When %s is rendered, the API server accepts every object (server-side dry run)',
    async (file) => {
      const manifest = await must(
        'helm template',
        helm([
          'template',
          'rel',
          chart,
          '-n',
          'bluegreen-system',
          ...kubeVersionArgs,
          '-f',
          path.join(ciDir, file),
          ...installArgs,
        ]),
      );
      for (const kind of ['ServiceMonitor', 'PodMonitor'] as const) {
        const crd = `${kind.toLowerCase()}s.monitoring.coreos.com`;
        if (!manifest.includes(`kind: ${kind}`) || (await kubectl(['get', 'crd', crd])).code === 0) continue;
        // No Prometheus Operator here: a stand-in CRD with an open schema lets the API server
        // accept the kind, while every other object is still validated for real.
        await must(`stand-in ${kind} CRD`, kubectl(['apply', '-f', '-'], monitorStandIn(kind)));
        standInMonitorCrds.push(crd);
        await must('CRD established', kubectl(['wait', '--for=condition=Established', `crd/${crd}`, '--timeout=60s']));
      }
      const r = await kubectl(['apply', '--dry-run=server', '-f', '-'], manifest);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(
        /deployment\.apps\/rel-bluegreen-operator (created|configured|unchanged) \(server dry run\)/,
      );
    },
  );
});

describe('Given bad values', () => {
  it('When installing with replicaCount=0, helm refuses with the schema message and installs nothing', async () => {
    const r = await helm(['install', 'bgo-bad', chart, '-n', releaseNs, '--set', 'replicaCount=0', ...installArgs]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("at '/replicaCount': minimum: got 0, want 1");
    expect((await must('helm list', helm(['list', '-n', releaseNs, '-q']))).trim()).toBe('');
  });
});

describe('Given the chart installed in namespaced mode (Role + RoleBinding only)', () => {
  const rel = 'bgo-ns';
  const bgs = 'pause';

  beforeAll(async () => {
    await must(
      'helm install',
      helm([
        'install',
        rel,
        chart,
        '-n',
        releaseNs,
        '--set',
        `watchNamespace=${watchNs}`,
        ...installArgs,
        '--wait',
        '--timeout',
        '5m',
      ]),
    );
  }, 600_000);

  it('Then both replicas are Ready and one of them holds the Lease', async () => {
    await expectReadyWithLeader(rel, watchNs);
  });

  it('Then the operator releases, promotes and reports a BlueGreenService with only the chart RBAC', async () => {
    await must('apply bgs', kubectl(['apply', '-n', watchNs, '-f', '-'], pauseBgs(bgs, 'v1')));
    await apps.then.status(
      bgs,
      'first deploy Healthy on blue',
      (s) => s.phase === 'Healthy' && s.activeColor === 'blue',
      { intervalMs: 500 },
    );
    expect(await apps.then.selectorColor(bgs)).toBe('blue');
    // A new revision goes to green behind the preview; promotion is one field.
    await must('apply bgs v2', kubectl(['apply', '-n', watchNs, '-f', '-'], pauseBgs(bgs, 'v2')));
    await apps.then.status(
      bgs,
      'v2 awaiting promotion on green',
      (s) => s.phase === 'AwaitingPromotion' && s.previewColor === 'green',
      { intervalMs: 500 },
    );
    await must(
      'promote',
      kubectl(['patch', 'bgs', bgs, '-n', watchNs, '--type', 'merge', '-p', '{"spec":{"activeColor":"green"}}']),
    );
    await apps.then.status(bgs, 'switch to green', (s) => s.activeColor === 'green', { intervalMs: 500 });
    expect(await apps.then.selectorColor(bgs)).toBe('green');
    const events = await must(
      'events',
      kubectl(['get', 'events', '-n', watchNs, '--field-selector', `involvedObject.name=${bgs}`, '-o', 'name']),
    );
    expect(events.trim().split('\n').length).toBeGreaterThan(0);
    await expectNoForbidden(rel);
  });

  it('When the leader pod is deleted, the standby leads within seconds (SIGTERM reaches node as PID 1, which releases the Lease)', async () => {
    const lease = `${rel}-bluegreen-operator`;
    const holder = async () =>
      (await kubectl(['get', 'lease', lease, '-n', watchNs, '-o', 'jsonpath={.spec.holderIdentity}'])).stdout.trim();
    const leader = await holder();
    const standby = (await podsOf(rel)).find((p) => p.name !== leader)!.name;
    const started = Date.now();
    await must('delete leader', kubectl(['delete', 'pod', leader, '-n', releaseNs, '--wait=false']));
    // Without the release on SIGTERM the standby would wait for the 15 s lease to expire, after
    // up to 30 s of grace period if node ignored the signal as PID 1.
    // The released Lease goes to whichever live replica campaigns first: usually the standby,
    // sometimes the pod that replaces the deleted leader (it campaigns at once on start).
    const next = await waitFor(
      async () => {
        const seen = await holder();
        return { done: seen !== '' && seen !== leader, seen };
      },
      {
        what: `another replica (standby ${standby}) to take the Lease from ${leader}`,
        timeoutMs: 60_000,
        intervalMs: 200,
      },
    );
    const seconds = (Date.now() - started) / 1000;
    console.log(`leader handover ${leader} -> ${next}: ${seconds.toFixed(1)} s`);
    // Lease expiry alone would take at least 15 s after the process died (and up to 30 s more if
    // node ignored SIGTERM as PID 1), so a handover well under that proves the release.
    expect(seconds).toBeLessThan(15);
    await waitFor(
      async () => {
        const seen = await podsOf(rel);
        return { done: seen.length === 2 && seen.every((p) => p.ready) && !seen.some((p) => p.name === leader), seen };
      },
      { what: 'the replacement pod Ready', timeoutMs: 120_000, intervalMs: 1000 },
    );
    await expectNoForbidden(rel);
  });

  it('When uninstalled, only the CRD is left (BlueGreenServices are the user’s to delete first)', async () => {
    await must('delete bgs', kubectl(['delete', 'bgs', bgs, '-n', watchNs, '--wait=true', '--timeout=120s']));
    await expectUninstallLeavesOnlyCrd(rel, [releaseNs, watchNs]);
  });
});

describe('Given the chart installed with defaults (all namespaces, ClusterRole)', () => {
  const rel = 'bgo-cluster';
  const sa = `system:serviceaccount:${releaseNs}:${rel}-bluegreen-operator`;
  const lease = `${rel}-bluegreen-operator`;

  it('Then both replicas are Ready, one leads, and no RBAC error is logged', async () => {
    // Watching every namespace of this shared test cluster would reconcile other tests'
    // BlueGreenServices (and disturb the benchmarks' write counts), so the pods are pointed at
    // one empty namespace; the ClusterRole's cluster-wide reach is checked by the API server's
    // own authorizer in the next test, before uninstalling.
    await must(
      'helm install',
      helm([
        'install',
        rel,
        chart,
        '-n',
        releaseNs,
        ...installArgs,
        '--wait',
        '--timeout',
        '5m',
        '--set-json',
        `extraEnv=[{"name":"WATCH_NAMESPACE","value":"${watchNs}"}]`,
      ]),
    );
    await expectReadyWithLeader(rel, releaseNs);
    await expectNoForbidden(rel);
  });

  it.each([
    // allowed: exactly the operator's calls, in any namespace
    [true, ['list', 'bluegreenservices.bluegreen.dev', '-A']],
    [true, ['watch', 'bluegreenservices.bluegreen.dev', '-A']],
    [true, ['patch', 'bluegreenservices.bluegreen.dev', '--subresource=status', '-n', 'team-a']],
    [true, ['create', 'deployments.apps', '-n', 'team-a']],
    [true, ['patch', 'deployments.apps', '-n', 'team-a']],
    [true, ['get', 'services', '-n', 'team-a']],
    [true, ['list', 'endpointslices.discovery.k8s.io', '-A']],
    [true, ['create', 'events', '-n', 'team-a']],
    [true, ['get', 'secrets', '-n', 'team-a']],
    [true, ['create', 'leases.coordination.k8s.io', '-n', releaseNs]],
    [true, ['update', `leases.coordination.k8s.io/${lease}`, '-n', releaseNs]],
    // denied: everything else
    [false, ['list', 'secrets', '-n', 'team-a']],
    [false, ['delete', 'deployments.apps', '-n', 'team-a']],
    [false, ['update', 'deployments.apps', '-n', 'team-a']],
    [false, ['create', 'bluegreenservices.bluegreen.dev', '-n', 'team-a']],
    [false, ['patch', 'bluegreenservices.bluegreen.dev', '-n', 'team-a']],
    [false, ['update', 'leases.coordination.k8s.io/kube-scheduler', '-n', 'kube-system']],
    [false, ['update', 'leases.coordination.k8s.io/someone-else', '-n', releaseNs]],
    [false, ['create', 'pods', '-n', 'team-a']],
  ] as const)('Then the API server answers %s to can-i %j for the operator ServiceAccount', async (allowed, args) => {
    const r = await kubectl(['auth', 'can-i', ...args, `--as=${sa}`]);
    expect(r.stdout.trim()).toBe(allowed ? 'yes' : 'no');
  });

  it('When uninstalled, only the CRD is left', async () => {
    await expectUninstallLeavesOnlyCrd(rel, [releaseNs]);
  });
});

describe('Given the namespaced-mode ServiceAccount', () => {
  it('Then it reaches nothing outside the watched namespace', async () => {
    await must(
      'helm install',
      helm([
        'install',
        'bgo-reach',
        chart,
        '-n',
        releaseNs,
        '--set',
        `watchNamespace=${watchNs}`,
        '--set',
        'replicaCount=1',
        '--set',
        'leaderElection.enabled=false',
        ...installArgs,
      ]),
    );
    try {
      const sa = `--as=system:serviceaccount:${releaseNs}:bgo-reach-bluegreen-operator`;
      const canI = async (...args: string[]) => (await kubectl(['auth', 'can-i', ...args, sa])).stdout.trim();
      expect(await canI('list', 'bluegreenservices.bluegreen.dev', '-n', watchNs)).toBe('yes');
      expect(await canI('list', 'bluegreenservices.bluegreen.dev', '-A')).toBe('no');
      expect(await canI('list', 'bluegreenservices.bluegreen.dev', '-n', releaseNs)).toBe('no');
      expect(await canI('create', 'deployments.apps', '-n', 'team-a')).toBe('no');
    } finally {
      await helm(['uninstall', 'bgo-reach', '-n', releaseNs, '--wait']);
    }
  });
});

async function podsOf(rel: string): Promise<Array<{ name: string; ready: boolean }>> {
  const out = await must(
    'get pods',
    kubectl(['get', 'pods', '-n', releaseNs, '-l', `app.kubernetes.io/instance=${rel}`, '-o', 'json']),
  );
  return (
    JSON.parse(out).items as Array<{
      metadata: { name: string };
      status: { conditions?: Array<{ type: string; status: string }> };
    }>
  ).map((p) => ({
    name: p.metadata.name,
    ready: p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false,
  }));
}

async function expectReadyWithLeader(rel: string, leaseNs: string): Promise<void> {
  const pods = await waitFor(
    async () => {
      const seen = await podsOf(rel);
      return { done: seen.length === 2 && seen.every((p) => p.ready), seen };
    },
    { what: `2 Ready operator pods of ${rel}`, timeoutMs: 180_000, intervalMs: 1000 },
  );
  const holder = await waitFor(
    async () => {
      const seen = (
        await kubectl([
          'get',
          'lease',
          `${rel}-bluegreen-operator`,
          '-n',
          leaseNs,
          '-o',
          'jsonpath={.spec.holderIdentity}',
        ])
      ).stdout.trim();
      return { done: pods.some((p) => p.name === seen), seen };
    },
    { what: `a leader among ${pods.map((p) => p.name).join(', ')}`, timeoutMs: 60_000, intervalMs: 500 },
  );
  expect(pods.map((p) => p.name)).toContain(holder);
}

async function expectNoForbidden(rel: string): Promise<void> {
  const logs = await must(
    'logs',
    kubectl(['logs', '-n', releaseNs, '-l', `app.kubernetes.io/instance=${rel}`, '--prefix', '--tail=-1']),
  );
  expect(logs.length).toBeGreaterThan(0);
  expect(logs.split('\n').filter((l) => /forbidden/i.test(l))).toEqual([]);
}

async function expectUninstallLeavesOnlyCrd(rel: string, namespaces: string[]): Promise<void> {
  await must('helm uninstall', helm(['uninstall', rel, '-n', releaseNs, '--wait', '--timeout', '3m']));
  const selector = `app.kubernetes.io/instance=${rel}`;
  const kinds =
    'deployments,replicasets,pods,services,serviceaccounts,configmaps,secrets,roles,rolebindings,leases,poddisruptionbudgets';
  const left = await waitFor(
    async () => {
      const seen: string[] = [];
      for (const ns of namespaces)
        seen.push(
          ...(await must('get', kubectl(['get', kinds, '-n', ns, '-l', selector, '-o', 'name'])))
            .split('\n')
            .filter(Boolean),
        );
      seen.push(
        ...(await must('get', kubectl(['get', 'clusterroles,clusterrolebindings', '-l', selector, '-o', 'name'])))
          .split('\n')
          .filter(Boolean),
      );
      return { done: seen.length === 0, seen };
    },
    { what: `nothing of release ${rel} left`, timeoutMs: 120_000, intervalMs: 1000 },
  );
  expect(left).toEqual([]);
  expect((await kubectl(['get', 'crd', 'bluegreenservices.bluegreen.dev'])).code).toBe(0);
}

/** A BlueGreenService of the cluster's pause image: Ready as soon as it runs, nothing else needed. */
function pauseBgs(name: string, version: string): string {
  return JSON.stringify({
    apiVersion: 'bluegreen.dev/v1alpha1',
    kind: 'BlueGreenService',
    metadata: { name },
    spec: {
      replicas: 1,
      scaleDownDelaySeconds: 0,
      service: { ports: [{ port: 80, targetPort: 8080 }] },
      template: {
        metadata: { labels: { app: name }, annotations: { version } },
        spec: {
          automountServiceAccountToken: false,
          terminationGracePeriodSeconds: 1,
          containers: [{ name: 'pause', image: 'bluegreen/pause:3.10', imagePullPolicy: 'IfNotPresent' }],
        },
      },
    },
  });
}

function monitorStandIn(kind: 'ServiceMonitor' | 'PodMonitor'): string {
  const plural = `${kind.toLowerCase()}s`;
  return JSON.stringify({
    apiVersion: 'apiextensions.k8s.io/v1',
    kind: 'CustomResourceDefinition',
    metadata: { name: `${plural}.monitoring.coreos.com`, labels: { 'bluegreen.dev/test': 'stand-in' } },
    spec: {
      group: 'monitoring.coreos.com',
      scope: 'Namespaced',
      names: { kind, listKind: `${kind}List`, plural, singular: kind.toLowerCase() },
      versions: [
        {
          name: 'v1',
          served: true,
          storage: true,
          schema: { openAPIV3Schema: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true } },
        },
      ],
    },
  });
}
