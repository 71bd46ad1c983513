// npm run loadtest -- <scenario> --url <url> | --service [namespace/]name[:port] [options]
// Runs one scenario from this machine (--url) or from a Job inside the cluster (--service, or
// --in-cluster with --url), writes results.json and report.html, prints every threshold and
// PASS or FAIL, and exits 0 on pass, 1 on fail, 2 on bad usage.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { runLoad, type GeneratorOptions, type RunStats } from './engine/generator.ts';
import { checkProfile } from './engine/profile.ts';
import { renderReport } from './report-html.ts';
import { scaled, scenarios, type Scenario } from './scenarios.ts';
import { judge } from './thresholds.ts';

const USAGE = `usage: npm run loadtest -- <${Object.keys(scenarios).join('|')}> (--url URL | --service [ns/]name[:port]) [options]
  --url URL               target as seen from where the load runs (this machine, or the Job with --in-cluster)
  --service [ns/]name[:port]  a Service, hit by DNS name from a Job in the cluster (implies --in-cluster)
  --path /p               request path with --service (default /)
  --in-cluster            run the generator as a Job (namespace: --namespace, default the Service's or "default")
  --image IMG             any image with node >= 22.18 on PATH, for the Job (default $LOADTEST_IMAGE or node:24.21.0-bookworm-slim)
  --no-keep-alive         one TCP connection per request (default: a pool of kept-alive connections)
  --max-connections N     cap on the keep-alive pool (default 0 = no cap)
  --rate-scale X          multiply every rate of the scenario (default 1)
  --duration-scale X      multiply every duration (default 1)
  --file F.json           a scenario of your own: {"description","profile":{"startRate","stages":[{"durationSeconds","rate"}]},"thresholds":{...}}
  --max-error-rate X  --p95 MS  --p99 MS  --max-lag MS   override the scenario's thresholds
  --split-header H        count responses by this header's value (default X-Color)
  --timeout-ms MS         per request (default 5000)
  --out DIR               where results.json and report.html go (default loadtest/results/<scenario>-<time>)
  --kubeconfig F  --context C`;

