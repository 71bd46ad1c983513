// measureRound with the real PrometheusClient against a local server that answers the value
// embedded in the rendered query ("v:<number>"), so the test sees what was rendered and sent.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PrometheusClient, unavailableProvider } from './prometheus.ts';
import { measureRound } from './round.ts';

let server: Server;
let client: PrometheusClient;
const received: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    const query = new URL(req.url ?? '/', 'http://x').searchParams.get('query') ?? '';
    received.push(query);
    const value = /v:([-\d.]+)/.exec(query)?.[1];
    const result = value === undefined ? [] : [{ metric: {}, value: [1, value] }];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'success', data: { resultType: 'vector', result } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  client = new PrometheusClient({
    address: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    timeoutMs: 2000,
  });
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const AT = '2026-01-01T00:00:00Z';

describe('measureRound', () => {
  it('Given three metrics, queries and judges each, in template order with one timestamp', async () => {
    const round = await measureRound(
      client,
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
      unavailableProvider('headers Secret shop/prom-auth not found'),
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
    expect(await measureRound(client, [], AT, new AbortController().signal)).toEqual([]);
  });
});
