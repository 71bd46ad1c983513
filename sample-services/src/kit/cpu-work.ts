// GET /work?ms=N: burns N ms of CPU on the request's thread, for autoscaling drills (a CPU-based
// HPA needs real CPU pressure; FAULT_LATENCY_MS only waits). Off unless CPU_WORK_MAX_MS > 0:
// a public route that burns CPU on demand is a denial-of-service lever, so no image serves it
// by default, and N is capped by that setting.
//
// The loop blocks the event loop for N ms: every other request of the pod (probes included)
// waits that long. Keep the cap well below the readiness probe's timeout.
import Router from '@koa/router';
import type { Context } from 'koa';
import { HttpError } from './errors.ts';
import { errorResponses } from './openapi.ts';

export const WORK_PATH = '/work';

/**
 * Spins until `ms` of wall-clock time have passed. Wall clock, not CPU time: on a starved node
 * the pod burns what it is given for that long, which is what "busy for N ms" means to a
 * client. Returns the ms actually spent.
 */
export function burnCpu(ms: number, now: () => number = () => performance.now()): number {
  const start = now();
  let spins = 0;
  while (now() - start < ms) spins++;
  // Read spins so the loop cannot be optimised away.
  return spins >= 0 ? now() - start : 0;
}

/** ?ms=N: an integer in 1..maxMs, anything else is a 400 naming `ms`. */
export function workMs(raw: unknown, maxMs: number): number {
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > maxMs) {
    throw new HttpError(400, 'invalid_query', `query parameter ms must be an integer in 1..${maxMs} (CPU_WORK_MAX_MS)`);
  }
  return n;
}

export function cpuWorkRouter(maxMs: number): Router {
  const router = new Router();
  router.get(WORK_PATH, (ctx: Context) => {
    const burnedMs = burnCpu(workMs(ctx.query['ms'], maxMs));
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { burnedMs: Math.round(burnedMs) };
  });
  return router;
}

/** The service's OpenAPI document with /work added, when the route is served. */
export function withWorkPath(openapi: Record<string, unknown>, maxMs: number): Record<string, unknown> {
  const paths = (openapi['paths'] ?? {}) as Record<string, unknown>;
  return {
    ...openapi,
    paths: {
      ...paths,
      [WORK_PATH]: {
        get: {
          // No token needed, whatever the service's default security says.
          security: [],
          summary: `Burn CPU for ms milliseconds (1..${maxMs}), for autoscaling drills; served only when CPU_WORK_MAX_MS > 0`,
          parameters: [
            {
              name: 'ms',
              in: 'query',
              required: true,
              schema: { type: 'integer', minimum: 1, maximum: maxMs },
            },
          ],
          responses: { '200': { description: 'CPU burned; burnedMs says how long' }, ...errorResponses(400) },
        },
      },
    },
  };
}
