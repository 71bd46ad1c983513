// One HTTP exchange of an analysis provider: request out, status and (bounded) body back, under
// the caller's signal and the provider's own deadline. Shared by the Prometheus client and web
// checks, over node:http(s) with the agents of agents.ts (TLS settings are per agent).
//
// Contract: resolves with the answer whatever its status; rejects with the caller's reason
// when the caller's signal aborts, with a DeadlineExceeded when the deadline passes first
// (connect to last body byte), and with the network error otherwise. Providers turn the last
// two into outcomes; only the first is a real rejection (nobody waits for the answer).

import type { IncomingMessage } from 'node:http';
import { open } from '../runtime/transport.ts';
import { agentFor, type TlsSettings } from './agents.ts';

export interface HttpCall {
  url: URL;
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  tls?: TlsSettings;
  /** Longest body read; a longer answer is a network-level error naming the limit. */
  maxBodyBytes: number;
}

export interface HttpAnswer {
  status: number;
  statusText: string;
  body: string;
}

/** The provider's own deadline passed (the caller's signal did not abort). */
export class DeadlineExceeded extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'DeadlineExceeded';
  }
}

export async function exchange(call: HttpCall, signal: AbortSignal): Promise<HttpAnswer> {
  signal.throwIfAborted();
  const deadline = AbortSignal.timeout(call.timeoutMs);
  const both = AbortSignal.any([signal, deadline]);
  const conn = { server: call.url.origin, agent: agentFor(call.url, call.tls), headers: () => ({}) };
  try {
    const res = await open(conn, {
      method: call.method,
      path: `${call.url.pathname}${call.url.search}`,
      headers: call.headers,
      ...(call.body !== undefined ? { body: call.body } : {}),
      signal: both,
    });
    const body = await readBounded(res, call.maxBodyBytes, both);
    return { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', body };
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    if (deadline.aborted) throw new DeadlineExceeded(call.timeoutMs);
    throw err;
  }
}

/** The body as UTF-8 text, at most `limit` bytes; rejects (and drops the socket) past that. */
function readBounded(res: IncomingMessage, limit: number, signal: AbortSignal): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onAbort = (): void => void res.destroy(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    const settle = (): void => signal.removeEventListener('abort', onAbort);
    res.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) res.destroy(new Error(`answer larger than ${limit} bytes`));
      else chunks.push(chunk);
    });
    res.on('end', () => {
      settle();
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
    res.on('error', (err) => {
      settle();
      reject(err);
    });
    res.on('close', () => {
      settle();
      if (!res.complete) reject(new Error('connection closed mid-answer'));
    });
  });
}
