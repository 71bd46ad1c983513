// RED metrics with prom-client. The analysis queries of the operator depend on these names:
//   http_requests_total{service,version,color,method,route,code}            counter
//   http_request_duration_seconds{service,version,color,method,route,code}  histogram (_bucket/_sum/_count)
// plus prom-client's default process metrics (process_*, nodejs_*) with the same
// service/version/color labels. `route` is the router's template (/orders/:id), or
// "unmatched" for unknown paths, so a scanner cannot explode the label cardinality.
// Probe and tooling routes (/healthz, /readyz, /metrics, /openapi.json, /docs) are not
// counted: they are not user traffic and would dilute the error ratio.
import type { Context } from 'koa';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export interface ServiceLabels {
  service: string;
  version: string;
  color: string;
}

export interface Metrics {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'code'>;
  duration: Histogram<'method' | 'route' | 'code'>;
}

export const UNMATCHED_ROUTE = 'unmatched';

// One registry per service instance (not the global one) so tests can run several in one process.
export function createMetrics(labels: ServiceLabels, opts: { defaultMetrics?: boolean } = {}): Metrics {
  const registry = new Registry();
  registry.setDefaultLabels(labels);
  if (opts.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const labelNames = ['method', 'route', 'code'] as const;
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests handled, by method, route template and status code.',
    labelNames,
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration from first byte read to response handed to the socket.',
    labelNames,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  return { registry, requests, duration };
}

/**
 * Creates http_requests_total{code="500"} at 0 for every route the router serves. Without it
 * the 5xx series of a fresh pod only appears with its first error, and rate() never counts
 * a series' first sample: an error-ratio analysis would see "no 5xx series" (no data, or 0
 * with `or vector(0)`) while a bad release is already failing. Initialised counters are the
 * Prometheus advice; 500 is the code an unhandled error or an injected fault answers with.
 */
export function primeErrorSeries(metrics: Metrics, routes: readonly { method: string; route: string }[]): void {
  for (const { method, route } of routes) metrics.requests.labels(method, route, '500').inc(0);
}

/**
 * Returns the function that records one finished business request. It is called from the
 * service's outermost middleware (kit/service.ts), outside the error handler, so it sees the
 * final status code.
 */
export function createRequestRecorder(metrics: Metrics) {
  // prom-client hashes the label set on every inc()/observe(); caching the labelled children
  // per (method, route, code) skips part of that on the hot path. The key space is bounded
  // (known methods x route templates x status codes). Valid because the registry is never reset.
  const children = new Map<string, { count: { inc(): void }; duration: { observe(v: number): void } }>();
  return function recordRequest(ctx: Context, seconds: number): void {
    const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
    const route = typeof matched === 'string' ? matched : UNMATCHED_ROUTE;
    const code = String(ctx.status);
    const key = `${ctx.method} ${route} ${code}`;
    let child = children.get(key);
    if (!child) {
      child = {
        count: metrics.requests.labels(ctx.method, route, code),
        duration: metrics.duration.labels(ctx.method, route, code),
      };
      children.set(key, child);
    }
    child.count.inc();
    child.duration.observe(seconds);
  };
}
