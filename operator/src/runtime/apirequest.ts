// One JSON request to the API server over our own transport (transport.ts), with an AbortSignal
// (every call has a deadline). Plain JSON in and out: the typed generated APIs convert
// timestamps to Date objects (so written objects would not compare equal to cached ones), and
// loading client-node's API and HTTP stack costs the operator tens of MiB (bench/README.md,
// ADR 0018).
import type { KubeConnection } from './connection.ts';
import { open, readText } from './transport.ts';

export type HttpVerb = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

/** A non-2xx answer; statusCode lets callers branch on 404/409/410 without string matching. */
export class ApiError extends Error {
  readonly statusCode: number;
  readonly reason: string | undefined;
  constructor(message: string, statusCode: number, reason?: string) {
    super(message);
    this.statusCode = statusCode;
    this.reason = reason;
  }
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string>;
}

export async function requestJson<R>(
  conn: KubeConnection,
  method: HttpVerb,
  path: string,
  signal: AbortSignal,
  options: RequestOptions = {},
): Promise<R> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  let body: string | undefined;
  if (options.body !== undefined) {
    headers['Content-Type'] = options.contentType ?? 'application/json';
    body = JSON.stringify(options.body);
  }
  const response = await open(conn, { method, path, query: options.query, headers, body, signal });
  const text = await readText(response, signal);
  const status = response.statusCode ?? 0;
  if (status >= 300) {
    let message = text.slice(0, 500);
    let reason: string | undefined;
    try {
      const parsed = JSON.parse(text) as { message?: string; reason?: string };
      message = parsed.message ?? message;
      reason = parsed.reason;
    } catch {
      // not a Status object: keep the raw text
    }
    throw new ApiError(`${method} ${path}: ${status} ${message}`, status, reason);
  }
  return (text ? JSON.parse(text) : undefined) as R;
}
