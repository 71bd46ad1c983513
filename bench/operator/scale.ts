// Benchmark: N BlueGreenServices on kwok nodes (GUIDE §6: converge 1,000 new BGS to Healthy,
// measured then halved; operator memory with 1,000 BGS / 2,000 Deployments cached <= 150 MiB).
//
//   npx node bench/operator/scale.ts [--n=1000] [--workers=4,16] [--concurrency=50] [--port=18191]
//
// For each WORKERS value, in a fresh namespace with a fresh operator: create N BGS (replicas 1,
// promotion.auto, scaleDownDelaySeconds 3600) as fast as `concurrency` parallel POSTs allow,
// wait until all are Healthy on blue, sample memory at idle, release a new template to all of
// them (auto-promoted, the previous colour keeps running), wait until all are Healthy on green
// and sample memory again with 2N Deployments cached.
import { readdirSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { kwokBgs, templateWithImage } from '../../clusterkit/bgs.ts';
import type { BlueGreenService } from '../../operator/src/api/types.ts';
import type { OperatorProcess } from '../../clusterkit/operator-process.ts';
import {
  commandLine,
  connect,
  createNamespace,
  deleteNamespace,
  flag,
  intFlag,
  mib,
  pool,
  rssBytes,
  sampleMemory,
  say,
  scrape,
  startBenchOperator,
  saveLogs,
  total,
  waitIdle,
  watchCollection,
  writeResult,
  type Bench,
  type Summary,
  operatorDescription,
} from './lib.ts';

const N = intFlag('n', 1000);
const WORKERS = flag('workers', '4').split(',').map(Number);
const CONCURRENCY = intFlag('concurrency', 50);
const PORT = intFlag('port', 18191);
// e.g. --node-options=--max-semi-space-size=2 to see what V8's young generation costs in RSS.
const NODE_OPTIONS = flag('node-options', '');
// --heap-snapshot-dir=DIR: after the last memory sample, write a heap snapshot of the idle
// operator into DIR (read it with heap-summary.ts). The results file is then not written:
// the snapshot itself moves memory.
const HEAP_SNAPSHOT_DIR = flag('heap-snapshot-dir', '');
const CONVERGE_TIMEOUT_MS = intFlag('timeout-seconds', 1800) * 1000;
const loadBefore = os.loadavg();
const names = Array.from({ length: N }, (_, i) => `s${String(i).padStart(4, '0')}`);

interface Run {
  workers: number;
  createMs: number;
  convergeMs: number;
  releaseMs: number;
  idle1: Awaited<ReturnType<typeof sampleMemory>>;
  idle2: Awaited<ReturnType<typeof sampleMemory>>;
  peakRss: number;
  cached: Record<string, number>;
  reconciles: number;
  reconcileErrors: number;
  writes: number;
  warnLines: string[];
  cpuConverge: number;
  cpuRelease: number;
  failure?: string;
}

/** Signals the operator to write a heap snapshot and waits until the new file stops growing. */
async function heapSnapshot(pid: number, dir: string): Promise<string> {
  const before = new Set(readdirSync(dir));
  process.kill(pid, 'SIGUSR2');
  let last = -1;
  for (const deadline = Date.now() + 120_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 1000))) {
    const file = readdirSync(dir).find((f) => f.endsWith('.heapsnapshot') && !before.has(f));
    if (!file) continue;
    const size = statSync(path.join(dir, file)).size;
    if (size > 0 && size === last) return path.join(dir, file);
    last = size;
  }
  throw new Error(`no complete heap snapshot in ${dir} after 120 s`);
}

