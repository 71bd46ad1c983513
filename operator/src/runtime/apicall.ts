// Small helpers for calls through @kubernetes/client-node's generated APIs, which take neither
// an AbortSignal nor expose status codes uniformly: every API call in the operator must be
// cancellable (house rule), and callers branch on 404/409/410 without string matching.

import { Observable, type ConfigurationOptions, type ObservableMiddleware } from '@kubernetes/client-node';

/**
 * Per-call options that attach signal to the request. Usage:
 *   api.readNamespacedLease({ name, namespace }, withSignal(signal))
 * The middleware is appended, so authentication and the configured server stay as they are.
 */
// The exported (object-parameter) API classes take observable-style middleware, like the
// package's own setHeaderOptions().
export function withSignal(signal: AbortSignal): ConfigurationOptions<ObservableMiddleware> {
  return {
    middleware: [
      {
        pre: (context) => {
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
  const candidate = (err as { code?: unknown; statusCode?: unknown }).code ?? (err as { statusCode?: unknown }).statusCode;
  return typeof candidate === 'number' ? candidate : undefined;
}

export const isNotFound = (err: unknown): boolean => statusCodeOf(err) === 404;
export const isConflict = (err: unknown): boolean => statusCodeOf(err) === 409;
export const isGone = (err: unknown): boolean => statusCodeOf(err) === 410;
