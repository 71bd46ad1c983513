// Middleware overhead without sockets: drives the kit's orders app and the bare-Koa orders app
// with synthetic requests in ONE process, alternating small batches, and reports CPU µs per
// request. Sockets and the kernel are the same for both arms in the HTTP benchmark, so this
// isolates what the kit adds (identity headers, RED metrics, probes check) from the box's noise.
//
//   node_modules/.bin/node bench/sample-services/overhead.ts        (BATCHES=200 BATCH=500)
// Writes bench/results/sample-services-overhead-<date>.md.
import { writeFileSync } from 'node:fs';
import { IncomingMessage, ServerResponse } from 'node:http';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { Socket } from 'node:net';
import type Koa from 'koa';
import { createTokenVerifier, loadSigningKey, ordersApp } from '../../sample-services/src/index.ts';
import { SignJWT } from 'jose';

const BATCHES = Number(process.env['BATCHES'] ?? 200);
const BATCH = Number(process.env['BATCH'] ?? 500);
const env = {
  PAYMENTS_URL: 'http://127.0.0.1:1',
  NOTIFICATIONS_URL: 'http://127.0.0.1:1',
  LOG_LEVEL: 'error',
  VERSION: 'v1',
  COLOR: 'blue',
};

const key = await loadSigningKey({});
const token = await new SignJWT({})
  .setProtectedHeader({ alg: 'ES256' })
  .setSubject('alice')
  .setIssuer('bluegreen-auth')
  .setAudience('bluegreen-samples')
  .setExpirationTime('1h')
  .sign(key.privateKey);
const verify = createTokenVerifier(key.publicKey, { issuer: 'bluegreen-auth', audience: 'bluegreen-samples' });
function bareApp(): Koa {
  return ordersApp(env, 'bare', verify);
}
function kitApp(metricsEnabled: boolean): Koa {
  return ordersApp(env, 'kit', verify, metricsEnabled);
}

function drive(handler: ReturnType<Koa['callback']>): Promise<void> {
  const req = new IncomingMessage(new Socket());
  req.method = 'GET';
  req.url = '/orders?limit=10';
  req.headers = { host: 'x', authorization: `Bearer ${token}` };
  req.push(null);
  const res = new ServerResponse(req);
  return new Promise((resolve) => {
    const end = res.end.bind(res);
    res.end = ((...args: Parameters<typeof end>) => {
      if (res.statusCode !== 200) throw new Error(`status ${res.statusCode}`);
      resolve();
      return end(...args);
    }) as typeof res.end;
    void handler(req, res);
  });
}

const arms = {
  bare: bareApp().callback(),
  'kit, metrics off': kitApp(false).callback(),
  'kit (metrics on)': kitApp(true).callback(),
};
const cpu: Record<string, number[]> = Object.fromEntries(Object.keys(arms).map((k) => [k, []]));
for (let b = -20; b < BATCHES; b++) {
  for (const [name, handler] of Object.entries(arms)) {
    const t0 = process.cpuUsage();
    for (let i = 0; i < BATCH; i++) await drive(handler);
    const t = process.cpuUsage(t0);
    if (b >= 0) cpu[name]!.push((t.user + t.system) / BATCH); // first 20 batches warm the JIT
  }
}
const median = (v: number[]) => [...v].sort((a, b) => a - b)[Math.floor(v.length / 2)]!;
const base = median(cpu['bare']!);
const lines = [
  '# sample-services — kit middleware overhead without sockets',
  '',
  `- Date: ${new Date().toISOString()}; machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')} (shared, noisy box)`,
  `- Node ${process.versions.node}; GET /orders?limit=10 with a cached token, driven through each app's callback with synthetic requests, arms alternating in batches of ${BATCH}; CPU time of this process`,
  '- Reproduce: `node_modules/.bin/node bench/sample-services/overhead.ts` (BATCHES, BATCH)',
  '',
  '| arm | median CPU µs/request | added vs bare | bare/arm |',
  '|---|---|---|---|',
];
for (const [name, values] of Object.entries(cpu)) {
  const m = median(values);
  lines.push(`| ${name} | ${m.toFixed(2)} | +${(m - base).toFixed(2)} µs | ${(base / m).toFixed(3)} |`);
}
console.log(lines.join('\n'));
const file = fileURLToPath(
  new URL(`../results/sample-services-overhead-${new Date().toISOString().slice(0, 10)}.md`, import.meta.url),
);
writeFileSync(file, lines.join('\n') + '\n');
process.exit(0);
