// `npm run loadtest` against the real node: a scenario from a Job inside the cluster (by the
// Service's DNS name) and from this machine (ClusterIP), each judged by thresholds, and a
// threshold that must fail the run.
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, repoRoot, type ClusterInfo } from '../cluster/harness.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { buildSampleImage, SAMPLE_IMAGE } from '../support/images.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import { authBgs } from '../support/samples.ts';
import { waitForServiceAnswer } from '../../clusterkit/service-probe.ts';
import { waitFor } from '../../clusterkit/wait.ts';

const exec = promisify(execFile);
let cluster: ClusterInfo;
let kube: TestKube;
let operator: OperatorProcess;
let out: string;
const ns = `lt-${Date.now().toString(36)}`;

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'real' });
  await Promise.all([installCrds(cluster), buildSampleImage()]);
  kube = new TestKube(cluster.kubeconfig);
  await kube.createNamespace(ns);
  out = await mkdtemp(path.join(os.tmpdir(), 'loadtest-e2e-'));
  operator = startOperator({
    kubeconfig: cluster.kubeconfig,
    namespace: ns,
    name: 'op-lt',
    port: 18121,
    env: { LEADER_ELECTION: 'false' },
  });
  await kube.createBgs(authBgs(ns, 'auth', 'v1'));
  await waitFor(
    async () => {
      const s = (await kube.getBgs(ns, 'auth')).status ?? {};
      return { done: s.phase === 'Healthy', seen: { phase: s.phase, message: s.message } };
    },
    { what: 'auth Healthy', timeoutMs: 180_000 },
  );
});

afterAll(async () => {
  await operator?.stop();
  await kube?.deleteNamespace(ns);
  if (out) await rm(out, { recursive: true, force: true });
});

interface Outcome {
  code: number;
  stdout: string;
  results: { pass: boolean; where: string; stats: { requests: number; failed: number; split: Record<string, number> } };
}

async function loadtest(dir: string, ...args: string[]): Promise<Outcome> {
  const outDir = path.join(out, dir);
  const run = exec(process.execPath, ['loadtest/cli.ts', ...args, '--out', outDir], {
    cwd: repoRoot,
    env: { ...process.env, KUBECONFIG: cluster.kubeconfig },
    maxBuffer: 16 << 20,
  });
  let code = 0;
  let stdout: string;
  try {
    stdout = (await run).stdout;
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    code = e.code ?? -1;
    stdout = `${e.stdout ?? ''}\n${e.stderr ?? ''}`;
  }
  console.log(stdout.split('\n').slice(-12).join('\n'));
  const results = JSON.parse(await readFile(path.join(outDir, 'results.json'), 'utf8')) as Outcome['results'];
  expect(await readFile(path.join(outDir, 'report.html'), 'utf8')).toContain('<svg');
  return { code, stdout, results };
}

// Latency limits are loose: the cluster shares 2 cores with other tests; the error rate is not.
const loose = ['--p95', '2000', '--p99', '5000', '--max-lag', '1000'];

describe('Given auth serving on the real node', () => {
  it('When the constant scenario runs as a Job against the Service by DNS name, Then it passes with every request answered by blue', async () => {
    const r = await loadtest(
      'in-cluster',
      'constant',
      '--service',
      `${ns}/auth`,
      '--path',
      '/.well-known/jwks.json',
      '--image',
      SAMPLE_IMAGE,
      '--namespace',
      ns,
      '--duration-scale',
      '0.34',
      ...loose,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^PASS constant/m);
    expect(r.results).toMatchObject({ pass: true, where: 'in-cluster', stats: { failed: 0 } });
    expect(r.results.stats.requests).toBeGreaterThanOrEqual(500);
    expect(r.results.stats.split).toEqual({ blue: r.results.stats.requests });
  });

  it('When the spike scenario runs from this machine without keep-alive, Then it passes; and a p99 limit of 0.01 ms fails the run', async () => {
    const url = `http://${(await kube.getService(ns, 'auth')).spec!.clusterIP!}/.well-known/jwks.json`;
    await waitForServiceAnswer(url, { what: 'the auth Service to answer' });
    // Half the spike's rates: a new connection per request from a host shared with the cluster.
    const r = await loadtest(
      'local',
      'spike',
      '--url',
      url,
      '--no-keep-alive',
      '--rate-scale',
      '0.5',
      '--duration-scale',
      '0.5',
      ...loose,
    );
    expect(r.code).toBe(0);
    expect(r.results).toMatchObject({ pass: true, where: 'local', stats: { failed: 0 } });
    const strict = await loadtest('strict', 'constant', '--url', url, '--duration-scale', '0.1', '--p99', '0.01');
    expect(strict.code).toBe(1);
    expect(strict.stdout).toMatch(/FAIL +p99 latency ms/);
    expect(strict.stdout).toMatch(/^FAIL constant/m);
  });
});
