// Test helpers: real services on ephemeral loopback ports, started in-process.
import { createServer } from 'node:net';
import type { Env } from '../src/kit/config.ts';
import type { RunningService, Service } from '../src/kit/service.ts';
import { createAuthService } from '../src/auth/service.ts';
import { hashPassword } from '../src/auth/passwords.ts';

export const TEST_USERS = { alice: 'alice-password', bob: 'bob-password' } as const;

let usersValue: Promise<string> | undefined;
/** AUTH_USERS for the test users; hashed once per test file (scrypt is deliberately slow). */
export function testUsersEnv(): Promise<string> {
  usersValue ??= (async () => {
    const entries = await Promise.all(
      Object.entries(TEST_USERS).map(async ([u, p]) => `${u}=${await hashPassword(p)}`),
    );
    return entries.join(',');
  })();
  return usersValue;
}

export function baseEnv(extra: Env = {}): Env {
  return {
    HOST: '127.0.0.1',
    PORT: '0',
    LOG_LEVEL: 'error',
    SHUTDOWN_DELAY_SECONDS: '0',
    VERSION: 'v1',
    COLOR: 'blue',
    ...extra,
  };
}

export interface Started {
  service: Service;
  running: RunningService;
  url: string;
}

export async function start(service: Service | Promise<Service>): Promise<Started> {
  const s = await service;
  const running = await s.listen();
  return { service: s, running, url: running.url };
}

export async function startAuth(extra: Env = {}, deps: Parameters<typeof createAuthService>[1] = {}): Promise<Started> {
  return start(createAuthService(baseEnv({ AUTH_USERS: await testUsersEnv(), ...extra }), deps));
}

export async function login(authUrl: string, username: keyof typeof TEST_USERS): Promise<string> {
  const res = await fetch(`${authUrl}/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password: TEST_USERS[username] }),
  });
  if (res.status !== 200) throw new Error(`login ${username} failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function stopAll(...started: (Started | undefined)[]): Promise<void> {
  await Promise.all(started.map((s) => (s ? s.running.shutdown('test done') : Promise.resolve())));
}

/** Parses Prometheus text format into samples; enough for assertions, not a full parser. */
export function parseMetrics(text: string): { name: string; labels: Record<string, string>; value: number }[] {
  const out: { name: string; labels: Record<string, string>; value: number }[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) throw new Error(`unparseable metrics line: ${line}`);
    const labels: Record<string, string> = {};
    for (const l of (m[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[l[1]!] = l[2]!;
    out.push({ name: m[1]!, labels, value: Number(m[3]) });
  }
  return out;
}

/** A loopback port that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}
