import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { baseEnv, login, parseMetrics, start, startAuth, stopAll, type Started } from '../../testing/stack.ts';
import { createNotificationsService } from './service.ts';

let auth: Started;
let notifications: Started;
let alice: string;
let bob: string;

beforeAll(async () => {
  auth = await startAuth();
  notifications = await start(createNotificationsService(baseEnv({ AUTH_URL: auth.url, OUTBOX_CAPACITY: '3' })));
  [alice, bob] = await Promise.all([login(auth.url, 'alice'), login(auth.url, 'bob')]);
});
afterAll(() => stopAll(notifications, auth));

const http = () => request(notifications.url);
const notify = (message: string, token = alice, key?: string) => {
  const req = http().post('/notifications').set('Authorization', `Bearer ${token}`);
  return (key ? req.set('Idempotency-Key', key) : req).send({
    recipient: 'alice@example.test',
    channel: 'email',
    message,
  });
};
const list = (token = alice, query = '') =>
  http().get(`/notifications${query}`).set('Authorization', `Bearer ${token}`);

describe('notifications', () => {
  it('Given a full outbox, When another arrives, Then the oldest is dropped and counted', async () => {
    for (const m of ['one', 'two', 'three', 'four']) expect((await notify(m)).status).toBe(202);
    const res = await list();
    expect(res.body.items.map((n: { message: string }) => n.message)).toEqual(['four', 'three', 'two']);
    expect(res.body.capacity).toBe(3);
    const samples = parseMetrics((await http().get('/metrics')).text);
    expect(samples.find((s) => s.name === 'notifications_outbox_dropped_total')?.value).toBe(1);
    expect(samples.find((s) => s.name === 'notifications_outbox_size')?.value).toBe(3);
  });

  it("lists only the caller's notifications and honours ?limit", async () => {
    await notify('for bob', bob);
    expect((await list(bob)).body.items.map((n: { message: string }) => n.message)).toEqual(['for bob']);
    expect((await list(alice, '?limit=1')).body.items).toHaveLength(1);
  });

  it('replays a notification sent twice with the same Idempotency-Key', async () => {
    const first = await notify('once', alice, 'n-1');
    const again = await notify('once', alice, 'n-1');
    expect(again.body.id).toBe(first.body.id);
    expect(again.headers['idempotent-replayed']).toBe('true');
  });

  it.each([
    ['limit=0', '?limit=0'],
    ['limit=abc', '?limit=abc'],
    ['limit=501', '?limit=501'],
  ])('refuses %s with a 400', async (_name, query) => {
    const res = await list(alice, query);
    expect([res.status, res.body.message]).toEqual([400, 'query parameter limit must be an integer in 1..500']);
  });

  it.each([
    [
      'unknown channel',
      { recipient: 'a', channel: 'pigeon', message: 'x' },
      'body.channel must be one of email, sms, push',
    ],
    [
      'empty message',
      { recipient: 'a', channel: 'sms', message: '' },
      'body.message must be at least 1 characters long',
    ],
    [
      'long message',
      { recipient: 'a', channel: 'sms', message: 'x'.repeat(1001) },
      'body.message must be at most 1000 characters long',
    ],
    ['missing recipient', { channel: 'sms', message: 'x' }, 'body.recipient is required'],
  ])('refuses a notification with %s', async (_name, body, message) => {
    const res = await http().post('/notifications').set('Authorization', `Bearer ${alice}`).send(body);
    expect([res.status, res.body.message]).toEqual([400, message]);
  });

  it('refuses requests without a token', async () => {
    expect((await http().get('/notifications')).status).toBe(401);
    expect((await http().post('/notifications').send({})).status).toBe(401);
  });

  it('refuses a bad OUTBOX_CAPACITY at start', async () => {
    await expect(createNotificationsService(baseEnv({ AUTH_URL: auth.url, OUTBOX_CAPACITY: 'lots' }))).rejects.toThrow(
      'OUTBOX_CAPACITY must be an integer in 1..1000000, got "lots"',
    );
  });
});
