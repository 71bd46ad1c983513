// The Prometheus client against a real local HTTP server (127.0.0.1, ephemeral port) that answers
// canned bodies keyed by the query text. No mocks of fetch: the real socket path is exercised.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../runtime/logger.ts';
import { validatePrometheusAddress } from './address.ts';
import { evaluateMeasurement } from './evaluate.ts';
import { MAX_GET_URL_LENGTH, PrometheusClient } from './prometheus.ts';
import type { QueryOutcome } from './types.ts';

interface Canned {
  status: number;
  body: string;
  contentType?: string;
}
const ok = (data: unknown): Canned => ({ status: 200, body: JSON.stringify({ status: 'success', data }) });
const sample = (metric: Record<string, string>, value: string) => ({ metric, value: [1700000000.123, value] });

const canned: Record<string, Canned> = {
  one: ok({ resultType: 'vector', result: [sample({ color: 'green' }, '0.0042')] }),
  several: ok({ resultType: 'vector', result: [sample({ pod: 'a' }, '1'), sample({ pod: 'b' }, '2')] }),
  scalar: ok({ resultType: 'scalar', result: [1700000000, '42'] }),
  matrix: ok({
    resultType: 'matrix',
    result: [
      {
        metric: {},
        values: [
          [1, '1'],
          [2, '2'],
        ],
      },
    ],
  }),
  empty: ok({ resultType: 'vector', result: [] }),
  nan: ok({ resultType: 'vector', result: [sample({}, 'NaN')] }),
  inf: ok({ resultType: 'vector', result: [sample({}, '+Inf')] }),
  promError: {
    status: 400,
    body: JSON.stringify({ status: 'error', errorType: 'bad_data', error: 'parse error at char 5' }),
  },
  http500: { status: 500, body: 'upstream exploded', contentType: 'text/plain' },
  html: { status: 200, body: '<html><body>login page</body></html>', contentType: 'text/html' },
};

interface Seen {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  query: string;
  timeout: string | null;
}
const seen: Seen[] = [];
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://x');
      const params = req.method === 'POST' ? new URLSearchParams(raw) : url.searchParams;
      const query = params.get('query') ?? '';
      seen.push({
        method: req.method ?? '',
        url: url.pathname,
        headers: req.headers,
        query,
        timeout: params.get('timeout'),
      });
      if (query === 'hang') return; // never answers: the client's deadline must fire
      if (query === 'stall-body') {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write('{"status":"succ'); // headers and half a body, then silence
        return;
      }
      if (query === 'echo-auth') {
        res.writeHead(401, { 'content-type': 'application/json' });
        res.end(
          JSON.stringify({
            status: 'error',
            errorType: 'unauthorized',
            error: `bad token ${req.headers.authorization}`,
          }),
        );
        return;
      }
      const answer = canned[query] ?? (query.startsWith('long') ? canned.one! : undefined);
      if (answer === undefined) {
        res.writeHead(404).end('no canned answer');
        return;
      }
      res.writeHead(answer.status, { 'content-type': answer.contentType ?? 'application/json' }).end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections(); // releases the deliberately hung requests
  await new Promise((resolve) => server.close(resolve));
});

const never = new AbortController().signal;
const client = (timeoutMs = 2000, headers?: Record<string, string>) =>
  new PrometheusClient({ address: base, timeoutMs, headers });

