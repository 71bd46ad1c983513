// Shared helpers of the operator benchmarks on the simulated-node (kwok) tier: cluster and
// namespace setup, the real operator as a child process, /metrics scraping, RSS, a watch that
// survives client-node's 30 s inactivity abort, percentiles and the markdown result file.
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Watch, type KubeConfig } from '@kubernetes/client-node';
import { ensureCluster, repoRoot, type ClusterInfo } from '../../test/cluster/harness.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';

export { operatorDescription } from '../../clusterkit/operator-process.ts';

const started = performance.now();

/** Progress line with the time since the benchmark started: never minutes of silence. */
export function say(msg: string): void {
  console.log(`[+${((performance.now() - started) / 1000).toFixed(1)}s] ${msg}`);
}

/** `--name=value` flag, else env NAME, else the default. */
export function flag(name: string, fallback: string): string {
  const prefix = `--${name}=`;
  const arg = process.argv.slice(2).find((a) => a.startsWith(prefix));
  return arg?.slice(prefix.length) ?? process.env[name.toUpperCase().replaceAll('-', '_')] ?? fallback;
}

export function intFlag(name: string, fallback: number): number {
  const raw = flag(name, String(fallback));
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) throw new Error(`--${name} must be a non-negative integer, got "${raw}"`);
  return n;
}

export interface Bench {
  cluster: ClusterInfo;
  kube: TestKube;
  kubernetesVersion: string;
}

export async function connect(): Promise<Bench> {
  say('ensuring the local cluster with kwok nodes (npm run cluster:up -- --nodes=kwok)');
  const cluster = await ensureCluster({ nodes: 'kwok' });
  await installCrds(cluster);
  const kube = new TestKube(cluster.kubeconfig);
  const v = await kube.req<{ gitVersion: string }>('GET', '/version');
  say(`cluster up: Kubernetes ${v.gitVersion}`);
  return { cluster, kube, kubernetesVersion: v.gitVersion };
}

export async function createNamespace(kube: TestKube, prefix: string): Promise<string> {
  const ns = `${prefix}-${Date.now().toString(36)}`;
  await kube.createNamespace(ns);
  say(`namespace ${ns} created`);
  return ns;
}

