// The generator against a real local server: open model (the rate holds while the server is
// slow), honest failures, and the split by a response header.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { runLoad, type GeneratorOptions } from './generator.ts';

let server: http.Server | undefined;
afterEach(() => new Promise<void>((r) => (server ? server.close(() => r()) : r())));

async function serve(handler: http.RequestListener): Promise<string> {
  server = http.createServer(handler);
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
}

const options = (url: string, extra: Partial<GeneratorOptions> = {}): GeneratorOptions => ({
  url,
  profile: { startRate: 40, stages: [{ durationSeconds: 2, rate: 40 }] },
  keepAlive: true,
  maxConnections: 0,
  timeoutMs: 5_000,
  maxInFlight: 10_000,
  splitHeader: 'X-Color',
  ...extra,
});

describe('open-model generator', () => {
  it('Given a server that answers in 400 ms, Then it still sends 40/s (a closed loop of 4 would send 20)', async () => {
    // The server under test is slow on purpose (its answer time is the fixture, not a wait).
    const url = await serve((_req, res) => setTimeout(() => res.end('ok'), 400));
    const stats = await runLoad(options(url, { maxConnections: 0 }));
    expect(stats.requests).toBe(80);
    expect(stats.failed).toBe(0);
    expect(stats.latencyMs.p50).toBeGreaterThanOrEqual(400);
  });

  it('Given errors and a colour header, Then failures (>= 400 or no answer) and the split are counted', async () => {
    let n = 0;
    const url = await serve((_req, res) => {
      n++;
      res.setHeader('X-Color', n % 2 ? 'blue' : 'green');
      res.statusCode = n % 4 === 0 ? 503 : 200;
      res.end();
    });
    const stats = await runLoad(options(url, { keepAlive: false }));
    expect(stats.requests).toBe(80);
    expect(stats.failed).toBe(20);
    expect(stats.errorRate).toBe(0.25);
    expect(stats.split).toEqual({ blue: 40, green: 40 });
    expect(stats.statuses).toEqual({ '200': 60, '503': 20 });
    expect(stats.timeline.reduce((s, x) => s + x.sent, 0)).toBe(80);
  });

  it('Given a port nobody listens on, Then every request fails with the connection error', async () => {
    const url = await serve(() => undefined);
    await new Promise<void>((r) => server!.close(() => r()));
    server = undefined;
    const stats = await runLoad(
      options(url, { profile: { startRate: 10, stages: [{ durationSeconds: 1, rate: 10 }] } }),
    );
    expect(stats.failed).toBe(10);
    expect(stats.errors).toEqual({ ECONNREFUSED: 10 });
    expect(stats.latencyMs.p99).toBeNaN();
  });

  it('Given headers and an abort after the first requests, Then every request carries them and the run ends early', async () => {
    const seen: (string | undefined)[] = [];
    const stop = new AbortController();
    const url = await serve((req, res) => {
      seen.push(req.headers.authorization);
      if (seen.length === 5) stop.abort();
      res.end('ok');
    });
    const stats = await runLoad(
      options(url, {
        headers: { authorization: 'Bearer t' },
        profile: { startRate: 20, stages: [{ durationSeconds: 30, rate: 20 }] },
      }),
      undefined,
      stop.signal,
    );
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect(new Set(seen)).toEqual(new Set(['Bearer t']));
    // A 30 s profile stopped after ~0.25 s: the timeline holds the seconds that ran, not 30.
    expect(stats.requests).toBeLessThan(40);
    expect(stats.timeline.length).toBeLessThanOrEqual(2);
  });
});
