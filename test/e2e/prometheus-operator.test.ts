// The monitoring set-up most users run: the Prometheus Operator (kube-prometheus-stack). A
// Prometheus 3 of its own, in a pod of this file's namespace, scrapes only what the chart's
// optional ServiceMonitor (the bluegreen operator) and PodMonitor (the workloads) select:
// nothing in it is configured by hand. A release of the auth sample is analysed on the
// documented queries (the sample's label form, plus docs/monitoring.md's no-relabelling
// {{podRegex}} form copied from the doc) against that Prometheus and promoted, and every
// dashboard panel and alert that does not need the kubelet has data.
//
// The Prometheus Operator runs as a host process, like the cluster's other components, but
// for this file only (started in beforeAll, stopped in afterAll, restricted with --namespaces
// to this file's namespaces, its web port on 127.0.0.1:0): what it manages is what users run
// (a StatefulSet, its config Secret, the reloader sidecar), and running it in a pod would add
// an image and RBAC of its own to build and check without testing anything of ours. The
// cluster's own Prometheus and other engineers' namespaces are never touched; the
// monitoring.coreos.com CRDs are deleted afterwards when this run installed them.
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, loadImage, repoRoot, type ClusterInfo } from '../cluster/harness.ts';
import { run } from '../cluster/run.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { buildSampleImage } from '../support/images.ts';
import { authManifests, documentedPodRegexQuery, prometheusObjects } from '../support/prometheus-operator.ts';
import { startLoad, type LoadRun } from '../../clusterkit/load.ts';
import { alertDataQueries, dashboardQueries, emptyQueries, type Series } from '../support/monitoring-queries.ts';
import { waitFor } from '../../clusterkit/wait.ts';

const chart = path.join(repoRoot, 'charts/bluegreen-operator');
const operatorImage = process.env['BLUEGREEN_OPERATOR_IMAGE'] ?? 'bluegreen/operator:e2e';
const suffix = Date.now().toString(36);
const ns = `pomon-${suffix}`;
const opNs = `pomon-op-${suffix}`;
const promName = 'monitoring';
const promRbac = `pomon-prometheus-${suffix}`;
let cluster: ClusterInfo;
let promOperator: ChildProcess | undefined;
const promOperatorLog: string[] = []; // the last lines, for failure messages
const crdsWeCreated: string[] = [];
const loads: LoadRun[] = [];
let tools: Record<string, string>;

const kubectl = (args: string[], input?: string) =>
  run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], {
    timeoutMs: 120_000,
    ...(input === undefined ? {} : { input }),
  });

async function must(what: string, p: Promise<{ code: number; stdout: string; stderr: string }>): Promise<string> {
  const r = await p;
  if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.stderr || r.stdout}`);
  return r.stdout;
}

/** The auth sample as documented, in this file's namespace, analysed by the operator-managed Prometheus. */
async function prometheusPodIp(): Promise<string> {
  return (
    await must(
      'get prometheus pod',
      kubectl(['get', 'pod', `prometheus-${promName}-0`, '-n', opNs, '-o', 'jsonpath={.status.podIP}']),
    )
  ).trim();
}

async function promQuery(query: string): Promise<Series> {
  const res = await fetch(`http://${await prometheusPodIp()}:9090/api/v1/query?query=${encodeURIComponent(query)}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as { status: string; data: { result: Series } };
  if (body.status !== 'success') throw new Error(`prometheus: ${JSON.stringify(body)}`);
  return body.data.result;
}

interface Status {
  phase?: string;
  activeColor?: string;
  previewColor?: string;
  message?: string;
  stableRevision?: string;
  updateRevision?: string;
  analysis?: {
    stage?: string;
    phase?: string;
    message?: string;
    measurements?: Array<{ metric: string; phase: string; value?: number }>;
  };
}

