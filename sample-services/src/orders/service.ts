// orders: validates an order, charges it through payments (authorize, then capture) and tells
// notifications, forwarding the caller's token. Every downstream write carries an
// Idempotency-Key derived from the order id, so the bounded retries in kit/dependency.ts can
// never charge twice. A failed dependency leaves the order recorded as "failed" and answers
// 502 (error / unreachable) or 504 (timeout) naming the dependency.
import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { readJsonBody } from '../kit/body.ts';
import { BoundedMap } from '../kit/bounded.ts';
import type { Env } from '../kit/config.ts';
import { createDependency, type Dependency } from '../kit/dependency.ts';
import { HttpError, notFound } from '../kit/errors.ts';
import { idempotencyKey, IdempotencyStore } from '../kit/idempotency.ts';
import { readKitConfig } from '../kit/kit-config.ts';
import { listLimit, pathParam } from '../kit/query.ts';
import { createService, type Service } from '../kit/service.ts';
import { currentUser, requireUser, type AuthedUser, type TokenVerifier } from '../kit/tokens.ts';
import { bodyValidator } from '../kit/validate.ts';
import { tokenVerifierFromEnv } from '../kit/verifier-config.ts';
import { readOrdersConfig, type OrdersConfig } from './config.ts';
import { ordersOpenapi } from './openapi.ts';
import { createOrderSchema, type CreateOrderRequest, type OrderItem } from './schemas.ts';

export interface Order {
  id: string;
  owner: string;
  items: OrderItem[];
  currency: string;
  totalCents: number;
  status: 'pending' | 'confirmed' | 'failed';
  paymentId?: string;
  notificationId?: string;
  failure?: string;
  createdAt: string;
}

export interface OrdersDeps {
  verify: TokenVerifier;
  payments: Dependency;
  notifications: Dependency;
}

const publicView = ({ owner: _owner, ...rest }: Order) => rest;

export function ordersRouter(config: OrdersConfig, deps: OrdersDeps, bodyLimit: number): Router {
  const orders = new BoundedMap<string, Order>(config.capacity, (o) => o.owner);
  const idempotency = new IdempotencyStore(config.capacity);
  const validOrder = bodyValidator(createOrderSchema(config.currencies));
  const router = new Router();
  router.use(requireUser(deps.verify));

  async function placeOrder(user: AuthedUser, req: CreateOrderRequest): Promise<Order> {
    const totalCents = req.items.reduce((sum, i) => sum + i.quantity * i.unitPriceCents, 0);
    if (totalCents > config.maxTotalCents) {
      throw new HttpError(
        400,
        'invalid_body',
        `order total ${totalCents} exceeds the maximum of ${config.maxTotalCents} cents`,
      );
    }
    const order: Order = {
      id: randomUUID(),
      owner: user.sub,
      items: req.items,
      currency: req.currency,
      totalCents,
      status: 'pending',
      createdAt: new Date().toISOString(),
    };
    orders.set(order.id, order);
    try {
      const auth = await deps.payments<{ id: string }>({
        method: 'POST',
        path: '/payments/authorize',
        token: user.token,
        idempotencyKey: `${order.id}:authorize`,
        body: { orderId: order.id, amountCents: totalCents, currency: req.currency },
      });
      order.paymentId = auth.id;
      await deps.payments({
        method: 'POST',
        path: `/payments/${encodeURIComponent(auth.id)}/capture`,
        token: user.token,
        idempotencyKey: `${order.id}:capture`,
      });
      const note = await deps.notifications<{ id: string }>({
        method: 'POST',
        path: '/notifications',
        token: user.token,
        idempotencyKey: `${order.id}:notify`,
        body: {
          recipient: user.sub,
          channel: req.notify?.channel ?? 'email',
          message: `Order ${order.id} confirmed: ${totalCents} ${req.currency}`,
        },
      });
      order.notificationId = note.id;
      order.status = 'confirmed';
      return order;
    } catch (err) {
      order.status = 'failed';
      order.failure = (err as Error).message;
      if (err instanceof HttpError)
        throw new HttpError(err.status, err.code, err.message, { ...err.details, orderId: order.id });
      throw err;
    }
  }

  router.post('/orders', async (ctx: Context) => {
    const key = idempotencyKey(ctx, { required: false });
    const req = validOrder(await readJsonBody(ctx, bodyLimit));
    const user = currentUser(ctx);
    const result = await idempotency.run(user.sub, key, req, async () => ({
      status: 201,
      body: publicView(await placeOrder(user, req)),
    }));
    ctx.status = result.status;
    ctx.body = result.body;
    if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
  });

  router.get('/orders', (ctx: Context) => {
    const owner = currentUser(ctx).sub;
    ctx.body = { items: orders.newestOf(owner, listLimit(ctx)).map(publicView) };
  });

  router.get('/orders/:id', (ctx: Context) => {
    const order = orders.get(pathParam(ctx, 'id'));
    if (!order || order.owner !== currentUser(ctx).sub) throw notFound(`order ${pathParam(ctx, 'id')} not found`);
    ctx.body = publicView(order);
  });
  return router;
}

export function ordersDepsFromConfig(config: OrdersConfig, verify: TokenVerifier): OrdersDeps {
  const common = { timeoutMs: config.dependencyTimeoutMs, retries: config.dependencyRetries };
  return {
    verify,
    payments: createDependency({ name: 'payments', baseUrl: config.paymentsUrl, ...common }),
    notifications: createDependency({ name: 'notifications', baseUrl: config.notificationsUrl, ...common }),
  };
}

export async function createOrdersService(env: Env, opts: { verify?: TokenVerifier } = {}): Promise<Service> {
  const kit = readKitConfig(env, 'orders');
  const config = readOrdersConfig(env);
  const deps = ordersDepsFromConfig(config, opts.verify ?? tokenVerifierFromEnv(env));
  return createService({
    kit,
    router: ordersRouter(config, deps, kit.bodyLimitBytes),
    openapi: ordersOpenapi(config.currencies),
  });
}