/** Waits until `count()` reaches N, printing progress every 5 s. Returns ms since `since`. */
async function converge(
  what: string,
  since: number,
  count: () => number,
  op: OperatorProcess,
  peak: { rss: number },
): Promise<number> {
  let lastSay = 0;
  for (;;) {
    const done = count();
    const rss = rssBytes(op.child.pid!);
    peak.rss = Math.max(peak.rss, rss);
    if (done >= N) return performance.now() - since;
    if (performance.now() - since > CONVERGE_TIMEOUT_MS)
      throw new Error(`${what}: only ${done}/${N} after ${CONVERGE_TIMEOUT_MS / 1000} s`);
    if (performance.now() - lastSay > 5000) {
      lastSay = performance.now();
      const m = await scrape(PORT).catch(() => []);
      say(
        `${what}: ${done}/${N}; queue ${total(m, 'workqueue_depth')}, reconciles ${total(m, 'controller_runtime_reconcile_total')}, operator RSS ${mib(rss)} MiB`,
      );
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runOnce(b: Bench, workers: number): Promise<Run> {
  const ns = await createNamespace(b.kube, `bench-scale-w${workers}`);
  const nodeOptions = [
    NODE_OPTIONS,
    HEAP_SNAPSHOT_DIR ? `--heapsnapshot-signal=SIGUSR2 --diagnostic-dir=${HEAP_SNAPSHOT_DIR}` : '',
  ]
    .join(' ')
    .trim();
  const op = await startBenchOperator(b, ns, PORT, {
    WORKERS: String(workers),
    ...(nodeOptions ? { NODE_OPTIONS: nodeOptions } : {}),
  });
  const state = new Map<string, { phase?: string; active?: string }>();
  const watch = watchCollection(
    b.kube.kc,
    `/apis/bluegreen.dev/v1alpha1/namespaces/${ns}/bluegreenservices`,
    {},
    (type, obj: BlueGreenService) => {
      if (type === 'DELETED') state.delete(obj.metadata.name!);
      else state.set(obj.metadata.name!, { phase: obj.status?.phase, active: obj.status?.activeColor });
    },
  );
  const healthyOn = (color: string) => () =>
    [...state.values()].filter((s) => s.phase === 'Healthy' && s.active === color).length;
  const peak = { rss: 0 };
  const run: Run = {
    workers,
    createMs: NaN,
    convergeMs: NaN,
    releaseMs: NaN,
    idle1: emptyMem(),
    idle2: emptyMem(),
    peakRss: 0,
    cached: {},
    reconciles: 0,
    reconcileErrors: 0,
    writes: 0,
    warnLines: [],
    cpuConverge: NaN,
    cpuRelease: NaN,
  };
  const cpu = async () => total(await scrape(PORT), 'process_cpu_seconds_total');
  try {
    const spec = { replicas: 1, scaleDownDelaySeconds: 3600, promotion: { auto: true } };
    const base = kwokBgs(ns, 'x', 'app:v1', spec);
    const cpu0 = await cpu();
    const t0 = performance.now();
    say(`creating ${N} BlueGreenServices (${CONCURRENCY} POSTs in flight)`);
    await pool(names, CONCURRENCY, async (name) => {
      await b.kube.createBgs(kwokBgs(ns, name, 'app:v1', spec));
    });
    run.createMs = performance.now() - t0;
    say(`created ${N} in ${(run.createMs / 1000).toFixed(1)} s`);
    run.convergeMs = await converge('Healthy on blue', t0, healthyOn('blue'), op, peak);
    run.cpuConverge = (await cpu()) - cpu0;
    say(
      `all ${N} Healthy on blue ${(run.convergeMs / 1000).toFixed(1)} s after the first create; waiting for an idle operator`,
    );
    await waitIdle(PORT);
    run.idle1 = await sampleMemory(op.child.pid!, PORT, 10, 1000);
    say(`idle RSS (N BGS, N Deployments): median ${run.idle1.rss.p50.toFixed(1)} MiB`);

    const cpu1 = await cpu();
    const t1 = performance.now();
    const template = templateWithImage(base, 'app:v2');
    say(`releasing app:v2 to all ${N}`);
    await pool(names, CONCURRENCY, async (name) => {
      await b.kube.patchBgsSpec(ns, name, { template: { ...template, metadata: { labels: { app: name } } } });
    });
    run.releaseMs = await converge('Healthy on green', t1, healthyOn('green'), op, peak);
    run.cpuRelease = (await cpu()) - cpu1;
    say(
      `all ${N} promoted to green ${(run.releaseMs / 1000).toFixed(1)} s after the first template patch; waiting for an idle operator`,
    );
    await waitIdle(PORT);
    run.idle2 = await sampleMemory(op.child.pid!, PORT, 10, 1000);
    say(`idle RSS (N BGS, 2N Deployments): median ${run.idle2.rss.p50.toFixed(1)} MiB`);
    if (HEAP_SNAPSHOT_DIR) say(`heap snapshot: ${await heapSnapshot(op.child.pid!, HEAP_SNAPSHOT_DIR)}`);
  } catch (err) {
    run.failure = err instanceof Error ? err.message : String(err);
    say(`FAILED: ${run.failure}`);
  } finally {
    const m = await scrape(PORT).catch(() => []);
    for (const s of m.filter((x) => x.name === 'informer_objects')) run.cached[s.labels['informer'] ?? '?'] = s.value;
    run.reconciles = total(m, 'controller_runtime_reconcile_total');
    run.reconcileErrors = total(m, 'controller_runtime_reconcile_errors_total');
    run.writes = total(m, 'bluegreen_api_writes_total');
    run.peakRss = peak.rss;
    run.warnLines = op.logs.filter((l) => l.includes('"level":"warn"') || l.includes('"level":"error"'));
    watch.stop();
    await op.stop();
    saveLogs(op, `scale-w${workers}`);
    await deleteNamespace(b.kube, ns);
  }
  return run;
}

function emptyMem(): Run['idle1'] {
  const e: Summary = { n: 0, min: NaN, p50: NaN, p90: NaN, p99: NaN, max: NaN, mean: NaN };
  return { rss: e, metricRss: e, heapUsed: e, heapTotal: e, external: e };
}

const b = await connect();
const runs: Run[] = [];
for (const w of WORKERS) {
  say(`=== run with WORKERS=${w}, N=${N}`);
  runs.push(await runOnce(b, w));
}

const s = (ms: number) => (ms / 1000).toFixed(1);
const m = (x: Summary) => `${x.p50.toFixed(1)} (${x.min.toFixed(1)}–${x.max.toFixed(1)})`;
const body = [
  '## Setup',
  '',
  `${N} BlueGreenServices (replicas 1, promotion.auto, scaleDownDelaySeconds 3600, no analysis) on kwok nodes, created with ${CONCURRENCY} POSTs in flight`,
  `while the operator (\`${operatorDescription()}\`${NODE_OPTIONS ? `, NODE_OPTIONS=${NODE_OPTIONS}` : ''}, LOG_LEVEL info, ` +
    'no leader election, WATCH_NAMESPACE = the bench namespace) was already running.',
  "Converge = first POST sent -> the benchmark's watch has seen every BGS with phase Healthy on blue. Release = first template PATCH -> every BGS Healthy on green",
  '(auto-promoted; blue keeps running, so 2N Deployments and 2N ready pods exist). Memory is sampled 10 times, 1 s apart, once the operator is idle',
  "(work queue empty, no worker busy, 5 s in a row): RSS from /proc/<pid>/status VmRSS, the operator's own process_resident_memory_bytes and nodejs_heap_size_used_bytes.",
  '',
  '## Results',
  '',
  '| WORKERS | create N (s) | converge N to Healthy (s) | release + promote N (s) | RSS idle, N Deployments (MiB, median (min–max)) | RSS idle, 2N Deployments (MiB) | process_resident_memory_bytes, 2N (MiB) | heap used / V8 heap total / external, 2N (MiB) | peak RSS (MiB) | operator CPU s, converge / release | reconciles | reconcile errors | API writes |',
  '|---|---|---|---|---|---|---|---|---|---|---|---|---|',
  ...runs.map(
    (r) =>
      `| ${r.workers} | ${s(r.createMs)} | ${s(r.convergeMs)} | ${s(r.releaseMs)} | ${m(r.idle1.rss)} | ${m(r.idle2.rss)} | ${m(r.idle2.metricRss)} | ${r.idle2.heapUsed.p50.toFixed(1)} / ${r.idle2.heapTotal.p50.toFixed(1)} / ${r.idle2.external.p50.toFixed(1)} | ${mib(r.peakRss)} | ${r.cpuConverge.toFixed(1)} / ${r.cpuRelease.toFixed(1)} | ${r.reconciles} | ${r.reconcileErrors} | ${r.writes} |`,
  ),
  '',
  ...runs.map(
    (r) =>
      `- WORKERS=${r.workers}: objects cached at the end ${JSON.stringify(r.cached)}; operator warn/error log lines ${r.warnLines.length}${r.warnLines.length ? ` (first: \`${r.warnLines[0]!.slice(0, 300)}\`)` : ''}${r.failure ? `; **failed:** ${r.failure}` : ''}`,
  ),
  '',
  '## Goals (GUIDE §6)',
  '',
  '| goal | measured | met |',
  '|---|---|---|',
  ...runs.map(
    (r) =>
      `| operator memory with ${N} BGS / ${2 * N} Deployments cached <= 150 MiB RSS (WORKERS=${r.workers}) | median ${r.idle2.rss.p50.toFixed(1)} MiB, max ${r.idle2.rss.max.toFixed(1)} MiB | ${N < 1000 ? 'not comparable (N < 1000)' : r.idle2.rss.max <= 150 ? 'yes' : 'no'} |`,
  ),
  ...runs.map(
    (r) =>
      `| converge ${N} new BGS to Healthy: measured, then halved (WORKERS=${r.workers}) | ${s(r.convergeMs)} s | baseline |`,
  ),
].join('\n');
if (!HEAP_SNAPSHOT_DIR)
  writeResult(
    b,
    `scale-${N}-w${WORKERS.join('-')}${NODE_OPTIONS ? '-node-options' : ''}`,
    `Operator benchmark: ${N} BlueGreenServices on kwok nodes`,
    commandLine('scale.ts'),
    body,
    loadBefore,
  );
process.exit(runs.some((r) => r.failure) ? 1 : 0);
