// The kubectl plugin's single executable (cli/build/sea.ts, docs/adr/0020): how big it is, how
// long it takes to start, and that it runs with no Node on PATH. No cluster: the commands that
// read go to a local stand-in API server (cli/testing/api-server.ts) serving a recorded release.
//
//   npx node bench/cli/sea.ts [--runs=20]
//
// Each run is one process, timed from spawn to exit by this script (start-up, KubeConfig, the
// requests, rendering and exit); variants run round-robin so a noisy neighbour hits them alike.
// Writes bench/results/cli-sea-<date>.md.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { buildSea } from '../../cli/build/sea.ts';
import { listOf, startFakeApiServer, type Route } from '../../cli/testing/api-server.ts';
import { recordedRelease } from '../../cli/testing/recorded.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const runsFlag = process.argv.find((a) => a.startsWith('--runs='));
const RUNS = runsFlag ? Number(runsFlag.slice('--runs='.length)) : 20;
const exec = promisify(execFile);

const version = (pkg: string) =>
  (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', pkg, 'package.json'), 'utf8')) as { version: string })
    .version;

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

const { snapshot } = recordedRelease(5);
const route: Route = (req) => {
  if (req.path.endsWith('/bluegreenservices/auth')) return { status: 200, body: snapshot.bgs };
  if (req.path.endsWith('/bluegreenservices')) return listOf([snapshot.bgs]);
  if (req.path.endsWith('/deployments')) return listOf([...snapshot.deployments]);
  if (req.path.endsWith('/pods')) return listOf([...snapshot.pods]);
  if (req.path.endsWith('/events')) return listOf([...snapshot.events]);
  return undefined;
};

const loadBefore = os.loadavg();
const outdir = mkdtempSync(path.join(os.tmpdir(), 'bench-cli-sea-'));
const emptyPath = mkdtempSync(path.join(os.tmpdir(), 'bench-cli-empty-path-'));
const server = await startFakeApiServer(route);
try {
  console.log('building the single executable ...');
  const sea = await buildSea(outdir);
  const nodeBytes = statSync(process.execPath).size;
  // No node on PATH for the executable: PATH is an empty directory.
  const noNode = { env: { PATH: emptyPath } };
  const nodeMissing = await exec('node', ['--version'], noNode).then(
    () => false,
    (err: unknown) => (err as { code?: string }).code === 'ENOENT',
  );
  const seaVersion = (await exec(sea.executable, ['version'], noNode)).stdout.trim();
  const kc = ['--kubeconfig', server.kubeconfig];
  const variants: { label: string; file: string; args: string[]; env: Record<string, string> }[] = [
    { label: 'executable: version', file: sea.executable, args: ['version'], env: noNode.env },
    { label: 'node + bundle: version', file: process.execPath, args: [sea.bundle, 'version'], env: {} },
    { label: 'executable: list (1 request)', file: sea.executable, args: ['list', ...kc], env: noNode.env },
    { label: 'node + bundle: list (1 request)', file: process.execPath, args: [sea.bundle, 'list', ...kc], env: {} },
    { label: 'executable: get NAME (4 requests)', file: sea.executable, args: ['get', 'auth', ...kc], env: noNode.env },
    {
      label: 'node + bundle: get NAME (4 requests)',
      file: process.execPath,
      args: [sea.bundle, 'get', 'auth', ...kc],
      env: {},
    },
  ];
  const times = new Map(variants.map((v) => [v.label, [] as number[]]));
  for (let run = 0; run <= RUNS; run++) {
    for (const v of variants) {
      const t0 = performance.now();
      await exec(v.file, v.args, { env: v.env });
      // Run 0 warms the page cache (the 123 MiB executable is read from disk the first time).
      if (run > 0) times.get(v.label)!.push(performance.now() - t0);
    }
  }
  const mib = (n: number) => (n / 1024 / 1024).toFixed(1);
  const rows = variants.map((v) => {
    const t = times.get(v.label)!;
    return `| ${v.label} | ${t.length} | ${Math.min(...t).toFixed(0)} | ${median(t).toFixed(0)} | ${Math.max(...t).toFixed(0)} |`;
  });
  const ratio = (a: string, b: string) => (median(times.get(a)!) / median(times.get(b)!)).toFixed(2);
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const body = [
    `# kubectl-bluegreen as a single executable: size and start-up`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.type()} ${os.release()} ${os.arch()}`,
    `- load average (1/5/15 min) before: ${load(loadBefore)}, after: ${load(os.loadavg())} (the machine is shared)`,
    `- versions: Node ${process.version} (the binary the executable is built from), esbuild ${version('esbuild')}, postject ${version('postject')}, @kubernetes/client-node ${version('@kubernetes/client-node')}, ${seaVersion}`,
    `- command: \`npx node bench/cli/sea.ts --runs=${RUNS}\``,
    '',
    '## Size',
    '',
    '| file | MiB |',
    '|---|---|',
    `| single executable (\`npm run -w cli sea\`) | ${mib(sea.bytes)} |`,
    `| of which the Node binary it is built from | ${mib(nodeBytes)} |`,
    `| the bundle (\`kubectl-bluegreen.cjs\`, what \`npm install -g kubectl-bluegreen\` runs) | ${mib(sea.bundleBytes)} |`,
    '',
    `Built in ${(sea.ms / 1000).toFixed(1)} s (bundle, preparation blob, copy, injection).`,
    '',
    '## Start-up: spawn to exit, ms',
    '',
    `Round-robin, ${RUNS} runs each after one warm-up round; list and get read from a local stand-in API server (loopback HTTP, a recorded release).`,
    '',
    '| variant | n | min | median | max |',
    '|---|---|---|---|---|',
    ...rows,
    '',
    `Median ratios, executable / node + bundle: version ${ratio('executable: version', 'node + bundle: version')}, list ${ratio('executable: list (1 request)', 'node + bundle: list (1 request)')}, get ${ratio('executable: get NAME (4 requests)', 'node + bundle: get NAME (4 requests)')}.`,
    '',
    '## Runs with no Node on PATH',
    '',
    `With PATH an empty directory, \`node --version\` ${nodeMissing ? 'is not found (ENOENT)' : 'WAS FOUND (the check proves nothing)'} and the executable answered \`${seaVersion}\`; every executable run above used that PATH.`,
    '',
  ].join('\n');
  const file = path.join(repoRoot, 'bench/results', `cli-sea-${new Date().toISOString().slice(0, 10)}.md`);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, body);
  console.log(body);
  console.log(`wrote ${path.relative(repoRoot, file)}`);
} finally {
  await server.close();
  rmSync(outdir, { recursive: true, force: true });
  rmSync(emptyPath, { recursive: true, force: true });
}
