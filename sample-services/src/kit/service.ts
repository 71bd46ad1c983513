// Assembles one sample service: the shared middleware stack around a service's own router.
//
//   identity headers (+ Connection: close while draining or past the connection's max age)
//   -> RED metrics (business routes only)
//   -> JSON errors
//   -> /healthz /readyz /metrics /openapi.json /docs (never faulted, never counted)
//   -> fault injection -> the service's router -> 404/405 as JSON
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import Koa, { type Context, type Next } from 'koa';
import type Router from '@koa/router';
import { createDocsHandler } from './docs.ts';
import { errorHandler } from './errors.ts';
import { faultInjection } from './faults.ts';
import type { FaultConfig, KitConfig } from './kit-config.ts';
import { createConnectionAgeCheck } from './connection-age.ts';
import { cpuWorkRouter, withWorkPath } from './cpu-work.ts';
import { createShutdown, type DrainState } from './lifecycle.ts';
import { ReadinessRefusals } from './readiness-refusals.ts';
import { createLogger, type Logger } from './log.ts';
import { createMetrics, createRequestRecorder, primeErrorSeries, type Metrics } from './metrics.ts';

export interface ServiceDefinition {
  kit: KitConfig;
  /** The business routes; a function when they need the service's metrics registry. */
  router: Router | ((metrics: Metrics) => Router);
  openapi: Record<string, unknown>;
  log?: Logger;
  /** Extra readiness condition, e.g. "signing key loaded". */
  isReady?: () => boolean;
}

export interface Service {
  app: Koa;
  metrics: Metrics;
  state: DrainState;
  log: Logger;
  /** The FAULT_* settings, for the entry point's crash drill. */
  faults: FaultConfig;
  /** Starts listening; resolves with the bound port (PORT=0 picks a free one). */
  listen(): Promise<RunningService>;
}

export interface RunningService {
  server: Server;
  port: number;
  url: string;
  shutdown(reason: string): Promise<void>;
}

const INFRASTRUCTURE = /^\/(healthz|readyz|metrics|openapi\.json|docs)(\/|$)/;
export const isInfrastructurePath = (path: string) => INFRASTRUCTURE.test(path);

/** The (method, route template) pairs a router serves, as the request recorder labels them. */
function routesOf(router: Router): { method: string; route: string }[] {
  return router.stack.flatMap((layer) =>
    typeof layer.path === 'string'
      ? layer.methods.filter((m) => m !== 'HEAD').map((method) => ({ method, route: layer.path as string }))
      : [],
  );
}

