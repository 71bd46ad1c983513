// Benchmark: the operator's fixed cost — time from process start to /readyz and RSS once ready
// with nothing to cache — for each way of running it (the bundle the image runs, with or
// without source maps, and operator/src/main.ts with type stripping at load). No cluster
// needed: a loopback fake API server answers every list with no items and holds every watch
// open, so what is measured is Node, the loaded code and the operator's own set-up.
//
//   npx node bench/operator/startup.ts [--runs=7] [--settle-ms=5000] [--variants=source,bundle,bundle-no-maps]
//     [--baseline-dir=DIR] [--baseline-bundle=FILE]
//
// Variants run round-robin (one of each per round) so load changes on the shared machine hit
// all of them alike. --node-args='--flag1 --flag2' adds a variant "bundle <flags>".
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { node24, operatorCommand } from '../../clusterkit/operator-process.ts';
import {
  commandLine,
  flag,
  intFlag,
  rssBytes,
  say,
  scrape,
  summarize,
  summaryHeader,
  summaryRow,
  total,
  writeResult,
} from './lib.ts';

const RUNS = intFlag('runs', 7);
const SETTLE_MS = intFlag('settle-ms', 5000);
const PORT = intFlag('port', 18193);
const EXTRA = flag('node-args', '').split(' ').filter(Boolean);
// --fail-lists=K: the first K list requests of each start answer 500, so the operator logs K
// errors with their stack traces before it is ready (what source maps cost once a stack is
// formatted: Node decodes the whole map on first use).
const FAIL_LISTS = intFlag('fail-lists', 0);
// --baseline-dir=DIR: adds a variant running DIR/operator/src/main.ts, e.g. an older commit
// exported with `git archive <commit> operator | tar -x -C DIR` (node_modules resolved from
// DIR upwards: symlink this checkout's node_modules into DIR).
const BASELINE_DIR = flag('baseline-dir', '');
// --baseline-bundle=FILE: adds a variant running an older bundle (node --enable-source-maps FILE),
// e.g. one built at an older commit with `node operator/build/bundle.ts <outdir>` there.
const BASELINE_BUNDLE = flag('baseline-bundle', '');
const loadBefore = os.loadavg();

interface Variant {
  name: string;
  args: () => string[];
}

const bundle = () => operatorCommand('bundle');
const known: Record<string, Variant> = {
  source: { name: 'source (node operator/src/main.ts)', args: () => operatorCommand('source') },
  bundle: { name: 'bundle (node --enable-source-maps main.mjs)', args: bundle },
  'bundle-no-maps': {
    name: 'bundle without source maps',
    args: () => bundle().filter((a) => a !== '--enable-source-maps'),
  },
};
const variants = flag('variants', 'source,bundle,bundle-no-maps')
  .split(',')
  .map((v) => {
    const found = known[v];
    if (!found) throw new Error(`--variants: unknown "${v}" (known: ${Object.keys(known).join(', ')})`);
    return found;
  });
if (BASELINE_DIR)
  variants.unshift({
    name: `baseline source (${path.basename(BASELINE_DIR)})`,
    args: () => [path.join(path.resolve(BASELINE_DIR), 'operator/src/main.ts')],
  });
if (BASELINE_BUNDLE)
  variants.unshift({
    name: `baseline bundle (${path.basename(path.dirname(path.resolve(BASELINE_BUNDLE)))})`,
    args: () => ['--enable-source-maps', path.resolve(BASELINE_BUNDLE)],
  });
if (EXTRA.length > 0) variants.push({ name: `bundle ${EXTRA.join(' ')}`, args: () => [...EXTRA, ...bundle()] });

/** Lists are empty, watches stay open and silent: the informers sync at once and then idle. */
async function emptyApiServer(): Promise<{ server: Server; kubeconfig: string; failNext: (k: number) => void }> {
  let failing = 0;
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (req.method !== 'GET') {
      res.writeHead(405).end();
      return;
    }
    if (url.searchParams.get('watch') === 'true' || url.searchParams.get('watch') === '1') {
      res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
      res.flushHeaders();
      req.on('close', () => res.end());
      return;
    }
    if (failing > 0) {
      failing--;
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', code: 500, message: 'injected by bench/operator/startup.ts' }));
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ kind: 'List', apiVersion: 'v1', metadata: { resourceVersion: '1' }, items: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bench-startup-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: 'fake', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'fake', user: { token: 'x' } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'fake' } }],
      'current-context': 'fake',
    }),
  );
  return { server, kubeconfig, failNext: (k) => (failing = k) };
}

interface Sample {
  readyMs: number;
  rssReady: number;
  rssSettled: number;
  heapUsed: number;
  heapTotal: number;
}

