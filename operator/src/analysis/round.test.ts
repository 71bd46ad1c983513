// measureRound with the real PrometheusClient and WebClient against one local server: the
// Prometheus API answers the value embedded in the rendered query ("v:<number>"), and
// /web/<color>?v=<number> answers {"color": ..., "ratio": <number>}, so the test sees what was
// rendered and sent to which provider.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient, unavailableProvider } from './prometheus.ts';
import { measureRound, needsPrometheus, type RoundProviders } from './round.ts';
import type { WebCheck } from './types.ts';
import { WebClient } from './web.ts';

let server: Server;
let base: string;
let client: PrometheusClient;
let providers: RoundProviders;
const received: string[] = [];
const webPaths: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    res.writeHead(200, { 'content-type': 'application/json' });
    if (url.pathname.startsWith('/web/')) {
      webPaths.push(`${url.pathname}${url.search}`);
      res.end(JSON.stringify({ color: url.pathname.slice(5), ratio: Number(url.searchParams.get('v')) }));
      return;
    }
    const query = url.searchParams.get('query') ?? '';
    received.push(query);
    const value = /v:([-\d.]+)/.exec(query)?.[1];
    const result = value === undefined ? [] : [{ metric: {}, value: [1, value] }];
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new PrometheusClient({ address: base, timeoutMs: 2000 });
  providers = { prometheus: client, web: new WebClient() };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const AT = '2026-01-01T00:00:00Z';

describe('measureRound', () => {
  it('Given three metrics, queries and judges each, in template order with one timestamp', async () => {
    const round = await measureRound(
      providers,
      [
        { name: 'ok', query: 'x{color="green"} + v:0.001', max: 0.01 },
        { name: 'bad', query: 'y{rev="abc123"} v:0.5', max: 0.01 },
        { name: 'empty', query: 'z{ns="shop"}' },
      ],
      AT,
      new AbortController().signal,
    );
    expect(round.map((m) => [m.metric, m.phase, m.at])).toEqual([
      ['ok', 'Successful', AT],
      ['bad', 'Failed', AT],
      ['empty', 'Inconclusive', AT],
    ]);
    expect(round[1]?.message).toBe('value 0.5 is above max 0.01');
    expect(received).toEqual(
      expect.arrayContaining(['x{color="green"} + v:0.001', 'y{rev="abc123"} v:0.5', 'z{ns="shop"}']),
    );
  });

  it('Given a provider that cannot query (its headers Secret is missing), every metric is Inconclusive with the reason', async () => {
    const round = await measureRound(
      { prometheus: unavailableProvider('headers Secret shop/prom-auth not found'), web: new WebClient() },
      [
        { name: 'a', query: 'up', max: 1 },
        { name: 'b', query: 'up', min: 0 },
      ],
      AT,
      new AbortController().signal,
    );
    expect(round.map((m) => [m.metric, m.phase])).toEqual([
      ['a', 'Inconclusive'],
      ['b', 'Inconclusive'],
    ]);
    expect(round[0]?.message).toContain('headers Secret shop/prom-auth not found');
  });

  it('Given no metrics, returns an empty round', async () => {
    expect(await measureRound(providers, [], AT, new AbortController().signal)).toEqual([]);
  });

  const web: WebCheck = { method: 'GET', headers: [], jsonPath: '$.ratio', timeoutMs: 2000 };

  it('Given a web check next to a query, Then each goes to its provider and is judged with its bounds', async () => {
    const metrics = [
      { name: 'errors', query: 'sum(x) v:0.001', max: 0.01 },
      { name: 'slo', query: `${base}/web/green?v=0.2`, max: 0.1, web },
    ];
    const round = await measureRound(providers, metrics, AT, new AbortController().signal);
    expect(round.map((m) => [m.metric, m.phase, m.value])).toEqual([
      ['errors', 'Successful', 0.001],
      ['slo', 'Failed', 0.2],
    ]);
    expect(webPaths).toContain('/web/green?v=0.2');
    expect(received).not.toContain(`${base}/web/green?v=0.2`);
  });

  it('Given a web-only round, Then it needs no Prometheus and an unavailable one changes nothing', async () => {
    const metrics = [{ name: 'slo', query: `${base}/web/blue?v=0.05`, max: 0.1, web }];
    expect(needsPrometheus(metrics)).toBe(false);
    expect(needsPrometheus([...metrics, { name: 'q', query: 'up', min: 1 }])).toBe(true);
    const round = await measureRound(
      { prometheus: unavailableProvider('no Prometheus configured'), web: new WebClient() },
      metrics,
      AT,
      new AbortController().signal,
    );
    expect(round.map((m) => [m.metric, m.phase, m.value])).toEqual([['slo', 'Successful', 0.05]]);
  });

  it('Given a web check that fails to answer, Then its measurement is Inconclusive and says it was a web check', async () => {
    const metrics = [{ name: 'slo', query: `${base}/nowhere`, max: 0.1, web: { ...web, jsonPath: '$.missing' } }];
    const [m] = await measureRound(providers, metrics, AT, new AbortController().signal);
    expect(m?.phase).toBe('Inconclusive');
    expect(m?.message).toMatch(/^no data: missing path: jsonPath \$\.missing/);
  });
});
