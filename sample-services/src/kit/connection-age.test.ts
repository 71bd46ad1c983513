import http from 'node:http';
import type { Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createConnectionAgeCheck } from './connection-age.ts';
import { createAuthService } from '../auth/service.ts';
import { baseEnv, start, stopAll, testUsersEnv, type Started } from '../../testing/stack.ts';

const socket = () => ({}) as Socket;

describe('maximum keep-alive connection age', () => {
  it('Given a max age, Then a socket expires at its jittered deadline (80-100 % of the max), never later', () => {
    let t = 1_000;
    const check = createConnectionAgeCheck({ maxAgeMs: 1_000, now: () => t, random: () => 0.5 });
    const a = socket();
    expect(check(a)).toBe(false); // first seen at 1000: deadline 1000 + 900
    t = 1_899;
    expect(check(a)).toBe(false);
    const b = socket(); // first seen at 1899: its own deadline
    t = 1_900;
    expect([check(a), check(b)]).toEqual([true, false]);
    const worst = createConnectionAgeCheck({ maxAgeMs: 1_000, now: () => t, random: () => 0 });
    const c = socket();
    worst(c);
    t += 1_000;
    expect(worst(c)).toBe(true);
  });

  it('Given max age 0, Then no connection ever expires', () => {
    let t = 0;
    const check = createConnectionAgeCheck({ maxAgeMs: 0, now: () => t });
    const a = socket();
    check(a);
    t = 1e12;
    expect(check(a)).toBe(false);
  });

  let started: Started | undefined;
  afterEach(() => stopAll(started));

  it('Given a pooled keep-alive client, When its connections pass the max age, Then they are replaced after a response and no request fails', async () => {
    started = await start(
      createAuthService(baseEnv({ AUTH_USERS: await testUsersEnv(), MAX_CONNECTION_AGE_SECONDS: '0.2' })),
    );
    const agent = new http.Agent({ keepAlive: true, maxSockets: 2 });
    const url = `${started.url}/.well-known/jwks.json`;
    const ports = new Set<number>();
    let closes = 0;
    let failed = 0;
    const deadline = Date.now() + 10_000;
    // Until we have seen every socket of the pool replaced at least twice (or the deadline).
    while (ports.size < 6 && Date.now() < deadline) {
      await Promise.all(
        [0, 1].map(
          () =>
            new Promise<void>((resolve) => {
              const req = http.get(url, { agent }, (res) => {
                ports.add(res.socket.localPort!);
                if (res.headers['connection'] === 'close') closes++;
                if (res.statusCode !== 200) failed++;
                res.resume();
                res.on('end', resolve);
              });
              req.on('error', () => {
                failed++;
                resolve();
              });
            }),
        ),
      );
    }
    agent.destroy();
    expect({ failed, socketsUsed: ports.size >= 6 }).toEqual({ failed: 0, socketsUsed: true });
    expect(closes).toBeGreaterThanOrEqual(4);
  });
});
