// orders against real payments and notifications instances on loopback ports.
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Env } from '../kit/config.ts';
import { createNotificationsService } from '../notifications/service.ts';
import { createPaymentsService } from '../payments/service.ts';
import {
  baseEnv,
  closedPort,
  login,
  parseMetrics,
  start,
  startAuth,
  stopAll,
  type Started,
} from '../../testing/stack.ts';
import { createOrdersService } from './service.ts';

let auth: Started;
let payments: Started;
let notifications: Started;
let orders: Started;
let alice: string;
let bob: string;
const extra: Started[] = [];

beforeAll(async () => {
  auth = await startAuth();
  [payments, notifications] = await Promise.all([
    start(createPaymentsService(baseEnv({ AUTH_URL: auth.url }))),
    start(createNotificationsService(baseEnv({ AUTH_URL: auth.url }))),
  ]);
  orders = await startOrders({});
  [alice, bob] = await Promise.all([login(auth.url, 'alice'), login(auth.url, 'bob')]);
});
afterAll(() => stopAll(...extra, orders, payments, notifications, auth));

async function startOrders(env: Env): Promise<Started> {
  const s = await start(
    createOrdersService(
      baseEnv({ AUTH_URL: auth.url, PAYMENTS_URL: payments?.url, NOTIFICATIONS_URL: notifications?.url, ...env }),
    ),
  );
  extra.push(s);
  return s;
}

const ORDER = { items: [{ sku: 'BOOK-42', quantity: 2, unitPriceCents: 1999 }], currency: 'EUR' };
const place = (url: string, body: object = ORDER, token = alice) =>
  request(url).post('/orders').set('Authorization', `Bearer ${token}`).send(body);

