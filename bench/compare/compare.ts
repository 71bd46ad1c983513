// Side-by-side benchmark: Argo Rollouts and bluegreen-operator, one after the other, on the
// same kwok cluster with the same N, pod template and creation concurrency (issue 13).
//
//   npx node bench/compare/compare.ts [--n=100] [--concurrency=50] [--port=18291] [--order=argo,ours]
//
// For each controller, in a fresh namespace it alone watches: start it (through a counting API
// proxy, bench/compare/api-proxy.ts), create N services the way its users do (Argo: Rollout +
// active and preview Services; ours: one BlueGreenService), wait until all serve their first
// template, sample idle RSS, change the template of all N, wait until all are promoted, sample
// idle RSS again (2N ReplicaSets/Deployments cached). Writes bench/results/compare-N-DATE.md.
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../test/cluster/harness.ts';
import type { OperatorProcess } from '../../clusterkit/operator-process.ts';
import {
  connect,
  createNamespace,
  deleteNamespace,
  flag,
  intFlag,
  pool,
  rssBytes,
  say,
  today,
  watchCollection,
  type Bench,
} from '../operator/lib.ts';
import { startApiProxy } from './api-proxy.ts';
import { ARGO_ROLLOUTS_VERSION, argoCrdFiles, ensureArgoRollouts } from './argo.ts';
import { argoRollouts, bluegreenOperator, type Contender } from './contenders.ts';
import { cpuSeconds, sampleRss, waitCpuQuiet } from './process-stats.ts';
import { renderReport, type Result } from './report.ts';

const N = intFlag('n', 100);
const CONCURRENCY = intFlag('concurrency', 50);
const PORT = intFlag('port', 18291);
const ORDER = flag('order', 'argo,ours').split(',');
const TIMEOUT_MS = intFlag('timeout-seconds', 1800) * 1000;
// e.g. --node-args=--optimize-for-size: Node/V8 flags of our operator's process only (on its
// command line: V8 refuses some of them in NODE_OPTIONS).
const NODE_ARGS = flag('node-args', '');
// --trace-dir=DIR: for a timeline of where the seconds go, write per contender the controller's
// log, every request through its proxy (start, end, status) and every event of the watched
// objects (time, status) as JSON lines. Off by default; costs the benchmark process a little CPU.
const TRACE_DIR = flag('trace-dir', '');
const names = Array.from({ length: N }, (_, i) => `s${String(i).padStart(4, '0')}`);
const loadBefore = os.loadavg();

async function until(what: string, since: number, count: () => number, pid: number): Promise<number> {
  let lastSay = 0;
  for (;;) {
    const done = count();
    if (done >= N) return performance.now() - since;
    if (performance.now() - since > TIMEOUT_MS)
      throw new Error(`${what}: only ${done}/${N} after ${TIMEOUT_MS / 1000} s`);
    if (performance.now() - lastSay > 5000) {
      lastSay = performance.now();
      say(`${what}: ${done}/${N}; RSS ${(rssBytes(pid) / 1048576).toFixed(1)} MiB`);
    }
    await new Promise((r) => setTimeout(r, 100)); // a poll interval inside a deadline-bounded wait
  }
}

