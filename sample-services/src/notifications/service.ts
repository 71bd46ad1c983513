// notifications: accepts messages into a bounded in-memory outbox (the oldest is dropped when
// full, and counted) and lists them. A real system would hand them to a mail/SMS provider.
import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { Counter, Gauge } from 'prom-client';
import { readJsonBody } from '../kit/body.ts';
import { BoundedMap } from '../kit/bounded.ts';
import { optional, parse, type Env } from '../kit/config.ts';
import { idempotencyKey, IdempotencyStore } from '../kit/idempotency.ts';
import { readKitConfig } from '../kit/kit-config.ts';
import type { Metrics } from '../kit/metrics.ts';
import { listLimit } from '../kit/query.ts';
import { createService, type Service } from '../kit/service.ts';
import { currentUser, requireUser, type TokenVerifier } from '../kit/tokens.ts';
import { bodyValidator } from '../kit/validate.ts';
import { tokenVerifierFromEnv } from '../kit/verifier-config.ts';
import { notificationsOpenapi } from './openapi.ts';
import { NOTIFY_SCHEMA, type NotifyRequest } from './schemas.ts';

export type Notification = NotifyRequest & { id: string; sender: string; status: 'queued'; createdAt: string };

export function notificationsRouter(
  capacity: number,
  verify: TokenVerifier,
  bodyLimit: number,
  metrics?: Metrics,
): Router {
  const outbox = new BoundedMap<string, Notification>(capacity, (n) => n.sender);
  const idempotency = new IdempotencyStore(capacity);
  if (metrics) registerOutboxMetrics(metrics, outbox);
  const validNotify = bodyValidator(NOTIFY_SCHEMA);
  const router = new Router();
  router.use(requireUser(verify));

  router.post('/notifications', async (ctx: Context) => {
    const key = idempotencyKey(ctx, { required: false });
    const req = validNotify(await readJsonBody(ctx, bodyLimit));
    const sender = currentUser(ctx).sub;
    const result = await idempotency.run(sender, key, req, async () => {
      const n: Notification = {
        id: randomUUID(),
        sender,
        ...req,
        status: 'queued',
        createdAt: new Date().toISOString(),
      };
      outbox.set(n.id, n);
      return { status: 202, body: n };
    });
    ctx.status = result.status;
    ctx.body = result.body;
    if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
  });

  router.get('/notifications', (ctx: Context) => {
    const limit = listLimit(ctx);
    const sender = currentUser(ctx).sub;
    ctx.body = { items: outbox.newestOf(sender, limit), capacity };
  });
  return router;
}

function registerOutboxMetrics(metrics: Metrics, outbox: BoundedMap<string, Notification>): void {
  new Gauge({
    name: 'notifications_outbox_size',
    help: 'Notifications currently held in the in-memory outbox.',
    registers: [metrics.registry],
    collect() {
      this.set(outbox.size);
    },
  });
  new Counter({
    name: 'notifications_outbox_dropped_total',
    help: 'Notifications dropped because the outbox was full (oldest first).',
    registers: [metrics.registry],
    collect() {
      this.reset();
      this.inc(outbox.evicted);
    },
  });
}

export async function createNotificationsService(env: Env, deps: { verify?: TokenVerifier } = {}): Promise<Service> {
  const kit = readKitConfig(env, 'notifications');
  const capacity = optional(env, 'OUTBOX_CAPACITY', parse.int(1, 1_000_000), 1000);
  const verify = deps.verify ?? tokenVerifierFromEnv(env);
  return createService({
    kit,
    router: (metrics) => notificationsRouter(capacity, verify, kit.bodyLimitBytes, metrics),
    openapi: notificationsOpenapi,
  });
}
