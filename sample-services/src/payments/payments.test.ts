import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, closedPort, login, start, startAuth, stopAll, type Started } from '../../testing/stack.ts';
import { createPaymentsService } from './service.ts';

let auth: Started;
let payments: Started;
let alice: string;
let bob: string;

beforeAll(async () => {
  auth = await startAuth();
  payments = await start(createPaymentsService(baseEnv({ AUTH_URL: auth.url, MAX_AMOUNT_CENTS: '100000' })));
  [alice, bob] = await Promise.all([login(auth.url, 'alice'), login(auth.url, 'bob')]);
});
afterAll(() => stopAll(payments, auth));

const http = () => request(payments.url);
const authorize = (body: object, key: string | undefined, token = alice) => {
  const req = http().post('/payments/authorize').set('Authorization', `Bearer ${token}`);
  return key === undefined ? req.send(body) : req.set('Idempotency-Key', key).send(body);
};
const valid = { orderId: 'order-1', amountCents: 1250, currency: 'EUR' };

describe('payments', () => {
  it('Given an authorization, When captured, Then the payment reads back as captured', async () => {
    const auth1 = await authorize(valid, 'k-auth-1');
    expect(auth1.status).toBe(201);
    expect(auth1.body).toMatchObject({ ...valid, status: 'authorized' });
    const capture = await http()
      .post(`/payments/${auth1.body.id}/capture`)
      .set('Authorization', `Bearer ${alice}`)
      .set('Idempotency-Key', 'k-cap-1');
    expect([capture.status, capture.body.status]).toEqual([200, 'captured']);
    const read = await http().get(`/payments/${auth1.body.id}`).set('Authorization', `Bearer ${alice}`);
    expect(read.body).toMatchObject({ id: auth1.body.id, status: 'captured' });
    expect(read.body.owner).toBeUndefined();
  });

  it('replays an authorization with the same key instead of charging twice', async () => {
    const first = await authorize({ ...valid, orderId: 'order-2' }, 'k-auth-2');
    const again = await authorize({ ...valid, orderId: 'order-2' }, 'k-auth-2');
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
    const reused = await authorize({ ...valid, orderId: 'order-3' }, 'k-auth-2');
    expect([reused.status, reused.body.error]).toEqual([409, 'idempotency_key_reused']);
  });

  it('keeps idempotency keys per user', async () => {
    const a = await authorize(valid, 'shared-key', alice);
    const b = await authorize(valid, 'shared-key', bob);
    expect(b.status).toBe(201);
    expect(b.body.id).not.toBe(a.body.id);
  });

  it('capture is idempotent per key and refuses a second capture under another key', async () => {
    const { body } = await authorize({ ...valid, orderId: 'order-4' }, 'k-auth-4');
    const cap = () => http().post(`/payments/${body.id}/capture`).set('Authorization', `Bearer ${alice}`);
    expect((await cap().set('Idempotency-Key', 'c-4')).status).toBe(200);
    expect((await cap().set('Idempotency-Key', 'c-4')).headers['idempotent-replayed']).toBe('true');
    const other = await cap().set('Idempotency-Key', 'c-4b');
    expect([other.status, other.body.error]).toEqual([409, 'already_captured']);
  });

  it.each([
    ['zero amount', { ...valid, amountCents: 0 }, 'body.amountCents must be >= 1'],
    ['negative amount', { ...valid, amountCents: -5 }, 'body.amountCents must be >= 1'],
    ['fractional amount', { ...valid, amountCents: 12.5 }, 'body.amountCents must be an integer, got number 12.5'],
    ['amount as a string', { ...valid, amountCents: '100' }, 'body.amountCents must be an integer, got string "100"'],
    ['amount over MAX_AMOUNT_CENTS', { ...valid, amountCents: 100_001 }, 'body.amountCents must be <= 100000'],
    ['unknown currency', { ...valid, currency: 'XYZ' }, 'body.currency must be one of EUR, USD, GBP'],
    ['lower-case currency', { ...valid, currency: 'eur' }, 'body.currency must be one of EUR, USD, GBP'],
    ['missing orderId', { amountCents: 1, currency: 'EUR' }, 'body.orderId is required'],
    ['bad orderId', { ...valid, orderId: 'a b' }, 'body.orderId must match ^[A-Za-z0-9_-]+$'],
  ])('refuses %s with a 400 naming the field', async (_name, body, message) => {
    const res = await authorize(body, `k-${Math.random()}`.replace('0.', ''));
    expect([res.status, res.body.error, res.body.message]).toEqual([400, 'invalid_body', message]);
  });

  it.each([
    ['no Idempotency-Key', undefined, 'missing_idempotency_key'],
    ['a malformed Idempotency-Key', 'has spaces in it', 'invalid_idempotency_key'],
  ])('refuses an authorization with %s', async (_name, key, code) => {
    const res = await authorize(valid, key);
    expect([res.status, res.body.error]).toEqual([400, code]);
  });

  it("answers 404 for unknown payments and for another user's payment", async () => {
    const { body } = await authorize({ ...valid, orderId: 'order-5' }, 'k-auth-5');
    expect((await http().get(`/payments/${body.id}`).set('Authorization', `Bearer ${bob}`)).status).toBe(404);
    const missing = await http()
      .post('/payments/nope/capture')
      .set('Authorization', `Bearer ${alice}`)
      .set('Idempotency-Key', 'c-x');
    expect([missing.status, missing.body.message]).toEqual([404, 'payment nope not found']);
  });

  it.each([
    ['no token', undefined, 'missing Authorization header'],
    ['a tampered token', () => alice.slice(0, -4) + 'AAAA', 'token refused'],
    ['a garbage token', () => 'abc.def.ghi', 'token refused'],
  ])('refuses a request with %s with 401', async (_name, token, message) => {
    const req = http().get('/payments/whatever');
    const res = token ? await req.set('Authorization', `Bearer ${token()}`) : await req;
    expect(res.status).toBe(401);
    expect(res.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(res.body.message).toContain(message);
  });

  it('answers 503 auth_unavailable when the keys cannot be fetched', async () => {
    const orphan = await start(
      createPaymentsService(baseEnv({ AUTH_URL: `http://127.0.0.1:${await closedPort()}`, AUTH_TIMEOUT_MS: '500' })),
    );
    try {
      const res = await request(orphan.url).get('/payments/x').set('Authorization', `Bearer ${alice}`);
      expect([res.status, res.body.error]).toEqual([503, 'auth_unavailable']);
    } finally {
      await stopAll(orphan);
    }
  });
});
