// RED metrics with prom-client. The analysis queries of the operator depend on these names:
//   http_requests_total{service,version,color,method,route,code}            counter
//   http_request_duration_seconds{service,version,color,method,route,code}  histogram (_bucket/_sum/_count)
// plus prom-client's default process metrics (process_*, nodejs_*) with the same
// service/version/color labels. `route` is the router's template (/orders/:id), or
// "unmatched" for unknown paths, so a scanner cannot explode the label cardinality.
// Probe and tooling routes (/healthz, /readyz, /metrics, /openapi.json, /docs) are not
// counted: they are not user traffic and would dilute the error ratio.
import type { Context, Next } from 'koa';
import { collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';

export type ServiceLabels = { service: string; version: string; color: string };

export type Metrics = {
  registry: Registry;
  requests: Counter<'method' | 'route' | 'code'>;
  duration: Histogram<'method' | 'route' | 'code'>;
};

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

/** Koa middleware measuring every request that reaches it; must sit outside the error handler. */
export function redMiddleware(metrics: Metrics, isInfrastructure: (path: string) => boolean) {
  // prom-client hashes the label set on every inc()/observe(); caching the labelled children
  // per (method, route, code) skips that on the hot path. The key space is bounded (known
  // methods x route templates x status codes). Valid because the registry is never reset.
  const children = new Map<string, { count: { inc(): void }; observe: (seconds: number) => void }>();
  const child = (method: string, route: string, code: string) => {
    const key = `${method} ${route} ${code}`;
    let c = children.get(key);
    if (!c) {
      const h = metrics.duration.labels(method, route, code);
      c = { count: metrics.requests.labels(method, route, code), observe: (s) => h.observe(s) };
      children.set(key, c);
    }
    return c;
  };
  return async function measure(ctx: Context, next: Next): Promise<void> {
    if (isInfrastructure(ctx.path)) return next();
    const start = process.hrtime.bigint();
    try {
      await next();
    } finally {
      const matched = (ctx as { _matchedRoute?: string | RegExp })._matchedRoute;
      const c = child(ctx.method, typeof matched === 'string' ? matched : UNMATCHED_ROUTE, String(ctx.status));
      c.count.inc();
      c.observe(Number(process.hrtime.bigint() - start) / 1e9);
    }
  };
}