export function createService(def: ServiceDefinition): Service {
  const { kit } = def;
  const log = def.log ?? createLogger({ service: kit.service, version: kit.version, color: kit.color }, kit.logLevel);
  const metrics = createMetrics({ service: kit.service, version: kit.version, color: kit.color });
  const state: DrainState = { draining: false, refusals: new ReadinessRefusals() };
  const serveDocs = createDocsHandler();
  const work = kit.cpuWorkMaxMs > 0 ? cpuWorkRouter(kit.cpuWorkMaxMs) : undefined;
  const openapi = work ? withWorkPath(def.openapi, kit.cpuWorkMaxMs) : def.openapi;
  const app = new Koa();
  app.proxy = true;
  // Errors are logged by errorHandler; Koa's default handler would print stacks to stderr.
  app.silent = true;

  const connectionExpired = createConnectionAgeCheck({ maxAgeMs: kit.maxConnectionAgeMs });
  const recordRequest = kit.metricsEnabled ? createRequestRecorder(metrics) : undefined;
  // One outer middleware for identity headers and RED metrics: every extra async layer costs
  // a promise per request, and this is the hot path of every business call.
  app.use(async function front(ctx: Context, next: Next) {
    ctx.set('X-Service', kit.service);
    ctx.set('X-Version', kit.version);
    ctx.set('X-Color', kit.color);
    // Either way the client learns from this response that the socket is done and reconnects,
    // through kube-proxy's current rules, to whichever colour the Service selects now.
    if (state.draining || connectionExpired(ctx.req.socket)) ctx.set('Connection', 'close');
    if (recordRequest === undefined || isInfrastructurePath(ctx.path)) return next() as Promise<void>;
    const start = performance.now();
    try {
      await next();
    } finally {
      recordRequest(ctx, (performance.now() - start) / 1000);
    }
  });
  if (kit.logLevel === 'debug') {
    // Access log only at debug: at info, one line per request would cost more than the service.
    app.use(async function accessLog(ctx: Context, next: Next) {
      const start = performance.now();
      try {
        await next();
      } finally {
        log.debug('request', {
          method: ctx.method,
          path: ctx.path,
          status: ctx.status,
          ms: +(performance.now() - start).toFixed(2),
        });
      }
    });
  }
  app.use(errorHandler(log));
  // Not async for business paths: hands the request straight on without another promise.
  app.use(function infrastructure(ctx: Context, next: Next) {
    return isInfrastructurePath(ctx.path) ? serveInfrastructure(ctx, next) : next();
  });
  async function serveInfrastructure(ctx: Context, next: Next): Promise<void> {
    if (ctx.method !== 'GET' && ctx.method !== 'HEAD') {
      ctx.set('Allow', 'GET, HEAD');
      ctx.status = 405;
      ctx.body = { error: 'method_not_allowed', message: `${ctx.path} accepts GET and HEAD only` };
      return;
    }
    switch (ctx.path) {
      case '/healthz':
        ctx.body = { status: 'ok' };
        return;
      case '/readyz': {
        const reasons: string[] = [];
        if (state.draining) reasons.push('draining');
        if (kit.faults.failReadiness) reasons.push('FAULT_FAIL_READINESS');
        if (def.isReady && !def.isReady()) reasons.push('not initialised');
        ctx.status = reasons.length === 0 ? 200 : 503;
        ctx.body = reasons.length === 0 ? { status: 'ready' } : { status: 'not_ready', reasons };
        if (state.draining) state.refusals.record();
        return;
      }
      case '/metrics':
        ctx.type = metrics.registry.contentType;
        ctx.body = await metrics.registry.metrics();
        return;
      case '/openapi.json':
        ctx.body = openapi;
        return;
    }
    if (!(await serveDocs(ctx))) await next();
  }
  if (kit.faults.errorRate > 0 || kit.faults.latencyMs > 0) app.use(faultInjection(kit.faults));
  const router = typeof def.router === 'function' ? def.router(metrics) : def.router;
  if (kit.metricsEnabled) primeErrorSeries(metrics, [...routesOf(router), ...(work ? routesOf(work) : [])]);
  // After fault injection, like every business route: a faulty release burns CPU and fails.
  if (work) app.use(work.routes());
  app.use(router.routes());
  app.use(router.allowedMethods());

  return {
    app,
    metrics,
    state,
    log,
    faults: kit.faults,
    listen: () => listen(app, kit, state, log),
  };
}

function listen(app: Koa, kit: KitConfig, state: DrainState, log: Logger): Promise<RunningService> {
  // Koa's callback catches its own errors (ctx.onerror); the promise it returns never rejects.
  // eslint-disable-next-line @typescript-eslint/no-misused-promises
  const server = createServer(app.callback());
  // Longer than typical load-balancer idle timeouts so the proxy, not us, closes idle sockets.
  server.keepAliveTimeout = 65_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(kit.port, kit.host, () => {
      server.off('error', reject);
      const port = (server.address() as AddressInfo).port;
      log.info('listening', { host: kit.host, port });
      const shutdown = createShutdown(server, state, log, {
        delayMs: kit.shutdownDelayMs,
        timeoutMs: kit.shutdownTimeoutMs,
      });
      const host = kit.host === '0.0.0.0' || kit.host === '::' ? '127.0.0.1' : kit.host;
      resolve({ server, port, url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`, shutdown });
    });
  });
}