async function once(v: Variant, kubeconfig: string): Promise<Sample> {
  const args = v.args();
  api.failNext(FAIL_LISTS);
  const startedAt = performance.now();
  const child = spawn(node24, args, {
    env: {
      ...process.env,
      KUBECONFIG: kubeconfig,
      WATCH_NAMESPACE: 'bench',
      LEADER_ELECTION: 'false',
      PORT: String(PORT),
      LOG_LEVEL: 'warn',
    },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
  try {
    const deadline = Date.now() + 60_000;
    for (;;) {
      if (child.exitCode !== null) throw new Error(`${v.name}: exited ${child.exitCode}: ${stderr.slice(-500)}`);
      const ok = await fetch(`http://127.0.0.1:${PORT}/readyz`, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      );
      if (ok) break;
      if (Date.now() > deadline) throw new Error(`${v.name}: not ready after 60 s: ${stderr.slice(-500)}`);
      await new Promise((r) => setTimeout(r, 10));
    }
    const readyMs = performance.now() - startedAt;
    const pid = child.pid!;
    const rssReady = rssBytes(pid);
    await new Promise((r) => setTimeout(r, SETTLE_MS));
    const m = await scrape(PORT);
    return {
      readyMs,
      rssReady,
      rssSettled: rssBytes(pid),
      heapUsed: total(m, 'nodejs_heap_size_used_bytes'),
      heapTotal: total(m, 'nodejs_heap_size_total_bytes'),
    };
  } finally {
    child.kill('SIGKILL');
    await new Promise((r) => (child.exitCode !== null || child.signalCode !== null ? r(null) : child.on('exit', r)));
  }
}

const api = await emptyApiServer();
const { server, kubeconfig } = api;
// Build the bundle before timing anything (operatorCommand builds it on first use).
bundle();
const samples = new Map<Variant, Sample[]>(variants.map((v) => [v, []]));
for (let round = 1; round <= RUNS; round++) {
  for (const v of variants) {
    const s = await once(v, kubeconfig);
    samples.get(v)!.push(s);
    say(
      `round ${round}/${RUNS} ${v.name}: ready in ${s.readyMs.toFixed(0)} ms, RSS ${(s.rssReady / 2 ** 20).toFixed(1)} ` +
        `-> ${(s.rssSettled / 2 ** 20).toFixed(1)} MiB, heap used ${(s.heapUsed / 2 ** 20).toFixed(1)} MiB`,
    );
  }
}
server.close();

const mibOf = (xs: number[]) => summarize(xs.map((x) => x / 2 ** 20));
const rows: string[] = [];
for (const [v, xs] of samples) {
  rows.push(summaryRow(`${v.name}: start -> /readyz (ms)`, summarize(xs.map((s) => s.readyMs)), 0));
  rows.push(summaryRow(`${v.name}: RSS when ready (MiB)`, mibOf(xs.map((s) => s.rssReady))));
  rows.push(summaryRow(`${v.name}: RSS ${SETTLE_MS / 1000} s later (MiB)`, mibOf(xs.map((s) => s.rssSettled))));
  rows.push(summaryRow(`${v.name}: V8 heap used (MiB)`, mibOf(xs.map((s) => s.heapUsed))));
  rows.push(summaryRow(`${v.name}: V8 heap total (MiB)`, mibOf(xs.map((s) => s.heapTotal))));
}
const median = (v: Variant, k: keyof Sample) => summarize(samples.get(v)!.map((s) => s[k])).p50;
const base = variants[0]!;
const ratios = variants
  .slice(1)
  .map(
    (v) =>
      `| ${v.name} | ${(median(v, 'rssSettled') / median(base, 'rssSettled')).toFixed(2)} | ${(median(v, 'readyMs') / median(base, 'readyMs')).toFixed(2)} |`,
  );
const body = [
  '## What was measured',
  '',
  `The operator started ${RUNS} times per variant (round-robin), watching one namespace of a loopback fake API server whose`,
  'lists are empty and whose watches stay open: start -> first 200 from /readyz (informers synced), resident set size from',
  `/proc at that moment and ${SETTLE_MS / 1000} s later, and the V8 heap from the operator's own /metrics. LOG_LEVEL warn, no leader election.`,
  FAIL_LISTS > 0
    ? `The first ${FAIL_LISTS} list requests of every start answered 500, so each start logged ${FAIL_LISTS} errors with stack traces before it was ready (retry backoff is in the start-up time).`
    : 'Every list succeeded at once (no error stack was formatted).',
  '',
  summaryHeader,
  ...rows,
  '',
  `## Medians relative to ${base.name}`,
  '',
  '| variant | RSS settled | start -> ready |',
  '|---|---|---|',
  ...ratios,
  '',
  `Node arguments per variant: ${variants
    .map(
      (v) =>
        `${v.name}: \`${v
          .args()
          .map((a) => path.relative(process.cwd(), a) || a)
          .join(' ')}\``,
    )
    .join('; ')}.`,
];
writeResult(
  { kubernetesVersion: 'none (loopback fake API server, empty lists)' },
  `startup${FAIL_LISTS > 0 ? '-with-errors' : ''}${
    EXTRA.length
      ? `-${EXTRA.join('')
          .replace(/[^a-z0-9]+/gi, '-')
          .replace(/^-+|-+$/g, '')}`
      : ''
  }`,
  'Operator fixed cost: start-up time and RSS with nothing cached',
  commandLine('startup.ts'),
  body.join('\n'),
  loadBefore,
);