describe('orders', () => {
  it('Given valid input, When an order is placed, Then payments captured it and notifications queued a message', async () => {
    const res = await place(orders.url);
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ status: 'confirmed', totalCents: 3998, currency: 'EUR' });
    const payment = await request(payments.url)
      .get(`/payments/${res.body.paymentId}`)
      .set('Authorization', `Bearer ${alice}`);
    expect(payment.body).toMatchObject({ orderId: res.body.id, amountCents: 3998, status: 'captured' });
    const outbox = await request(notifications.url).get('/notifications').set('Authorization', `Bearer ${alice}`);
    expect(outbox.body.items.map((n: { id: string }) => n.id)).toContain(res.body.notificationId);
  });

  it("lists and gets the caller's orders, and hides them from other users", async () => {
    const { body } = await place(orders.url);
    const mine = await request(orders.url).get('/orders?limit=1').set('Authorization', `Bearer ${alice}`);
    expect(mine.body.items.map((o: { id: string }) => o.id)).toEqual([body.id]);
    expect((await request(orders.url).get(`/orders/${body.id}`).set('Authorization', `Bearer ${alice}`)).body.id).toBe(
      body.id,
    );
    expect((await request(orders.url).get(`/orders/${body.id}`).set('Authorization', `Bearer ${bob}`)).status).toBe(
      404,
    );
    expect((await request(orders.url).get('/orders').set('Authorization', `Bearer ${bob}`)).body.items).toEqual([]);
  });

  it('replays an order placed twice with the same Idempotency-Key', async () => {
    const send = (body: object) =>
      request(orders.url)
        .post('/orders')
        .set('Authorization', `Bearer ${alice}`)
        .set('Idempotency-Key', 'order-key-1')
        .send(body);
    const first = await send(ORDER);
    const again = await send(ORDER);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect((await send({ ...ORDER, currency: 'USD' })).status).toBe(409);
  });

  it.each([
    ['no items', { items: [], currency: 'EUR' }, 'body.items must have at least 1 item(s)'],
    ['items not an array', { items: {}, currency: 'EUR' }, 'body.items must be an array, got an object'],
    ['missing currency', { items: ORDER.items }, 'body.currency is required'],
    ['unknown currency', { ...ORDER, currency: 'DOGE' }, 'body.currency must be one of EUR, USD, GBP'],
    [
      'quantity as string',
      { ...ORDER, items: [{ sku: 'BOOK-42', quantity: '2', unitPriceCents: 1 }] },
      'body.items[0].quantity must be an integer, got string "2"',
    ],
    [
      'zero quantity',
      { ...ORDER, items: [{ sku: 'BOOK-42', quantity: 0, unitPriceCents: 1 }] },
      'body.items[0].quantity must be >= 1',
    ],
    [
      'bad sku',
      { ...ORDER, items: [{ sku: 'book 42', quantity: 1, unitPriceCents: 1 }] },
      'body.items[0].sku must match ^[A-Z0-9-]{3,32}$',
    ],
    [
      'negative price',
      { ...ORDER, items: [{ sku: 'BOOK-42', quantity: 1, unitPriceCents: -1 }] },
      'body.items[0].unitPriceCents must be >= 1',
    ],
    ['unknown field', { ...ORDER, coupon: 'FREE' }, 'body.coupon is not an allowed field'],
    [
      'bad notify channel',
      { ...ORDER, notify: { channel: 'fax' } },
      'body.notify.channel must be one of email, sms, push',
    ],
    [
      'total over the maximum',
      { ...ORDER, items: [{ sku: 'CAR-1', quantity: 100, unitPriceCents: 1_000_000 }] },
      'order total 100000000 exceeds the maximum of 1000000 cents',
    ],
  ])('refuses %s with a 400 naming the problem', async (_name, body, message) => {
    const res = await place(orders.url, body);
    expect([res.status, res.body.message]).toEqual([400, message]);
  });

  it('refuses malformed JSON, a wrong content type, oversized bodies, and missing or bad tokens', async () => {
    const post = () => request(orders.url).post('/orders').set('Authorization', `Bearer ${alice}`);
    expect((await post().set('Content-Type', 'application/json').send('{"items": [')).body.error).toBe(
      'malformed_json',
    );
    expect((await post().set('Content-Type', 'text/plain').send('items')).status).toBe(415);
    expect((await post().send({ ...ORDER, pad: 'x'.repeat(70_000) })).status).toBe(413);
    expect((await request(orders.url).post('/orders').send(ORDER)).status).toBe(401);
    expect((await place(orders.url, ORDER, 'x.y.z')).status).toBe(401);
    expect(
      (await request(orders.url).get('/orders/does-not-exist').set('Authorization', `Bearer ${alice}`)).status,
    ).toBe(404);
  });

  it('answers 502 naming payments when payments keeps failing, and records the order as failed', async () => {
    const broken = await start(createPaymentsService(baseEnv({ AUTH_URL: auth.url, FAULT_ERROR_RATE: '1' })));
    extra.push(broken);
    const o = await startOrders({ PAYMENTS_URL: broken.url, DEPENDENCY_RETRIES: '1' });
    const res = await place(o.url);
    expect(res.status).toBe(502);
    expect(res.body).toMatchObject({ error: 'dependency_failed', dependency: 'payments', dependencyStatus: 500 });
    expect(res.body.message).toBe('payments answered 500: injected fault (FAULT_ERROR_RATE) (2 attempt(s))');
    const stored = await request(o.url).get(`/orders/${res.body.orderId}`).set('Authorization', `Bearer ${alice}`);
    expect(stored.body.status).toBe('failed');
  });

  it('answers 504 naming notifications when it is slower than DEPENDENCY_TIMEOUT_MS', async () => {
    const slow = await start(createNotificationsService(baseEnv({ AUTH_URL: auth.url, FAULT_LATENCY_MS: '1000' })));
    extra.push(slow);
    const o = await startOrders({ NOTIFICATIONS_URL: slow.url, DEPENDENCY_TIMEOUT_MS: '100', DEPENDENCY_RETRIES: '1' });
    const res = await place(o.url);
    expect([res.status, res.body.error, res.body.dependency]).toEqual([504, 'dependency_timeout', 'notifications']);
    expect(res.body.message).toBe('notifications did not answer within 100 ms (2 attempt(s))');
  });

  it('answers 502 dependency_unreachable when nothing listens', async () => {
    const o = await startOrders({ PAYMENTS_URL: `http://127.0.0.1:${await closedPort()}`, DEPENDENCY_RETRIES: '0' });
    const res = await place(o.url);
    expect([res.status, res.body.error]).toEqual([502, 'dependency_unreachable']);
    expect(res.body.message).toContain('ECONNREFUSED');
  });

  it('retries a lost response with the same Idempotency-Key, so the customer is charged once', async () => {
    // A proxy that forwards to payments but throws away the first answer to each request path,
    // as if the connection broke after payments did the work.
    const seen = new Set<string>();
    // eslint-disable-next-line @typescript-eslint/no-misused-promises -- a failure fails the test's request
    const proxy: Server = createServer(async (req, res) => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const upstream = await fetch(`${payments.url}${req.url}`, {
        method: req.method,
        headers: req.headers as Record<string, string>,
        body: chunks.length ? Buffer.concat(chunks) : undefined,
      });
      const body = await upstream.text();
      const first = !seen.has(req.url!);
      seen.add(req.url!);
      res.writeHead(first ? 503 : upstream.status, { 'content-type': 'application/json' });
      res.end(first ? '{"error":"lost","message":"response lost"}' : body);
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const o = await startOrders({
        PAYMENTS_URL: `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`,
        DEPENDENCY_RETRIES: '2',
      });
      const res = await place(o.url, { ...ORDER, currency: 'GBP' });
      expect(res.status).toBe(201);
      expect(seen.size).toBe(2); // authorize and capture, each answered on the retry
      const payment = await request(payments.url)
        .get(`/payments/${res.body.paymentId}`)
        .set('Authorization', `Bearer ${alice}`);
      expect(payment.body.status).toBe('captured');
      const authorized = await request(payments.url)
        .post('/payments/authorize')
        .set('Authorization', `Bearer ${alice}`)
        .set('Idempotency-Key', `${res.body.id}:authorize`)
        .send({ orderId: res.body.id, amountCents: 3998, currency: 'GBP' });
      expect(authorized.headers['idempotent-replayed']).toBe('true'); // the retry did not create a second payment
      expect(authorized.body.id).toBe(res.body.paymentId);
    } finally {
      proxy.closeAllConnections();
      await new Promise((r) => proxy.close(r));
    }
  });

  it('exposes the order outcomes in http_requests_total by route and code', async () => {
    const samples = parseMetrics((await request(orders.url).get('/metrics')).text);
    const created = samples.find(
      (s) => s.name === 'http_requests_total' && s.labels['route'] === '/orders' && s.labels['code'] === '201',
    );
    expect(created?.labels).toMatchObject({ service: 'orders', version: 'v1', color: 'blue', method: 'POST' });
    expect(created?.value).toBeGreaterThanOrEqual(3);
    expect(samples.some((s) => s.labels['route'] === '/orders/:id' && s.labels['code'] === '404')).toBe(true);
  });
});