describe('PrometheusClient.runQuery', () => {
  it.each<[string, QueryOutcome['kind'], number | string]>([
    ['one', 'value', 0.0042],
    ['scalar', 'value', 42],
    ['several', 'error', 'query returned 2 series, expected 1'],
    ['matrix', 'error', 'range vector (matrix)'],
    ['empty', 'no-data', 'empty vector'],
    ['nan', 'no-data', 'NaN (typically 0/0: no traffic'],
    ['inf', 'no-data', '+Inf'],
    ['promError', 'error', 'Prometheus error (HTTP 400) bad_data: parse error at char 5'],
    ['http500', 'error', 'HTTP 500 Internal Server Error: response is not JSON: upstream exploded'],
    ['html', 'error', 'response is not JSON: <html><body>login page'],
  ])('Given the server answers %s, the outcome is %s', async (query, kind, expected) => {
    const outcome = await client().runQuery(query, never);
    expect(outcome.kind).toBe(kind);
    if (outcome.kind === 'value') expect(outcome.value).toBe(expected);
    else expect(outcome.message).toContain(expected);
  });

  it('sends GET /api/v1/query with the query and a server-side timeout', async () => {
    await client(1500).runQuery('one', never);
    const last = seen.at(-1)!;
    expect([last.method, last.url, last.query, last.timeout]).toEqual(['GET', '/api/v1/query', 'one', '1.5s']);
    expect(last.headers.accept).toBe('application/json');
  });

  it('keeps a path prefix of the address and tolerates a trailing slash', async () => {
    const prefixed = new PrometheusClient({ address: `${base}/prom/`, timeoutMs: 2000 });
    await prefixed.runQuery('one', never);
    expect(seen.at(-1)!.url).toBe('/prom/api/v1/query');
  });

  it('sends a query too long for a URL as a form POST', async () => {
    const long = `long${'x'.repeat(MAX_GET_URL_LENGTH)}`;
    const outcome = await client().runQuery(long, never);
    expect(outcome).toEqual({ kind: 'value', value: 0.0042 });
    expect(seen.at(-1)!.method).toBe('POST');
    expect(seen.at(-1)!.query).toBe(long);
  });

  it('forwards the configured headers', async () => {
    await client(2000, { Authorization: 'Bearer s3cr3t-token', 'X-Scope-OrgID': 'tenant-1' }).runQuery('one', never);
    const { headers } = seen.at(-1)!;
    expect(headers.authorization).toBe('Bearer s3cr3t-token');
    expect(headers['x-scope-orgid']).toBe('tenant-1');
  });

  it('redacts header values echoed back in an error', async () => {
    const outcome = await client(2000, { Authorization: 'Bearer s3cr3t-token' }).runQuery('echo-auth', never);
    expect(outcome.kind).toBe('error');
    const message = outcome.kind === 'value' ? '' : outcome.message;
    expect(message).toContain('unauthorized');
    expect(message).toContain('<redacted>');
    expect(message).not.toContain('s3cr3t');
  });

  it('Given a server that echoes the Authorization header, Then the secret never reaches a log line', async () => {
    const headers = { Authorization: 'Bearer s3cr3t-token' };
    const outcome = await client(2000, headers).runQuery('echo-auth', never);
    const lines: string[] = [];
    const log = createLogger({ bgs: 'ns/orders' }, { level: 'debug', write: (l) => lines.push(l) });
    // As the reconciler logs a round, plus the client's settings as a careless caller might.
    const measurement = evaluateMeasurement({ name: 'm', query: 'echo-auth' }, outcome, new Date(0).toISOString());
    log.info('measured', { measurements: [measurement], prometheus: { address: base, headers } });
    log.child({ headers }).debug('query sent');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('unauthorized');
    for (const line of lines) expect(line).not.toContain('s3cr3t');
  });

  it.each([['hang'], ['stall-body']])(
    'Given the server does not finish (%s), returns timeout within the deadline',
    async (query) => {
      const timeoutMs = 300;
      const started = performance.now();
      const outcome = await client(timeoutMs).runQuery(query, never);
      const elapsed = performance.now() - started;
      expect(outcome).toEqual({ kind: 'timeout', message: expect.stringContaining(`within ${timeoutMs} ms`) });
      expect(elapsed, `returned after ${elapsed.toFixed(0)} ms`).toBeGreaterThanOrEqual(timeoutMs - 20);
      expect(elapsed, `returned after ${elapsed.toFixed(0)} ms`).toBeLessThan(timeoutMs + 1500);
    },
  );

  it('returns an error naming the cause when the connection is refused', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const outcome = await new PrometheusClient({ address: `http://127.0.0.1:${port}`, timeoutMs: 2000 }).runQuery(
      'one',
      never,
    );
    expect(outcome.kind).toBe('error');
    expect(outcome.kind === 'value' ? '' : outcome.message).toContain('ECONNREFUSED');
  });

  it("rejects with the caller's reason when the caller aborts (no measurement to record)", async () => {
    const caller = new AbortController();
    const pending = client(10_000).runQuery('hang', caller.signal);
    caller.abort(new Error('reconcile cancelled'));
    await expect(pending).rejects.toThrow('reconcile cancelled');
  });

  it('throws for an empty query (a programmer error)', async () => {
    await expect(client().runQuery('  ', never)).rejects.toThrow('promql must be a non-empty string');
  });
});

describe('PrometheusClient construction', () => {
  it.each([
    ['not-a-url', 'not an absolute URL'],
    ['ftp://prom:21', 'http or https'],
    ['http://user:pw@prom:9090', 'must not contain credentials'],
    ['http://prom:9090/?x=1', 'query string'],
  ])('rejects the address %j', (address, message) => {
    expect(validatePrometheusAddress(address)).toContain(message);
    expect(() => new PrometheusClient({ address, timeoutMs: 1000 })).toThrow(message);
  });

  it('rejects a non-positive timeout', () => {
    expect(() => new PrometheusClient({ address: 'http://prom:9090', timeoutMs: 0 })).toThrow(
      'timeoutMs must be an integer >= 1',
    );
  });

  it('rejects an invalid header naming it but not its value', () => {
    const make = () =>
      new PrometheusClient({ address: 'http://prom:9090', timeoutMs: 1000, headers: { 'Bad Name': 'hunter22' } });
    expect(make).toThrow('"Bad Name"');
    expect(make).not.toThrow('hunter22');
  });
});