async function waitStatus(ok: (s: Status) => boolean, what: string, timeoutMs = 240_000): Promise<Status> {
  return waitFor(
    async () => {
      const out = await must('get bgs', kubectl(['get', 'bgs', 'auth', '-n', ns, '-o', 'jsonpath={.status}']));
      const s = (out ? JSON.parse(out) : {}) as Status;
      if (s.phase === 'Degraded' || s.phase === 'Invalid') throw new Error(`auth is ${s.phase}: ${s.message}`);
      return { done: ok(s), seen: s };
    },
    { what: `auth: ${what}`, timeoutMs, intervalMs: 1000 },
  );
}

async function clusterIp(svc: string): Promise<string> {
  return (await must('get svc', kubectl(['get', 'svc', svc, '-n', ns, '-o', 'jsonpath={.spec.clusterIP}']))).trim();
}

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'real' });
  await installCrds(cluster); // the harness owns the shared BlueGreenService CRD
  // Builds (first time only) the operator, the config reloader and the images its pods run.
  const prepared = await must(
    'prometheus-operator.sh',
    run('bash', [path.join(repoRoot, 'test/cluster/prometheus-operator.sh')], { timeoutMs: 3_000_000 }),
  );
  tools = Object.fromEntries(
    prepared
      .trim()
      .split(/\s+/)
      .map((kv) => kv.split('=') as [string, string]),
  );
  if (!process.env['BLUEGREEN_OPERATOR_IMAGE'])
    await loadImage(path.join(repoRoot, 'Dockerfile'), repoRoot, operatorImage);
  await buildSampleImage();
  for (const n of [opNs, ns]) await must(`namespace ${n}`, kubectl(['create', 'namespace', n]));
  // A CRD already there (another run, or a user's Prometheus Operator) is used and left alone.
  for (const f of readdirSync(tools['CRD_DIR']!).filter((f) => f.endsWith('.yaml'))) {
    const crd = f.replace(/^monitoring\.coreos\.com_(.*)\.yaml$/, '$1.monitoring.coreos.com');
    if ((await kubectl(['get', 'crd', crd])).code !== 0) crdsWeCreated.push(crd);
  }
  // Server-side: the Prometheus CRD is too large for the last-applied annotation.
  await must(
    'monitoring.coreos.com CRDs',
    kubectl(['apply', '--server-side', '--force-conflicts', '-f', tools['CRD_DIR']!]),
  );
  await must(
    'CRDs established',
    kubectl(['wait', '--for=condition=Established', '--timeout=60s', 'crd/prometheuses.monitoring.coreos.com']),
  );
  promOperator = spawn(
    tools['PROMETHEUS_OPERATOR_BIN']!,
    [
      `--namespaces=${opNs},${ns}`,
      `--prometheus-config-reloader=${tools['RELOADER_IMAGE']}`,
      '--web.listen-address=127.0.0.1:0',
      '--log-format=logfmt',
    ],
    { env: { ...process.env, KUBECONFIG: cluster.kubeconfig }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  for (const s of [promOperator.stdout!, promOperator.stderr!])
    s.on('data', (d: Buffer) => {
      promOperatorLog.push(...d.toString().split('\n').filter(Boolean));
      promOperatorLog.splice(0, Math.max(0, promOperatorLog.length - 200));
    });
  const [repository, tag] = operatorImage.split(':') as [string, string];
  await must(
    'helm install',
    run(
      cluster.helm,
      [
        '--kubeconfig',
        cluster.kubeconfig,
        'install',
        'pomon',
        chart,
        '-n',
        opNs,
        '--set',
        `watchNamespace=${ns}`,
        '--set',
        'crds.install=false', // the shared CRD belongs to the harness (see chart.test.ts)
        '--set',
        'replicaCount=1',
        '--set',
        `image.repository=${repository}`,
        '--set',
        `image.tag=${tag}`,
        '--set',
        'dashboard.enabled=false',
        '--set',
        'metrics.serviceMonitor.enabled=true',
        '--set',
        'metrics.serviceMonitor.interval=5s',
        '--set',
        'metrics.serviceMonitor.scrapeTimeout=4s',
        '--set',
        'metrics.workloadPodMonitor.enabled=true',
        '--set',
        'metrics.workloadPodMonitor.interval=5s',
        '--set',
        'metrics.workloadPodMonitor.scrapeTimeout=4s',
      ],
      { timeoutMs: 120_000 },
    ),
  );
  await must('Prometheus', kubectl(['apply', '-f', '-'], prometheusObjects({ opNs, promName, promRbac, tools })));
  await waitFor(
    async () => {
      const ready = (
        await kubectl([
          'get',
          'pod',
          `prometheus-${promName}-0`,
          '-n',
          opNs,
          '-o',
          'jsonpath={.status.containerStatuses[*].ready}',
        ])
      ).stdout;
      return { done: ready.split(' ').every((r) => r === 'true') && ready !== '', seen: ready };
    },
    { what: 'the operator-managed Prometheus pod ready', timeoutMs: 180_000, intervalMs: 2000 },
  ).catch(async (err: unknown) => {
    const pods = await kubectl(['get', 'pods,statefulsets', '-n', opNs, '-o', 'wide']);
    throw new Error(
      `${String(err)}\n${pods.stdout}\nprometheus-operator log:\n${promOperatorLog.slice(-30).join('\n')}`,
    );
  });
});

