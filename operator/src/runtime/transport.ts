// One HTTP exchange with the API server over node:http(s) and the connection's kept-alive
// agent. Every call takes an AbortSignal (house rule: every API call has a deadline); an
// aborted call rejects with the signal's reason, as fetch does, so a TimeoutError stays one.
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { KubeConnection } from './connection.ts';

export interface Exchange {
  method: string;
  /** Path below the server URL, e.g. /api/v1/namespaces. */
  path: string;
  query?: Record<string, string | undefined>;
  headers?: Record<string, string>;
  body?: string;
  signal: AbortSignal;
}

export function urlOf(conn: KubeConnection, path: string, query: Exchange['query'] = {}): URL {
  const url = new URL(conn.server + path);
  for (const [k, v] of Object.entries(query)) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

/** Sends the request and resolves with the response head; the caller consumes the body. */
export async function open(conn: KubeConnection, ex: Exchange): Promise<IncomingMessage> {
  ex.signal.throwIfAborted();
  const url = urlOf(conn, ex.path, ex.query);
  const headers: Record<string, string> = { ...(await conn.headers()), ...ex.headers };
  if (ex.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(ex.body));
  ex.signal.throwIfAborted(); // again: it may have aborted while credentials were computed
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    let response: IncomingMessage | undefined;
    // Not http.request's own signal option: aborting a request whose response is complete
    // destroys its kept-alive socket and emits an error nobody listens to. Abort only what is
    // still in flight, and stop listening once the response has ended.
    const onAbort = (): void => {
      if (!response?.complete) req.destroy(ex.signal.reason as Error);
    };
    const release = (): void => ex.signal.removeEventListener('abort', onAbort);
    const req = send(url, { method: ex.method, headers, agent: conn.agent }, (res) => {
      response = res;
      res.on('end', release);
      res.on('close', release);
      resolve(res);
    });
    ex.signal.addEventListener('abort', onAbort, { once: true });
    req.on('error', (err) => {
      release();
      reject(ex.signal.aborted ? (ex.signal.reason as Error) : err);
    });
    req.end(ex.body);
  });
}

/** Reads a whole (small) response body as text; rejects with the signal's reason on abort. */
export function readText(res: IncomingMessage, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    res.on('data', (c: Buffer) => chunks.push(c));
    res.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    res.on('error', (err) => reject(signal.aborted ? (signal.reason as Error) : err));
    // An aborted request destroys the response, which does not always emit 'error'.
    res.on('close', () => {
      if (!res.complete)
        reject(signal.aborted ? (signal.reason as Error) : new Error('connection closed mid-response'));
    });
  });
}
