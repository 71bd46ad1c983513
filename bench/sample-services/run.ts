// Benchmark: orders with the kit (metrics on) vs the same routes on bare Koa, same run, same box.
//
//   npm run -w sample-services bench            (ROUNDS=5 DURATION=10 CONNECTIONS=32 by default)
//
// auth, payments and notifications run as child processes (real services); each orders arm is
// its own child process; autocannon runs here. Rounds interleave the arms (A B, then B A) so
// the noise of a busy 2-core box lands on both; we report medians and the median of per-round
// ratios. Writes bench/results/sample-services-<date>.md.
import { execSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { spawnService, type Child } from '../../sample-services/testing/child.ts';
import { login, testUsersEnv } from '../../sample-services/testing/stack.ts';

interface Result {
  requests: { average: number; total: number };
  latency: { p99: number; p50: number };
  errors: number;
  timeouts: number;
  non2xx: number;
}
type Autocannon = (opts: Record<string, unknown>) => Promise<Result>;
const require = createRequire(import.meta.url);
const autocannon = require('autocannon') as Autocannon;

const ROUNDS = Number(process.env['ROUNDS'] ?? 5);
const DURATION = Number(process.env['DURATION'] ?? 10);
const CONNECTIONS = Number(process.env['CONNECTIONS'] ?? 32);
const WARMUP = Number(process.env['WARMUP'] ?? 2);
const PAIRED_ROUNDS = Number(process.env['PAIRED_ROUNDS'] ?? 5);
const ARMS = ['kit', 'bare'] as const;
type Arm = (typeof ARMS)[number];
const ORDER = JSON.stringify({ items: [{ sku: 'BOOK-42', quantity: 2, unitPriceCents: 1999 }], currency: 'EUR' });

const children: Child[] = [];
process.on('exit', () => children.forEach((c) => c.proc.kill('SIGKILL')));

function median(values: readonly number[]): number {
  const s = [...values].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

async function startService(name: string, env: Record<string, string>): Promise<string> {
  const child = spawnService(name, { HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info', ...env });
  children.push(child);
  return `http://127.0.0.1:${await child.port}`;
}

async function startArm(arm: Arm, env: Record<string, string>): Promise<string> {
  const entry = fileURLToPath(new URL('./orders-server.ts', import.meta.url));
  const proc = spawn(process.execPath, [entry], {
    env: { ...env, ARM: arm, HOST: '127.0.0.1', PORT: '0', LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push({ proc } as Child);
  pids[arm] = proc.pid;
  return new Promise((resolve, reject) => {
    proc.stdout.on('data', (chunk: Buffer) => {
      for (const line of chunk.toString().split('\n')) {
        if (line.includes('"listening"')) resolve(`http://127.0.0.1:${(JSON.parse(line) as { port: number }).port}`);
      }
    });
    proc.once('exit', (code) => reject(new Error(`${arm} arm exited ${code}`)));
  });
}

async function load(url: string, scenario: 'GET' | 'POST', token: string, duration: number): Promise<Result> {
  const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
  return autocannon({
    url: scenario === 'GET' ? `${url}/orders?limit=10` : `${url}/orders`,
    method: scenario,
    body: scenario === 'POST' ? ORDER : undefined,
    headers,
    connections: scenario === 'GET' ? CONNECTIONS : Math.max(1, CONNECTIONS / 2),
    duration,
  });
}

const authUrl = await startService('auth', { AUTH_USERS: await testUsersEnv() });
const common = { AUTH_URL: authUrl };
const [paymentsUrl, notificationsUrl] = await Promise.all([
  startService('payments', common),
  startService('notifications', { ...common, OUTBOX_CAPACITY: '10000' }),
]);
const armEnv = {
  ...common,
  PAYMENTS_URL: paymentsUrl,
  NOTIFICATIONS_URL: notificationsUrl,
  PATH: process.env['PATH'] ?? '',
};
const pids: Partial<Record<Arm, number>> = {};
const urls: Record<Arm, string> = { kit: await startArm('kit', armEnv), bare: await startArm('bare', armEnv) };

// CPU seconds used by an arm's process (utime + stime from /proc, 100 ticks/s). CPU per request
// is far steadier than req/s on a shared box: it does not care who else wants the cores.
function cpuSeconds(arm: Arm): number {
  const fields = readFileSync(`/proc/${pids[arm]}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}
const token = await login(authUrl, 'alice');

// Warm-up: JIT, token cache, and >= 10 orders in each arm so GET ?limit=10 returns the same size.
for (const arm of ARMS) for (const s of ['POST', 'GET'] as const) await load(urls[arm], s, token, 3);

const rows: { round: number; scenario: string; arm: Arm; rps: number; p99: number; bad: number; cpuUs: number }[] = [];
for (let round = 0; round < ROUNDS; round++) {
  for (const scenario of ['GET', 'POST'] as const) {
    const order = round % 2 === 0 ? ARMS : [...ARMS].reverse();
    for (const arm of order) {
      // A short unmeasured run first: the arm that waited idle otherwise starts cold (seen as a
      // steady first-position penalty in trial runs).
      await load(urls[arm], scenario, token, WARMUP);
      const cpuBefore = cpuSeconds(arm);
      const r = await load(urls[arm], scenario, token, DURATION);
      const cpuUs = ((cpuSeconds(arm) - cpuBefore) / r.requests.total) * 1e6;
      rows.push({
        round,
        scenario,
        arm,
        rps: r.requests.average,
        p99: r.latency.p99,
        bad: r.errors + r.timeouts + r.non2xx,
        cpuUs,
      });
      process.stderr.write(
        `round ${round + 1}/${ROUNDS} ${scenario} ${arm}: ${r.requests.average.toFixed(0)} req/s p99 ${r.latency.p99} ms cpu ${cpuUs.toFixed(0)} us/req bad ${r.errors + r.timeouts + r.non2xx}\n`,
      );
    }
  }
}

// Cross-check: both arms loaded AT THE SAME TIME (same connections each), so whatever else the
// box does hits both equally; the arms then compete for the same cores and dependencies.
const paired: { round: number; scenario: string; ratio: number; kit: number; bare: number; bad: number }[] = [];
for (let round = 0; round < PAIRED_ROUNDS; round++) {
  for (const scenario of ['GET', 'POST'] as const) {
    await Promise.all(ARMS.map((arm) => load(urls[arm], scenario, token, WARMUP)));
    const [kit, bare] = await Promise.all(ARMS.map((arm) => load(urls[arm], scenario, token, DURATION)));
    const bad = [kit!, bare!].reduce((n, r) => n + r.errors + r.timeouts + r.non2xx, 0);
    paired.push({
      round,
      scenario,
      kit: kit!.requests.average,
      bare: bare!.requests.average,
      ratio: kit!.requests.average / bare!.requests.average,
      bad,
    });
    process.stderr.write(
      `paired ${round + 1}/${PAIRED_ROUNDS} ${scenario}: kit ${kit!.requests.average.toFixed(0)} bare ${bare!.requests.average.toFixed(0)} req/s\n`,
    );
  }
}

const version = (pkg: string) =>
  (
    JSON.parse(readFileSync(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as {
      version: string;
    }
  ).version;
const date = new Date().toISOString().slice(0, 10);
const lines = [
  `# sample-services benchmark — orders with the kit (metrics on) vs bare Koa`,
  '',
  `- Date: ${new Date().toISOString()}`,
  `- Machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.type()} ${os.release()}; load average at end ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (the box is shared: another engineer builds Kubernetes)`,
  `- Versions: Node ${process.versions.node}, koa ${version('koa')}, @koa/router ${version('@koa/router')}, prom-client ${version('prom-client')}, jose ${version('jose')}, autocannon ${version('autocannon')}; commit ${execSync('git rev-parse --short HEAD').toString().trim()}`,
  `- Load: autocannon, ${DURATION} s per run, ${ROUNDS} rounds, arms interleaved (A B / B A), each measured run preceded by a ${WARMUP} s unmeasured run; GET /orders?limit=10 with ${CONNECTIONS} connections, POST /orders with ${Math.max(1, CONNECTIONS / 2)} (each POST calls payments twice and notifications once, all on this box)`,
  `- Reproduce: \`ROUNDS=${ROUNDS} PAIRED_ROUNDS=${PAIRED_ROUNDS} DURATION=${DURATION} WARMUP=${WARMUP} CONNECTIONS=${CONNECTIONS} npm run -w sample-services bench\``,
  '',
  '| scenario | arm | median req/s | median p99 (ms) | median orders CPU per request (µs) | failed/non-2xx |',
  '|---|---|---|---|---|---|',
];
const summary: string[] = [];
for (const scenario of ['GET', 'POST']) {
  const per = (arm: Arm) => rows.filter((r) => r.scenario === scenario && r.arm === arm);
  for (const arm of ARMS) {
    const rs = per(arm);
    lines.push(
      `| ${scenario} /orders | ${arm === 'kit' ? 'kit (metrics on)' : 'bare Koa'} | ${median(rs.map((r) => r.rps)).toFixed(0)} | ${median(rs.map((r) => r.p99)).toFixed(1)} | ${median(rs.map((r) => r.cpuUs)).toFixed(0)} | ${rs.reduce((s, r) => s + r.bad, 0)} |`,
    );
  }
  const ratios = per('kit').map((k) => k.rps / per('bare').find((b) => b.round === k.round)!.rps);
  const cpuRatios = per('kit').map((k) => per('bare').find((b) => b.round === k.round)!.cpuUs / k.cpuUs);
  summary.push(
    `- ${scenario}: kit/bare throughput ratio, median of per-round ratios = **${median(ratios).toFixed(3)}** (rounds: ${ratios.map((r) => r.toFixed(3)).join(', ')}); goal >= 0.85`,
  );
  summary.push(
    `- ${scenario}: requests per orders-CPU-second, kit/bare (= bare CPU/req ÷ kit CPU/req), median of per-round ratios = **${median(cpuRatios).toFixed(3)}** (rounds: ${cpuRatios.map((r) => r.toFixed(3)).join(', ')})`,
  );
}
for (const scenario of ['GET', 'POST']) {
  const ps = paired.filter((p) => p.scenario === scenario);
  if (ps.length === 0) continue;
  summary.push(
    `- ${scenario}, paired (both arms loaded at once, ${ps.length} rounds): kit/bare throughput ratio median = **${median(ps.map((p) => p.ratio)).toFixed(3)}** (rounds: ${ps.map((p) => p.ratio.toFixed(3)).join(', ')}; failed/non-2xx ${ps.reduce((n, p) => n + p.bad, 0)})`,
  );
}
lines.push(
  '',
  ...summary,
  '',
  '## Raw runs',
  '',
  '| round | scenario | arm | req/s | p99 (ms) | CPU µs/req | bad |',
  '|---|---|---|---|---|---|---|',
);
for (const r of rows)
  lines.push(
    `| ${r.round + 1} | ${r.scenario} | ${r.arm} | ${r.rps.toFixed(0)} | ${r.p99} | ${r.cpuUs.toFixed(0)} | ${r.bad} |`,
  );
const file = fileURLToPath(new URL(`../results/sample-services-${date}.md`, import.meta.url));
writeFileSync(file, lines.join('\n') + '\n');
process.stderr.write(`\n${summary.join('\n')}\nwrote ${file}\n`);
process.exit(0);
