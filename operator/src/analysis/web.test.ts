// Web checks against a real local HTTP server (127.0.0.1, ephemeral port) that answers by path,
// so every outcome goes through the real socket path. No mocks, no sleeps: the "hang" route
// never answers and the check's own deadline ends it.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { QueryOutcome, WebCheck } from './types.ts';
import { MAX_WEB_ANSWER_BYTES, WebClient } from './web.ts';

interface Seen {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}
const seen: Seen[] = [];
let server: Server;
let base: string;

const routes: Record<string, (seen: Seen) => { status: number; body: string } | 'hang'> = {
  '/slo': () => ({ status: 200, body: JSON.stringify({ slo: { errorRatio: 0.004 } }) }),
  '/down': () => ({ status: 503, body: 'maintenance' }),
  '/html': () => ({ status: 200, body: '<html>login</html>' }),
  '/hang': () => 'hang',
  '/echo-auth': (s) => ({ status: 401, body: `bad token ${String(s.headers['authorization'])}` }),
  '/huge': () => ({ status: 200, body: JSON.stringify({ v: 1, pad: 'x'.repeat(MAX_WEB_ANSWER_BYTES) }) }),
  '/echo': (s) => ({ status: 200, body: JSON.stringify({ got: s.body.length, method: s.method }) }),
};

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      const s: Seen = { method: req.method ?? '', path: req.url ?? '', headers: req.headers, body };
      seen.push(s);
      const route = routes[new URL(s.path, 'http://x').pathname];
      const answer = route ? route(s) : { status: 404, body: 'no such route' };
      if (answer === 'hang') return;
      res.writeHead(answer.status, { 'content-type': 'application/json' });
      res.end(answer.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const check = (over: Partial<WebCheck> = {}): WebCheck => ({
  method: 'GET',
  headers: [],
  jsonPath: '$.slo.errorRatio',
  timeoutMs: 2000,
  ...over,
});
const run = (path: string, over: Partial<WebCheck> = {}, client = new WebClient()): Promise<QueryOutcome> =>
  client.runCheck(`${base}${path}`, check(over), AbortSignal.timeout(10_000));
const messageOf = (o: QueryOutcome): string => (o.kind === 'value' ? '' : o.message);

describe('Given a web check against a local server', () => {
  it('When the answer holds the number at the path, Then it is the value', async () => {
    expect(await run('/slo')).toEqual({ kind: 'value', value: 0.004 });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', path: '/slo', headers: { accept: 'application/json' } });
  });

  it.each([
    ['a 503', '/down', {}, 'error', 'non-2xx answer: HTTP 503 Service Unavailable: maintenance'],
    ['a 404', '/nowhere', {}, 'error', 'non-2xx answer: HTTP 404'],
    ['HTML', '/html', {}, 'error', 'invalid JSON'],
    ['a missing path', '/slo', { jsonPath: '$.slo.latency' }, 'no-data', 'missing path: jsonPath $.slo.latency'],
    [
      'a non-numeric value',
      '/slo',
      { jsonPath: '$.slo' },
      'error',
      'non-numeric value: jsonPath $.slo selects an object',
    ],
    ['no answer in time', '/hang', { timeoutMs: 150 }, 'timeout', 'timeout: no answer within 150 ms'],
    ['an answer over 1 MiB', '/huge', { jsonPath: '$.v' }, 'error', `answer larger than ${MAX_WEB_ANSWER_BYTES} bytes`],
  ] as const)(
    'When the server sends %s, Then the outcome is %s naming it and the request',
    async (_w, path, over, kind, text) => {
      const outcome = await run(path, over);
      expect(outcome.kind).toBe(kind);
      expect(messageOf(outcome)).toContain(text);
      expect(messageOf(outcome)).toContain(`(GET ${base}${path})`);
    },
  );

  it('When nothing listens, Then it is an error naming the refused connection', async () => {
    const outcome = await new WebClient().runCheck('http://127.0.0.1:1/x', check(), AbortSignal.timeout(10_000));
    expect(outcome.kind).toBe('error');
    expect(messageOf(outcome)).toContain('cannot reach the endpoint');
    expect(messageOf(outcome)).toContain('ECONNREFUSED');
  });

  it('When it POSTs a body, Then the body goes out as JSON with the method', async () => {
    const body = JSON.stringify({ window: '5m' });
    const outcome = await run('/echo', { method: 'POST', body, jsonPath: '$.got' });
    expect(outcome).toEqual({ kind: 'value', value: body.length });
    expect(seen.at(-1)).toMatchObject({ method: 'POST', body, headers: { 'content-type': 'application/json' } });
  });

  it('When a header comes from a Secret, Then it is sent and never echoed into the message', async () => {
    const client = new WebClient(new Map([['slo-token', { token: 'Bearer s3cr3t-t0ken' }]]));
    const headers = [
      { name: 'Authorization', valueFrom: { secretKeyRef: { name: 'slo-token', key: 'token' } } },
      { name: 'X-Team', value: 'payments' },
    ];
    const outcome = await run('/echo-auth', { headers }, client);
    expect(seen.at(-1)?.headers).toMatchObject({ authorization: 'Bearer s3cr3t-t0ken', 'x-team': 'payments' });
    expect(messageOf(outcome)).toContain('bad token');
    expect(messageOf(outcome)).not.toContain('s3cr3t');
  });

  it.each([
    ['is missing', new Map([['slo-token', 'Secret shop/slo-token not found']]), 'Secret shop/slo-token not found'],
    ['lacks the key', new Map([['slo-token', { other: 'x' }]]), 'Secret slo-token has no key "token"'],
    ['was not read', new Map(), 'Secret slo-token was not read for this round'],
  ])(
    'When the header Secret %s, Then nothing is sent and the error names header and Secret',
    async (_w, secrets, text) => {
      const before = seen.length;
      const headers = [{ name: 'Authorization', valueFrom: { secretKeyRef: { name: 'slo-token', key: 'token' } } }];
      const outcome = await run('/slo', { headers }, new WebClient(secrets));
      expect(outcome.kind).toBe('error');
      expect(messageOf(outcome)).toContain(`header "Authorization": ${text}`);
      expect(seen.length).toBe(before);
    },
  );

  it('When the URL is not absolute http(s), Then it is an error naming the URL', async () => {
    const outcome = await new WebClient().runCheck('ftp://x/y', check(), AbortSignal.timeout(1000));
    expect(messageOf(outcome)).toContain('invalid URL: ftp: is not http(s) (GET ftp://x/y)');
  });

  it("When the caller aborts, Then it rejects with the caller's reason (no measurement)", async () => {
    const caller = new AbortController();
    const pending = new WebClient().runCheck(`${base}/hang`, check({ timeoutMs: 5000 }), caller.signal);
    caller.abort(new Error('reconcile cancelled'));
    await expect(pending).rejects.toThrow('reconcile cancelled');
  });
});
