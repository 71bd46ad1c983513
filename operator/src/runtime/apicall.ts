// Small helpers for calls through @kubernetes/client-node's generated APIs, which take neither
// an AbortSignal nor expose status codes uniformly: every API call in the operator must be
// cancellable (house rule), and callers branch on 404/409/410 without string matching.

import type { ConfigurationOptions, KubeConfig, RequestContext } from '@kubernetes/client-node';
// By path, not from the root: the root re-exports the whole generated API (bench/README.md).
import { Observable } from '@kubernetes/client-node/dist/gen/rxjsStub.js';

/**
 * Per-call options that attach signal to the request. Usage:
 *   api.readNamespacedLease({ name, namespace }, withSignal(signal, kc))
 * The middleware is appended, so authentication and the configured server stay as they are.
 */
// The exported (object-parameter) API classes take observable-style middleware, like the
// package's own setHeaderOptions().
// Pass kc to also reuse kept-alive connections (see reuseConnections below).
export function withSignal(signal: AbortSignal, kc?: KubeConfig): ConfigurationOptions {
  return {
    middleware: [
      {
        pre: (context) => {
          // Runs after the request factory applied authentication, so the dispatcher is set.
          if (kc) reuseConnections(kc, context);
          context.setSignal(signal);
          return new Observable(Promise.resolve(context));
        },
        post: (context) => new Observable(Promise.resolve(context)),
      },
    ],
    middlewareMergeStrategy: 'append',
  };
}

/** HTTP status of an error thrown by client-node (ApiException.code or Watch statusCode), if any. */
export function statusCodeOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const candidate =
    (err as { code?: unknown; statusCode?: unknown }).code ?? (err as { statusCode?: unknown }).statusCode;
  return typeof candidate === 'number' ? candidate : undefined;
}

export const isNotFound = (err: unknown): boolean => statusCodeOf(err) === 404;
export const isConflict = (err: unknown): boolean => statusCodeOf(err) === 409;
export const isGone = (err: unknown): boolean => statusCodeOf(err) === 410;

type Dispatcher = ReturnType<RequestContext['getDispatcher']>;
const sharedDispatchers = new WeakMap<KubeConfig, Dispatcher>();

/**
 * client-node builds a new undici Agent (so a new TCP + TLS connection) for EVERY request
 * in applySecurityAuthentication(). Call this right after it to swap in one long-lived Agent
 * per KubeConfig, so requests reuse kept-alive connections. Auth headers are still applied
 * per request (tokens rotate); only the connection pool is shared, which is safe because the
 * Agent's TLS options come from the same, unchanging cluster/user entry.
 */
export function reuseConnections(kc: KubeConfig, ctx: RequestContext): void {
  const fresh = ctx.getDispatcher();
  if (!fresh) return;
  const shared = sharedDispatchers.get(kc);
  if (shared) ctx.setDispatcher(shared);
  else sharedDispatchers.set(kc, fresh);
}
