// One POST to a receiver over node:http(s) (the runtime's transport with Node's global agents),
// under the caller's signal and a deadline. Resolves with the status and the Retry-After header
// whatever the status; the answer's body is read and dropped (it may echo the URL or a token).
import { globalAgent as httpAgent } from 'node:http';
import { globalAgent as httpsAgent } from 'node:https';
import { open, readText } from '../runtime/transport.ts';

export interface PostAnswer {
  status: number;
  /** Retry-After in ms when the receiver sent one as seconds. */
  retryAfterMs?: number;
}

/** The deadline passed before the answer's last byte (the caller's signal did not abort). */
export class NoAnswerInTime extends Error {
  constructor(timeoutMs: number) {
    super(`no answer within ${timeoutMs} ms`);
    this.name = 'NoAnswerInTime';
  }
}

export async function post(
  url: URL,
  headers: Record<string, string>,
  body: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<PostAnswer> {
  const deadline = AbortSignal.timeout(timeoutMs);
  const both = AbortSignal.any([signal, deadline]);
  const conn = {
    server: url.origin,
    agent: url.protocol === 'https:' ? httpsAgent : httpAgent,
    headers: () => ({}),
  };
  try {
    const res = await open(conn, { method: 'POST', path: `${url.pathname}${url.search}`, headers, body, signal: both });
    await readText(res, both);
    const seconds = Number(res.headers['retry-after']);
    return {
      status: res.statusCode ?? 0,
      ...(Number.isFinite(seconds) && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {}),
    };
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    if (deadline.aborted) throw new NoAnswerInTime(timeoutMs);
    throw err;
  }
}
