// Graceful shutdown of a real child process under load, with a tiny "kube-proxy" in the test:
// the load loop sends each request to one of the READY backends, and a watcher polls /readyz
// every 50 ms and drops backends that are not ready (as the endpoints controller would).
import { afterEach, describe, expect, it } from 'vitest';
import { spawnService, waitFor, type Child } from '../../testing/child.ts';
import { testUsersEnv } from '../../testing/stack.ts';

const children: Child[] = [];
afterEach(() => {
  for (const c of children.splice(0)) if (c.proc.exitCode === null) c.proc.kill('SIGKILL');
});

async function startAuthChild(extra: Record<string, string>): Promise<{ child: Child; url: string }> {
  const child = spawnService('auth', {
    AUTH_USERS: await testUsersEnv(),
    HOST: '127.0.0.1',
    PORT: '0',
    VERSION: 'v1',
    COLOR: 'blue',
    ...extra,
  });
  children.push(child);
  return { child, url: `http://127.0.0.1:${await child.port}` };
}

interface Outcome {
  backend: string;
  startedAt: number;
  endedAt: number;
  ok: boolean;
  detail: string;
}

describe('graceful shutdown', () => {
  it('Given steady load on two pods, When one gets SIGTERM, Then no request fails and in-flight ones finish', async () => {
    const delayMs = 500;
    const [a, b] = await Promise.all([
      // A answers slowly so some of its requests are still in flight when its listener closes.
      startAuthChild({ SHUTDOWN_DELAY_SECONDS: String(delayMs / 1000), FAULT_LATENCY_MS: '800' }),
      startAuthChild({ SHUTDOWN_DELAY_SECONDS: '0' }),
    ]);
    const ready = new Set([a.url, b.url]);
    const outcomes: Outcome[] = [];
    let stop = false;

    const watcher = (async () => {
      while (!stop) {
        for (const url of [a.url, b.url]) {
          const ok = await fetch(`${url}/readyz`, { signal: AbortSignal.timeout(500) }).then(
            (r) => r.ok,
            () => false,
          );
          if (!ok) ready.delete(url);
        }
        // Poll interval of this background readiness watcher (it runs until the test stops it),
        // not a wait for an outcome: every assertion below waits on a condition with a deadline.
        await new Promise((r) => setTimeout(r, 50));
      }
    })();

    let turn = 0;
    const worker = async () => {
      while (!stop) {
        const targets = [...ready];
        const backend = targets[turn++ % targets.length]!;
        const startedAt = performance.now();
        try {
          const res = await fetch(`${backend}/.well-known/jwks.json`, { signal: AbortSignal.timeout(5000) });
          await res.arrayBuffer();
          outcomes.push({
            backend,
            startedAt,
            endedAt: performance.now(),
            ok: res.status === 200,
            detail: String(res.status),
          });
        } catch (err) {
          const cause = (err as { cause?: { code?: string } }).cause?.code ?? (err as Error).message;
          outcomes.push({ backend, startedAt, endedAt: performance.now(), ok: false, detail: cause });
        }
      }
    };
    const workers = Array.from({ length: 12 }, worker);

    const served = (backend: string) => outcomes.filter((o) => o.backend === backend && o.ok).length;
    await waitFor(
      'both pods to serve traffic',
      () => served(a.url) >= 5 && served(b.url) >= 20,
      10_000,
      () => `a=${served(a.url)} b=${served(b.url)}`,
    );
    const sigtermAt = performance.now();
    a.child.proc.kill('SIGTERM');
    // A deadline, not a sleep: resolves as soon as the child exits; 'timeout' fails the assertion below.
    const code = await Promise.race([
      a.child.exited,
      new Promise((r) => setTimeout(() => r('timeout'), 15_000).unref()),
    ]);
    const exitedAt = performance.now();
    const afterExit = outcomes.length;
    await waitFor(
      'traffic to continue on the remaining pod',
      () => outcomes.length >= afterExit + 50,
      10_000,
      () => `${outcomes.length - afterExit} more`,
    );
    stop = true;
    await Promise.all([...workers, watcher]);

    const failures = outcomes.filter((o) => !o.ok);
    expect(failures, `failed requests: ${JSON.stringify(failures.slice(0, 5))}`).toEqual([]);
    expect(code).toBe(0);
    // Requests that were in flight when A stopped accepting (SIGTERM + delay) still completed.
    const finishedLate = outcomes.filter(
      (o) => o.backend === a.url && o.startedAt < sigtermAt && o.endedAt > sigtermAt + delayMs,
    );
    expect(finishedLate.length).toBeGreaterThan(0);
    expect(outcomes.filter((o) => o.backend === b.url && o.startedAt > exitedAt).length).toBeGreaterThan(0);
    const log = a.child.stdout.map((l) => JSON.parse(l) as { msg: string });
    expect(log.map((l) => l.msg)).toEqual(expect.arrayContaining(['draining', 'stopped']));
  }, 60_000);

  it('marks responses Connection: close and readiness 503 during the drain delay, then exits 0', async () => {
    const { child, url } = await startAuthChild({ SHUTDOWN_DELAY_SECONDS: '2' });
    child.proc.kill('SIGTERM');
    let seen = '';
    await waitFor(
      'readiness to turn false',
      async () => {
        const res = await fetch(`${url}/readyz`);
        seen = `${res.status} ${res.headers.get('connection')} ${await res.text()}`;
        return res.status === 503;
      },
      5000,
      () => seen,
    );
    expect(seen).toBe('503 close {"status":"not_ready","reasons":["draining"]}');
    const business = await fetch(`${url}/.well-known/jwks.json`);
    expect([business.status, business.headers.get('connection')]).toEqual([200, 'close']);
    expect(await child.exited).toBe(0);
  });

  it.each([
    [{ PORT: 'abc' }, 'auth', 'invalid configuration: PORT must be an integer in 0..65535, got "abc"'],
    [
      { FAULT_ERROR_RATE: '1.5' },
      'auth',
      'invalid configuration: FAULT_ERROR_RATE must be a number in 0..1, got "1.5"',
    ],
    [{}, 'orders', 'invalid configuration: PAYMENTS_URL is required but not set'],
    [{}, 'billing', 'SERVICE must be one of auth, orders, payments, notifications (argument or env), got "billing"'],
  ])('refuses %j for %s with one line on stderr and exit code 1', async (env, service, line) => {
    const child = spawnService(service, { AUTH_USERS: await testUsersEnv(), ...env });
    children.push(child);
    expect(await child.exited).toBe(1);
    expect(child.stderr.join('')).toBe(`${line}\n`);
  });
});
