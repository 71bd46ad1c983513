// requestJson over our own transport: what the writers, the Lease client and the lists rely on.
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { isConflict, isNotFound, statusCodeOf } from './apicall.ts';
import { ApiError, requestJson } from './apirequest.ts';
import { createConnection, type KubeConnection } from './connection.ts';

interface Seen {
  method?: string;
  url?: string;
  headers: IncomingHttpHeaders;
  body: string;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

/** A server answering every request with status and body; records what it was sent. */
async function serve(status: number, answer: unknown, token?: string): Promise<{ conn: KubeConnection; seen: Seen[] }> {
  const seen: Seen[] = [];
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body });
      if (answer === 'hang') return;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(typeof answer === 'string' ? answer : JSON.stringify(answer));
    });
  });
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // A trailing slash on the server URL must not double the path's.
  const conn = createConnection({ server: `http://127.0.0.1:${port}/`, token: token ? () => token : undefined });
  return { conn, seen };
}

describe('requestJson', () => {
  it('sends a server-side apply: method, path, query, content type, JSON body and the bearer token', async () => {
    const { conn, seen } = await serve(200, { kind: 'Deployment', metadata: { name: 'd' } }, 'tok');
    const obj = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'd' } };
    const result = await requestJson<{ kind: string }>(
      conn,
      'PATCH',
      '/apis/apps/v1/namespaces/n/deployments/d',
      AbortSignal.timeout(5_000),
      {
        body: obj,
        contentType: 'application/apply-patch+yaml',
        query: { fieldManager: 'bluegreen-operator', force: 'true' },
      },
    );
    expect(result.kind).toBe('Deployment');
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({
      method: 'PATCH',
      url: '/apis/apps/v1/namespaces/n/deployments/d?fieldManager=bluegreen-operator&force=true',
      body: JSON.stringify(obj),
    });
    expect(seen[0]!.headers).toMatchObject({
      'content-type': 'application/apply-patch+yaml',
      accept: 'application/json',
      authorization: 'Bearer tok',
      connection: 'keep-alive',
    });
  });

  it('sends no body and no content type on a GET, and no Authorization without a token', async () => {
    const { conn, seen } = await serve(200, '');
    expect(await requestJson(conn, 'GET', '/api/v1/namespaces', AbortSignal.timeout(5_000))).toBeUndefined();
    expect(seen[0]!.headers['content-type']).toBeUndefined();
    expect(seen[0]!.headers.authorization).toBeUndefined();
    expect(seen[0]!.body).toBe('');
  });

  it.each([
    [404, isNotFound],
    [409, isConflict],
  ])('rejects a %i with an ApiError carrying the status, the Status reason and message', async (code, is) => {
    const { conn } = await serve(code, { kind: 'Status', code, reason: 'Because', message: 'said the server' });
    const err = await requestJson(conn, 'PUT', '/x', AbortSignal.timeout(5_000), { body: {} }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(is(err)).toBe(true);
    expect((err as ApiError).reason).toBe('Because');
    expect(String(err)).toContain(`PUT /x: ${code} said the server`);
  });

  it('keeps a non-JSON error body as the message', async () => {
    const { conn } = await serve(502, 'Bad Gateway from a proxy');
    const err = await requestJson(conn, 'GET', '/x', AbortSignal.timeout(5_000)).catch((e: unknown) => e);
    expect(statusCodeOf(err)).toBe(502);
    expect(String(err)).toContain('Bad Gateway from a proxy');
  });

  it('rejects with the signal reason (a TimeoutError stays one) when the deadline passes', async () => {
    const { conn } = await serve(200, 'hang');
    const err = await requestJson(conn, 'GET', '/x', AbortSignal.timeout(100)).catch((e: unknown) => e);
    expect((err as DOMException).name).toBe('TimeoutError');
  });

  it('does not send a request whose signal already aborted', async () => {
    const { conn, seen } = await serve(200, {});
    const err = await requestJson(conn, 'GET', '/x', AbortSignal.abort(new Error('gone'))).catch((e: unknown) => e);
    expect(String(err)).toContain('gone');
    expect(seen).toEqual([]);
  });
});
