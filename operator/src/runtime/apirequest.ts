// One JSON request to the API server through client-node's own HTTP stack and auth, with an
// AbortSignal (every call has a deadline). Plain JSON in and out: the typed generated APIs
// convert timestamps to Date objects (so written objects would not compare equal to cached
// ones), and loading them costs the operator tens of MiB of module source text it never runs
// (bench/README.md). Imports name client-node's modules, not its root, for the same reason:
// the root re-exports the whole generated API.
import { IsomorphicFetchHttpLibrary } from '@kubernetes/client-node/dist/gen/http/isomorphic-fetch.js';
import { RequestContext } from '@kubernetes/client-node/dist/gen/http/http.js';
import type { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { reuseConnections } from './apicall.ts';

const http = new IsomorphicFetchHttpLibrary();

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
  kc: KubeConfig,
  method: HttpVerb,
  path: string,
  signal: AbortSignal,
  options: RequestOptions = {},
): Promise<R> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig: no current cluster');
  const url = new URL(cluster.server.replace(/\/$/, '') + path);
  for (const [k, v] of Object.entries(options.query ?? {})) url.searchParams.set(k, v);
  const ctx = new RequestContext(url.toString(), method);
  ctx.setHeaderParam('Accept', 'application/json');
  if (options.body !== undefined) {
    ctx.setHeaderParam('Content-Type', options.contentType ?? 'application/json');
    ctx.setBody(JSON.stringify(options.body));
  }
  await kc.applySecurityAuthentication(ctx);
  // One kept-alive connection pool per KubeConfig: client-node would open a new TLS
  // connection per request (~7 ms vs ~1 ms on loopback), which is most of a switch's latency.
  reuseConnections(kc, ctx);
  ctx.setSignal(signal);
  const response = await http.send(ctx).toPromise();
  const text = await response.body.text();
  if (response.httpStatusCode >= 300) {
    let message = text.slice(0, 500);
    let reason: string | undefined;
    try {
      const status = JSON.parse(text) as { message?: string; reason?: string };
      message = status.message ?? message;
      reason = status.reason;
    } catch {
      // not a Status object: keep the raw text
    }
    throw new ApiError(
      `${method} ${url.pathname}: ${response.httpStatusCode} ${message}`,
      response.httpStatusCode,
      reason,
    );
  }
  return (text ? JSON.parse(text) : undefined) as R;
}