/** Deletes the namespace and waits until it is gone, so the next run starts on a quiet cluster. */
export async function deleteNamespace(kube: TestKube, ns: string, timeoutMs = 900_000): Promise<void> {
  await kube.deleteNamespace(ns);
  const deadline = Date.now() + timeoutMs;
  let lastSay = 0;
  for (;;) {
    try {
      await kube.req('GET', `/api/v1/namespaces/${ns}`);
    } catch (err) {
      if (String(err).includes('404')) return say(`namespace ${ns} deleted`);
    }
    if (Date.now() > deadline)
      return say(`namespace ${ns} still terminating after ${timeoutMs / 1000} s; left to the garbage collector`);
    if (Date.now() - lastSay > 15_000) {
      lastSay = Date.now();
      say(`waiting for namespace ${ns} to be deleted`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** The real operator (the bundle the image runs; OPERATOR_BUILD=source for main.ts), without leader election, ready to serve. */
export async function startBenchOperator(
  b: Bench,
  ns: string,
  port: number,
  env: Record<string, string> = {},
): Promise<OperatorProcess> {
  const op = startOperator({
    kubeconfig: b.cluster.kubeconfig,
    namespace: ns,
    name: `bench-${port}`,
    port,
    env: { LEADER_ELECTION: 'false', LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'info', ...env },
  });
  // Never leave an operator behind if the benchmark dies.
  process.on('exit', () => op.child.kill('SIGKILL'));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (op.child.exitCode !== null)
      throw new Error(`operator exited ${op.child.exitCode}: ${op.logs.slice(-5).join('\n')}`);
    const ok = await fetch(`http://127.0.0.1:${port}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline)
      throw new Error(`operator not ready on :${port} after 60 s; last logs:\n${op.logs.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  say(`operator pid ${op.child.pid} ready on :${port} (${JSON.stringify(env)})`);
  return op;
}

export interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** Parses the Prometheus text format of the operator's /metrics. */
export async function scrape(port: number): Promise<Sample[]> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`, { signal: AbortSignal.timeout(10_000) })).text();
  const out: Sample[] = [];
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})?\s+(\S+)/.exec(line);
    if (!m || line.startsWith('#')) continue;
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** Sum of a metric's samples whose labels include `match`. */
export function total(samples: readonly Sample[], name: string, match: Record<string, string> = {}): number {
  return samples
    .filter((s) => s.name === name && Object.entries(match).every(([k, v]) => s.labels[k] === v))
    .reduce((sum, s) => sum + s.value, 0);
}

/** Per-label-set difference of a counter between two scrapes, non-zero entries only. */
export function counterDelta(before: readonly Sample[], after: readonly Sample[], name: string): string[] {
  const key = (s: Sample) => JSON.stringify(s.labels);
  const old = new Map(before.filter((s) => s.name === name).map((s) => [key(s), s.value]));
  return after
    .filter((s) => s.name === name && s.value !== (old.get(key(s)) ?? 0))
    .map((s) => `${name}${key(s)} +${s.value - (old.get(key(s)) ?? 0)}`);
}

/** Resident set size of a process from /proc (what the kernel charges, not the JS heap). */
export function rssBytes(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? Number(m[1]) * 1024 : NaN;
}

export const mib = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export interface Summary {
  n: number;
  min: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  mean: number;
}

/** Nearest-rank percentiles: p99 of 100 samples is the 99th smallest. */
export function summarize(values: readonly number[]): Summary {
  const s = [...values].sort((a, b) => a - b);
  const at = (p: number) => s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
  return {
    n: s.length,
    min: s[0] ?? NaN,
    p50: at(50),
    p90: at(90),
    p99: at(99),
    max: s.at(-1) ?? NaN,
    mean: s.reduce((a, b) => a + b, 0) / s.length,
  };
}

export function summaryRow(label: string, s: Summary, digits = 1): string {
  const f = (x: number) => x.toFixed(digits);
  return `| ${label} | ${s.n} | ${f(s.min)} | ${f(s.p50)} | ${f(s.p90)} | ${f(s.p99)} | ${f(s.max)} | ${f(s.mean)} |`;
}
export const summaryHeader =
  '| series | n | min | p50 (median) | p90 | p99 | max | mean |\n|---|---|---|---|---|---|---|---|';

/** Runs fn over items with at most `limit` calls in flight. */
export async function pool<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T, i: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/**
 * A watch on one collection path that re-watches from the last resourceVersion when
 * client-node ends it (30 s inactivity abort, server timeout) and from scratch after 410.
 * `onEvent` runs synchronously on arrival, so a timestamp taken there is the arrival time.
 */
export function watchCollection(
  kc: KubeConfig,
  apiPath: string,
  query: Record<string, string>,
  onEvent: (type: string, obj: any) => void,
): { stop(): void } {
  const watch = new Watch(kc);
  let rv: string | undefined;
  let stopped = false;
  let controller: AbortController | undefined;
  const start = async () => {
    if (stopped) return;
    const params = { ...query, allowWatchBookmarks: true, ...(rv ? { resourceVersion: rv } : {}) };
    controller = await watch.watch(
      apiPath,
      params,
      (type, obj) => {
        if (type === 'ERROR') {
          if (obj?.code === 410) rv = undefined;
          return;
        }
        rv = obj?.metadata?.resourceVersion ?? rv;
        if (type !== 'BOOKMARK') onEvent(type, obj);
      },
      () => setTimeout(() => void start().catch(() => setTimeout(() => void start(), 1000)), 10),
    );
  };
  void start().catch((err: unknown) => say(`watch ${apiPath} failed to start: ${String(err)}`));
  return {
    stop: () => {
      stopped = true;
      controller?.abort();
    },
  };
}

/** Resolves once pred() holds; re-checked whenever notify() is called. Rejects after timeoutMs saying what was seen. */
export class Changes {
  readonly #waiters = new Set<() => void>();
  notify(): void {
    for (const w of [...this.#waiters]) w();
  }
  until<T>(pred: () => T | undefined, timeoutMs: number, what: string, seen: () => unknown): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const v = pred();
        if (v === undefined) return;
        cleanup();
        resolve(v);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; seen: ${JSON.stringify(seen())}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.#waiters.delete(check);
      };
      this.#waiters.add(check);
      check();
    });
  }
}

/** Waits until the operator's queue is empty and no worker runs, `quietMs` in a row. */
export async function waitIdle(port: number, quietMs = 5000, timeoutMs = 600_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let quietSince: number | undefined;
  for (;;) {
    const m = await scrape(port);
    const busy = total(m, 'workqueue_depth') + total(m, 'controller_runtime_active_workers');
    if (busy === 0) quietSince ??= Date.now();
    else quietSince = undefined;
    if (quietSince !== undefined && Date.now() - quietSince >= quietMs) return;
    if (Date.now() > deadline) throw new Error(`operator still busy after ${timeoutMs} ms (depth+active ${busy})`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

export interface MemorySample {
  rss: number;
  metricRss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
}

/** Memory of the operator child: /proc VmRSS, its own process_resident_memory_bytes and heap used. */
export async function sampleMemory(
  pid: number,
  port: number,
  count: number,
  everyMs: number,
): Promise<Record<keyof MemorySample, Summary>> {
  const samples: MemorySample[] = [];
  for (let i = 0; i < count; i++) {
    const m = await scrape(port);
    samples.push({
      rss: rssBytes(pid),
      metricRss: total(m, 'process_resident_memory_bytes'),
      heapUsed: total(m, 'nodejs_heap_size_used_bytes'),
      heapTotal: total(m, 'nodejs_heap_size_total_bytes'),
      external: total(m, 'nodejs_external_memory_bytes'),
    });
    if (i < count - 1) await new Promise((r) => setTimeout(r, everyMs));
  }
  const inMib = (k: keyof MemorySample) => summarize(samples.map((s) => s[k] / 1024 / 1024));
  return {
    rss: inMib('rss'),
    metricRss: inMib('metricRss'),
    heapUsed: inMib('heapUsed'),
    heapTotal: inMib('heapTotal'),
    external: inMib('external'),
  };
}

/** The commit the operator code came from, flagged when operator/ has uncommitted changes. */
function operatorCommit(): string {
  const git = (args: string[]) => execFileSync('git', ['-C', repoRoot, ...args], { encoding: 'utf8' }).trim();
  try {
    const dirty = git(['status', '--porcelain', '--', 'operator']) !== '';
    return `${git(['rev-parse', '--short', 'HEAD'])}${dirty ? ' with uncommitted changes in operator/' : ''}`;
  } catch {
    return 'unknown';
  }
}

function clientNodeVersion(): string {
  const pkg = path.join(repoRoot, 'node_modules/@kubernetes/client-node/package.json');
  return (JSON.parse(readFileSync(pkg, 'utf8')) as { version: string }).version;
}

export const today = () => new Date().toISOString().slice(0, 10);

/** Writes bench/results/operator-<name>-<date>.md with the machine, versions and command first. */
const commitAtStart = operatorCommit();

export function writeResult(
  b: Pick<Bench, 'kubernetesVersion'>,
  name: string,
  title: string,
  command: string,
  body: string,
  loadBefore: readonly number[],
): string {
  const file = path.join(repoRoot, 'bench/results', `operator-${name}-${today()}.md`);
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const header = [
    `# ${title}`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `- load average (1/5/15 min) before: ${load(loadBefore)}, after: ${load(os.loadavg())} — the control plane, kwok and other sessions share these ${os.availableParallelism()} CPUs`,
    `- versions: Node ${process.version}, Kubernetes ${b.kubernetesVersion}${b.kubernetesVersion.startsWith('v') ? ' (local cluster, kwok simulated nodes)' : ''}, @kubernetes/client-node ${clientNodeVersion()}`,
    `- operator: commit ${commitAtStart} at the start of the run`,
    `- command: \`${command}\``,
    '',
  ];
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, [...header, body, ''].join('\n'));
  say(`wrote ${path.relative(repoRoot, file)}`);
  return file;
}

/** Keeps the operator's JSON log lines for evidence (outside the repository). */
export function saveLogs(op: OperatorProcess, name: string): string {
  const file = path.join(os.tmpdir(), `bench-operator-${name}-${Date.now().toString(36)}.log`);
  writeFileSync(file, op.logs.join('\n') + '\n');
  say(`operator logs: ${file}`);
  return file;
}

/** The command line that reproduces this run, with the flags given. */
export function commandLine(script: string, envNames: readonly string[] = []): string {
  const env = envNames.filter((n) => process.env[n]).map((n) => `${n}=${process.env[n]}`);
  return [...env, 'npx node', `bench/operator/${script}`, ...process.argv.slice(2)].join(' ');
}