async function runOne(b: Bench, c: Contender, last: boolean): Promise<Result> {
  say(`=== ${c.name}, N=${N}`);
  const ns = await createNamespace(b.kube, `bench-compare-${c.name.toLowerCase().replaceAll(' ', '-')}`);
  const slug = c.name.toLowerCase().replaceAll(' ', '-');
  const traceBuf: string[] = [];
  const traceFile = TRACE_DIR ? path.join(TRACE_DIR, `${slug}-${N}-trace.jsonl`) : '';
  const trace = TRACE_DIR ? (o: object) => traceBuf.push(JSON.stringify(o)) : undefined;
  if (TRACE_DIR) mkdirSync(TRACE_DIR, { recursive: true });
  const proxy = await startApiProxy(b.cluster.kubeconfig, c.name.replaceAll(' ', '-'), (l) =>
    trace?.({ k: 'req', ...l }),
  );
  let op: OperatorProcess | undefined;
  const state = new Map<string, unknown>();
  const watch = watchCollection(b.kube.kc, c.watchPath(ns), {}, (type, obj: { metadata: { name: string } }) => {
    if (type === 'DELETED') state.delete(obj.metadata.name);
    else state.set(obj.metadata.name, obj);
    trace?.({ k: 'obj', t: Date.now(), type, name: obj.metadata.name, status: (obj as { status?: unknown }).status });
  });
  // In trace mode, also when the objects under the controllers change (equal for both contenders).
  const extra = TRACE_DIR
    ? [
        `/apis/apps/v1/namespaces/${ns}/deployments`,
        `/apis/apps/v1/namespaces/${ns}/replicasets`,
        `/api/v1/namespaces/${ns}/pods`,
        `/apis/discovery.k8s.io/v1/namespaces/${ns}/endpointslices`,
      ].map((p) =>
        watchCollection(b.kube.kc, p, {}, (type, obj: any) =>
          trace?.({
            k: p.split('/').pop(),
            t: Date.now(),
            type,
            name: obj.metadata?.name,
            labels: obj.metadata?.labels,
            ready:
              obj.status?.readyReplicas ??
              obj.status?.conditions?.find((c: { type: string }) => c.type === 'Ready')?.status ??
              obj.endpoints?.filter((e: { conditions?: { ready?: boolean } }) => e.conditions?.ready).length,
          }),
        ),
      )
    : [];
  const count = (pred: (o: any) => boolean) => () => [...state.values()].filter(pred).length;
  const r: Result = { name: c.name, perService: c.perService, api: {} };
  try {
    op = await c.start(ns, proxy.kubeconfig);
    const pid = op.child.pid!;
    await waitCpuQuiet(pid, `${c.name} start-up`);
    r.rssStart = (await sampleRss(pid, 5)).p50;
    proxy.reset();
    const cpu0 = cpuSeconds(pid);
    const t0 = performance.now();
    trace?.({ k: 'mark', t: Date.now(), what: 'create' });
    await pool(names, CONCURRENCY, (name) => c.create(ns, name));
    r.createPostsMs = performance.now() - t0;
    r.healthyMs = await until('first template Healthy', t0, count(c.healthy), pid);
    r.cpuHealthy = cpuSeconds(pid) - cpu0;
    r.api['create → Healthy'] = proxy.counts();
    say(`${c.name}: all ${N} Healthy ${(r.healthyMs / 1000).toFixed(1)} s after the first POST`);
    await waitCpuQuiet(pid, `${c.name} after create`);
    r.rssN = await sampleRss(pid);
    say(`${c.name}: idle RSS with N: ${r.rssN.p50.toFixed(1)} MiB`);

    proxy.reset();
    const cpu1 = cpuSeconds(pid);
    const t1 = performance.now();
    trace?.({ k: 'mark', t: Date.now(), what: 'release' });
    await pool(names, CONCURRENCY, (name) => c.release(ns, name));
    r.promotedMs = await until('new template promoted', t1, count(c.promoted), pid);
    r.cpuRelease = cpuSeconds(pid) - cpu1;
    r.api['template → promoted'] = proxy.counts();
    trace?.({ k: 'mark', t: Date.now(), what: 'promoted' });
    say(`${c.name}: all ${N} promoted ${(r.promotedMs / 1000).toFixed(1)} s after the first PATCH`);
    await waitCpuQuiet(pid, `${c.name} after release`);
    r.rss2N = await sampleRss(pid);
    say(`${c.name}: idle RSS with 2N: ${r.rss2N.p50.toFixed(1)} MiB`);
    // What an idle controller asks of the API server: 60 s with nothing to do.
    proxy.reset();
    const cpu2 = cpuSeconds(pid);
    await new Promise((res) => setTimeout(res, 60_000)); // the measured idle window itself, not a wait for a condition
    r.api['idle 60 s'] = proxy.counts();
    r.cpuIdle60 = cpuSeconds(pid) - cpu2;
    trace?.({ k: 'mark', t: Date.now(), what: 'idle-end' });
  } catch (err) {
    r.failure = err instanceof Error ? err.message : String(err);
    say(`FAILED: ${r.failure}`);
  } finally {
    r.errorLines = (op?.logs ?? []).filter((l) => /level=error|"level":"error"|\bERROR\b|E\d{4} /.test(l)).slice(0, 3);
    watch.stop();
    for (const w of extra) w.stop();
    await op?.stop();
    if (TRACE_DIR) {
      writeFileSync(traceFile, traceBuf.join('\n') + '\n');
      writeFileSync(path.join(TRACE_DIR, `${slug}-${N}-controller.log`), (op?.logs ?? []).join('\n') + '\n');
      say(`trace: ${traceFile}`);
    }
    await proxy.close();
    // Between two controllers the next one must start on a quiet API server; after the last
    // one the garbage collector may finish alone.
    await deleteNamespace(b.kube, ns, last ? 30_000 : 900_000);
  }
  return r;
}