afterAll(async () => {
  await Promise.all(loads.map((l) => l.stop()));
  if (!cluster) return;
  await kubectl(['delete', 'namespace', ns, '--wait=false']);
  // While the Prometheus Operator still runs, so nothing it manages is left half-deleted.
  await kubectl(['delete', 'prometheus', promName, '-n', opNs, '--wait=true', '--timeout=60s']);
  await run(cluster.helm, ['--kubeconfig', cluster.kubeconfig, 'uninstall', 'pomon', '-n', opNs, '--wait'], {
    timeoutMs: 120_000,
  });
  await kubectl(['delete', 'clusterrolebinding,clusterrole', promRbac]);
  if (promOperator && promOperator.exitCode === null) {
    const exited = new Promise((r) => promOperator!.once('exit', r));
    promOperator.kill('SIGTERM');
    await Promise.race([exited, new Promise((r) => setTimeout(r, 10_000))]);
    if (promOperator.exitCode === null) promOperator.kill('SIGKILL');
  }
  await kubectl(['delete', 'namespace', opNs, '--wait=false']);
  if (crdsWeCreated.length > 0) await kubectl(['delete', 'crd', ...crdsWeCreated, '--wait=false']);
});

describe('Given the Prometheus Operator, the chart with its ServiceMonitor and PodMonitor, and the auth sample', () => {
  beforeAll(async () => {
    await must('apply auth', kubectl(['apply', '-f', '-'], authManifests(ns, opNs)));
    // The documented no-relabelling form next to the sample's label form: both must pass.
    await must(
      'add the podRegex metric',
      kubectl([
        'patch',
        'bgs',
        'auth',
        '-n',
        ns,
        '--type',
        'json',
        '-p',
        JSON.stringify([
          {
            op: 'add',
            path: '/spec/analysis/prePromotion/metrics/-',
            value: { name: 'error-rate-by-pod', query: documentedPodRegexQuery(), max: 0.01 },
          },
        ]),
      ]),
    );
    await waitStatus((s) => s.phase === 'Healthy' && s.activeColor === 'blue', 'Healthy on blue');
  }, 300_000);

  it('Then its Prometheus scrapes the operator (job bluegreen-operator) and every auth pod with colour, revision and service labels', async () => {
    const seen = await waitFor(
      async () => {
        const up = await promQuery(`up == 1`);
        const operator = up.filter((s) => s.metric['job'] === 'bluegreen-operator' && s.metric['namespace'] === opNs);
        const pods = up.filter(
          (s) =>
            s.metric['namespace'] === ns &&
            s.metric['bluegreen_dev_service'] === 'auth' &&
            s.metric['bluegreen_dev_color'] === 'blue' &&
            s.metric['bluegreen_dev_revision'],
        );
        return { done: operator.length === 1 && pods.length === 2, seen: up.map((s) => s.metric) };
      },
      { what: 'the operator and two labelled auth pods up', timeoutMs: 120_000, intervalMs: 2000 },
    );
    expect(seen.length).toBeGreaterThanOrEqual(3);
    // The operator's series keep their own labels through a ServiceMonitor without honorLabels.
    const phase = await promQuery(`bluegreen_phase{bgs_namespace="${ns}", bgs_name="auth", phase="Healthy"}`);
    expect(phase.map((s) => s.metric['namespace'])).toEqual([opNs]);
    expect(await promQuery('count({exported_namespace!=""})')).toEqual([]);
  });

  describe('When auth is released and analysed on its documented queries', () => {
    it('Then the pre-promotion analysis passes on preview traffic and one field promotes it, verified after the switch', async () => {
      const before = await waitStatus(() => true, 'status');
      await must(
        'release v2',
        kubectl([
          'patch',
          'bgs',
          'auth',
          '-n',
          ns,
          '--type',
          'json',
          '-p',
          JSON.stringify([{ op: 'replace', path: '/spec/template/spec/containers/0/env/1/value', value: '0.2.0' }]),
        ]),
      );
      await waitStatus(
        (s) => s.previewColor === 'green' && s.updateRevision !== before.stableRevision,
        'preview on green',
      );
      loads.push(
        startLoad(`http://${await clusterIp('auth-preview')}/.well-known/jwks.json`, {
          concurrency: 2,
          ratePerLoop: 10,
        }),
      );
      const analysed = await waitStatus((x) => x.phase === 'AwaitingPromotion', 'pre-promotion analysis passed');
      expect(analysed.analysis).toMatchObject({ stage: 'PrePromotion', phase: 'Successful' });
      // The podRegex form measured a value too (not only tolerated as inconclusive).
      expect(analysed.analysis?.measurements).toContainEqual(
        expect.objectContaining({ metric: 'error-rate-by-pod', phase: 'Successful', value: 0 }),
      );
      loads.push(
        startLoad(`http://${await clusterIp('auth')}/.well-known/jwks.json`, { concurrency: 2, ratePerLoop: 10 }),
      );
      await must(
        'promote',
        kubectl(['patch', 'bgs', 'auth', '-n', ns, '--type', 'merge', '-p', '{"spec":{"activeColor":"green"}}']),
      );
      const promoted = await waitStatus(
        (x) =>
          x.activeColor === 'green' &&
          x.phase === 'Healthy' &&
          x.analysis?.stage === 'PostPromotion' &&
          x.analysis.phase === 'Successful',
        'promoted and verified',
      );
      expect(promoted.activeColor).toBe('green');
    });

    it('Then every dashboard panel and alert that needs no kubelet scrape has data in this Prometheus', async () => {
      const queries = [
        ...dashboardQueries({ operatorNamespace: opNs, serviceNamespace: ns, bgs: 'auth', job: 'bluegreen-operator' }),
        ...alertDataQueries(),
        // cAdvisor comes from kube-prometheus-stack's kubelet ServiceMonitor, not installed here.
      ].filter((q) => !q.expr.includes('container_'));
      const failures = await waitFor(
        async () => {
          const empty = await emptyQueries(queries, promQuery, [ns, opNs]);
          return { done: empty.length === 0, seen: empty };
        },
        { what: 'data for every panel and alert', timeoutMs: 60_000, intervalMs: 5000 },
      ).catch((err: unknown) => [String(err)]);
      expect(queries.length).toBeGreaterThan(15);
      expect(failures).toEqual([]);
    });
  });
});