function fail(message: string): never {
  console.error(`loadtest: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function num(v: string | undefined, name: string, fallback: number, positive = false): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n < 0 || (positive && n === 0))
    fail(`--${name} must be a number ${positive ? '> 0' : '>= 0'}, got "${v}"`);
  return n;
}

function args() {
  try {
    return parseArgs({
      allowPositionals: true,
      options: {
        url: { type: 'string' },
        service: { type: 'string' },
        path: { type: 'string', default: '/' },
        'in-cluster': { type: 'boolean', default: false },
        namespace: { type: 'string' },
        image: { type: 'string' },
        'no-keep-alive': { type: 'boolean', default: false },
        'max-connections': { type: 'string' },
        'rate-scale': { type: 'string' },
        'duration-scale': { type: 'string' },
        file: { type: 'string' },
        'max-error-rate': { type: 'string' },
        p95: { type: 'string' },
        p99: { type: 'string' },
        'max-lag': { type: 'string' },
        'split-header': { type: 'string', default: 'X-Color' },
        'timeout-ms': { type: 'string' },
        out: { type: 'string' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    fail((err as Error).message);
  }
}
const { values: a, positionals } = args();
if (a.help) {
  console.log(USAGE);
  process.exit(0);
}

const name = positionals[0] ?? (a.file ? path.basename(a.file, '.json') : fail('name a scenario or give --file'));
let scenario: Scenario;
if (a.file) scenario = JSON.parse(await readFile(a.file, 'utf8')) as Scenario;
else scenario = scenarios[name] ?? fail(`unknown scenario "${name}"`);
const profile = scaled(
  scenario.profile,
  num(a['rate-scale'], 'rate-scale', 1, true),
  num(a['duration-scale'], 'duration-scale', 1, true),
);
try {
  checkProfile(profile, a.file ?? name);
} catch (err) {
  fail((err as Error).message);
}
const thresholds = {
  ...scenario.thresholds,
  maxErrorRate: num(a['max-error-rate'], 'max-error-rate', scenario.thresholds.maxErrorRate),
  p95Ms: num(a.p95, 'p95', scenario.thresholds.p95Ms),
  p99Ms: num(a.p99, 'p99', scenario.thresholds.p99Ms),
  maxGeneratorLagP99Ms: num(a['max-lag'], 'max-lag', scenario.thresholds.maxGeneratorLagP99Ms),
};

let url = a.url;
let namespace = a.namespace;
const inCluster = a['in-cluster'] || a.service !== undefined;
if (a.service !== undefined) {
  if (url !== undefined) fail('give --url or --service, not both');
  const m = /^(?:([a-z0-9-]+)\/)?([a-z0-9-]+)(?::(\d+))?$/.exec(a.service);
  if (!m) fail(`--service must look like [namespace/]name[:port], got "${a.service}"`);
  namespace ??= m[1] ?? 'default';
  url = `http://${m[2]}.${m[1] ?? namespace}.svc:${m[3] ?? '80'}${a.path.startsWith('/') ? a.path : `/${a.path}`}`;
}
if (url === undefined) fail('give --url or --service');
try {
  new URL(url);
} catch {
  fail(`--url must be an absolute http(s) URL, got "${url}"`);
}

const generator: GeneratorOptions = {
  url,
  profile,
  keepAlive: !a['no-keep-alive'],
  maxConnections: num(a['max-connections'], 'max-connections', 0),
  timeoutMs: num(a['timeout-ms'], 'timeout-ms', 5_000, true),
  maxInFlight: 10_000,
  splitHeader: a['split-header'],
};

console.log(
  `loadtest ${name}: ${scenario.description}${a['rate-scale'] || a['duration-scale'] ? ' (scaled)' : ''}\n` +
    `  target ${url} from ${inCluster ? 'a Job in the cluster' : 'this machine'}, keep-alive ${generator.keepAlive ? 'on' : 'off'}`,
);
let stats: RunStats;
if (inCluster) {
  // Loaded only here: the Kubernetes client costs seconds of start-up a local run does not need.
  const [{ KubeConfig }, { runInCluster }] = await Promise.all([
    import('@kubernetes/client-node'),
    import('./in-cluster.ts'),
  ]);
  const kc = new KubeConfig();
  if (a.kubeconfig) kc.loadFromFile(a.kubeconfig);
  else kc.loadFromDefault();
  if (a.context) kc.setCurrentContext(a.context);
  stats = await runInCluster({
    kc,
    namespace: namespace ?? 'default',
    image: a.image ?? process.env['LOADTEST_IMAGE'] ?? 'node:24.21.0-bookworm-slim',
    generator,
  });
} else {
  stats = await runLoad(generator, (s) =>
    console.log(`  t=${s.second}s target=${s.targetRate}/s sent=${s.sent} failed=${s.failed} p99=${s.p99}ms`),
  );
}

const verdicts = judge(stats, thresholds);
const pass = verdicts.every((v) => v.pass);
const out = a.out ?? path.join('loadtest', 'results', `${name}-${stats.startedAt.replace(/[:.]/g, '-')}`);
await mkdir(out, { recursive: true });
await writeFile(
  path.join(out, 'results.json'),
  JSON.stringify(
    {
      scenario: name,
      ...scenario,
      profile,
      thresholds,
      where: inCluster ? 'in-cluster' : 'local',
      pass,
      verdicts,
      stats,
    },
    null,
    2,
  ),
);
await writeFile(path.join(out, 'report.html'), renderReport(name, stats, verdicts));

console.log(
  `\n  ${stats.requests} requests in ${stats.durationSeconds} s, ${stats.failed} failed; split by ${generator.splitHeader}: ${JSON.stringify(stats.split)}`,
);
for (const v of verdicts)
  console.log(
    `  ${v.pass ? 'pass' : 'FAIL'}  ${v.name.padEnd(22)} ${String(v.actual).padStart(10)}  (${v.op} ${v.limit})`,
  );
if (Object.keys(stats.errors).length > 0) console.log(`  errors: ${JSON.stringify(stats.errors)}`);
console.log(
  `\n${pass ? 'PASS' : 'FAIL'} ${name}  (results: ${path.join(out, 'results.json')}, plot: ${path.join(out, 'report.html')})`,
);
process.exitCode = pass ? 0 : 1;
