// payments: authorize and capture, both with idempotency keys. Amounts are integer minor units
// (cents) to avoid floating-point money; currencies come from an allow-list.
import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { readJsonBody } from '../kit/body.ts';
import { BoundedMap } from '../kit/bounded.ts';
import { optional, parse, type Env } from '../kit/config.ts';
import { HttpError, notFound } from '../kit/errors.ts';
import { idempotencyKey, IdempotencyStore } from '../kit/idempotency.ts';
import { readKitConfig } from '../kit/kit-config.ts';
import { createService, type Service } from '../kit/service.ts';
import { currentUser, requireUser, type TokenVerifier } from '../kit/tokens.ts';
import { pathParam } from '../kit/query.ts';
import { bodyValidator } from '../kit/validate.ts';
import { tokenVerifierFromEnv } from '../kit/verifier-config.ts';
import { paymentsOpenapi } from './openapi.ts';
import { authorizeSchema } from './schemas.ts';

export interface PaymentsConfig {
  capacity: number;
  currencies: string[];
  maxAmountCents: number;
}

export function readPaymentsConfig(env: Env): PaymentsConfig {
  return {
    capacity: optional(env, 'PAYMENTS_CAPACITY', parse.int(1, 1_000_000), 10_000),
    currencies: optional(
      env,
      'CURRENCIES',
      parse.list(parse.string({ pattern: /^[A-Z]{3}$/, what: 'ISO 4217 codes like EUR,USD' })),
      ['EUR', 'USD', 'GBP'],
    ),
    maxAmountCents: optional(env, 'MAX_AMOUNT_CENTS', parse.int(1, Number.MAX_SAFE_INTEGER), 1_000_000),
  };
}

export interface Payment {
  id: string;
  owner: string;
  orderId: string;
  amountCents: number;
  currency: string;
  status: 'authorized' | 'captured';
  createdAt: string;
  capturedAt?: string;
}

const publicView = ({ owner: _owner, ...rest }: Payment) => rest;

export function paymentsRouter(config: PaymentsConfig, verify: TokenVerifier, bodyLimit: number): Router {
  const payments = new BoundedMap<string, Payment>(config.capacity);
  const idempotency = new IdempotencyStore(config.capacity);
  const validAuthorize = bodyValidator(authorizeSchema(config));
  const router = new Router();
  router.use(requireUser(verify));

  router.post('/payments/authorize', async (ctx: Context) => {
    const key = idempotencyKey(ctx, { required: true });
    const req = validAuthorize(await readJsonBody(ctx, bodyLimit));
    const user = currentUser(ctx);
    const result = await idempotency.run(`${user.sub}:authorize`, key, req, async () => {
      const payment: Payment = {
        id: randomUUID(),
        owner: user.sub,
        ...req,
        status: 'authorized',
        createdAt: new Date().toISOString(),
      };
      payments.set(payment.id, payment);
      return { status: 201, body: publicView(payment) };
    });
    ctx.status = result.status;
    ctx.body = result.body;
    if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
  });

  router.post('/payments/:id/capture', async (ctx: Context) => {
    const key = idempotencyKey(ctx, { required: true });
    const user = currentUser(ctx);
    const id = pathParam(ctx, 'id');
    const result = await idempotency.run(`${user.sub}:capture`, key, id, async () => {
      const payment = payments.get(id);
      if (!payment || payment.owner !== user.sub) throw notFound(`payment ${id} not found`);
      if (payment.status === 'captured') {
        throw new HttpError(409, 'already_captured', `payment ${id} was already captured with another Idempotency-Key`);
      }
      payment.status = 'captured';
      payment.capturedAt = new Date().toISOString();
      return { status: 200, body: publicView(payment) };
    });
    ctx.status = result.status;
    ctx.body = result.body;
    if (result.replayed) ctx.set('Idempotent-Replayed', 'true');
  });

  router.get('/payments/:id', (ctx: Context) => {
    const payment = payments.get(pathParam(ctx, 'id'));
    if (!payment || payment.owner !== currentUser(ctx).sub) throw notFound(`payment ${pathParam(ctx, 'id')} not found`);
    ctx.body = publicView(payment);
  });
  return router;
}

export async function createPaymentsService(env: Env, deps: { verify?: TokenVerifier } = {}): Promise<Service> {
  const kit = readKitConfig(env, 'payments');
  const config = readPaymentsConfig(env);
  const verify = deps.verify ?? tokenVerifierFromEnv(env);
  return createService({
    kit,
    router: paymentsRouter(config, verify, kit.bodyLimitBytes),
    openapi: paymentsOpenapi(config),
  });
}