function kubectl(b: Bench, args: string[]): string {
  return execFileSync(b.cluster.kubectl, ['--kubeconfig', b.cluster.kubeconfig, ...args], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

const b = await connect();
const contenders: Record<string, () => Contender> = {
  argo: () => argoRollouts(b, argoDir, PORT + 2),
  ours: () => bluegreenOperator(b, PORT, NODE_ARGS.split(' ').filter(Boolean)),
};
let argoDir = '';
// Argo's CRDs: installed for this run when absent, and deleted again afterwards.
const argoCrds = ['rollouts', 'analysisruns', 'analysistemplates', 'clusteranalysistemplates', 'experiments'].map(
  (p) => `${p}.argoproj.io`,
);
const crdsWeCreated: string[] = [];
if (ORDER.includes('argo')) {
  say('building or finding Argo Rollouts (bench/compare/build-argo-rollouts.sh)');
  argoDir = ensureArgoRollouts();
  for (const crd of argoCrds) {
    try {
      kubectl(b, ['get', 'crd', crd]);
    } catch {
      crdsWeCreated.push(crd);
    }
  }
  for (const f of argoCrdFiles(argoDir)) kubectl(b, ['apply', '--server-side', '--force-conflicts', '-f', f]);
  // Polled rather than `kubectl wait`: the shipped rollout CRD carries `status.conditions: null`,
  // on which kubectl wait fails at once instead of waiting.
  for (const crd of argoCrds) {
    const deadline = Date.now() + 60_000;
    const jsonpath = '{.status.conditions[?(@.type=="Established")].status}';
    const established = () => {
      try {
        return kubectl(b, ['get', 'crd', crd, '-o', `jsonpath=${jsonpath}`]).trim() === 'True';
      } catch {
        return false; // no status yet: the jsonpath has nothing to read
      }
    };
    while (!established()) {
      if (Date.now() > deadline) throw new Error(`CRD ${crd} not Established after 60 s`);
      await new Promise((r) => setTimeout(r, 500)); // a poll interval inside a deadline-bounded wait
    }
  }
}
const results: Result[] = [];
try {
  for (const [i, key] of ORDER.entries()) {
    const make = contenders[key];
    if (!make) throw new Error(`--order: unknown "${key}" (argo, ours)`);
    results.push(await runOne(b, make(), i === ORDER.length - 1));
  }
} finally {
  if (crdsWeCreated.length > 0) kubectl(b, ['delete', 'crd', ...crdsWeCreated, '--wait=false']);
}

const file = path.join(
  repoRoot,
  'bench/results',
  `compare-${N}-${today()}${NODE_ARGS ? `-${NODE_ARGS.replace(/[^a-z0-9]+/gi, '-').replace(/^-|-$/g, '')}` : ''}.md`,
);
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: repoRoot, encoding: 'utf8' }).trim();
const dirty = execFileSync('git', ['status', '--porcelain', 'operator/'], { cwd: repoRoot, encoding: 'utf8' }).trim();
writeFileSync(
  file,
  renderReport({
    n: N,
    concurrency: CONCURRENCY,
    results,
    loadBefore,
    kubernetesVersion: b.kubernetesVersion,
    oursCommit: `${commit}${dirty ? ' (operator/ modified)' : ''}`,
    oursNodeArgs: NODE_ARGS,
    argoVersion: `${ARGO_ROLLOUTS_VERSION} (Go module github.com/argoproj/argo-rollouts@${ARGO_ROLLOUTS_VERSION}, cmd/rollouts-controller)`,
    command: ['npx node bench/compare/compare.ts', ...process.argv.slice(2)].join(' '),
  }),
);
say(`wrote ${path.relative(repoRoot, file)}`);
process.exit(results.some((r) => r.failure) ? 1 : 0);
