// Delivery against a local receiver (127.0.0.1, port 0) through the real HTTP attempt, with the
// outbox on a FakeClock: backoff waits are clock steps, never sleeps.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { downUrl, Receiver } from '../../testing/receiver.ts';
import type { NotificationRecord } from '../api/types.ts';
import { FakeClock } from '../runtime/clock.ts';
import { Outbox, type Delivery, type Finish } from './outbox.ts';
import { PAYLOAD_SCHEMA } from './payloads.ts';
import type { ProviderConfig } from './routing.ts';
import { attemptDelivery, type AttemptOutcome } from './send.ts';
import { signature } from './sign.ts';

let dir: string;
let receiver: Receiver;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'notify-'));
  receiver = await Receiver.start();
});
afterEach(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

function secret(provider: string, keys: Record<string, string>): void {
  mkdirSync(path.join(dir, provider), { recursive: true });
  for (const [k, v] of Object.entries(keys)) writeFileSync(path.join(dir, provider, k), `${v}\n`);
}

const object = { namespace: 'shop', name: 'orders', uid: 'uid-1' };
const record = (n: number, event: NotificationRecord['event'] = 'Promoted'): NotificationRecord => ({
  key: `key-${n}`,
  event,
  severity: 'Normal',
  occurredAt: '2026-12-08T10:00:00.000Z',
  summary: `notification ${n}`,
  revision: 'r2',
  color: 'green',
});

function harness(providers: ProviderConfig[], timeoutMs = 2_000) {
  const clock = new FakeClock();
  const finished: [string, Finish][] = [];
  const outcomes: AttemptOutcome[] = [];
  const outbox = new Outbox({
    clock,
    capacity: 3,
    concurrency: 2,
    retryForMs: 60_000,
    random: () => 0,
    attempt: (d: Delivery, signal) =>
      attemptDelivery(
        providers.find((p) => p.name === d.provider)!,
        d.record,
        d.object,
        { secretsDir: dir, timeoutMs },
        signal,
      ),
    onAttempt: (_d, outcome) => outcomes.push(outcome),
    onFinish: (d, f) => finished.push([d.record.key, f]),
  });
  const offer = (n: number, provider = providers[0]!.name) =>
    outbox.enqueue({ objectKey: 'shop/orders', object, provider, record: record(n) });
  return { clock, outbox, finished, outcomes, offer };
}

describe('Given the generic webhook with an HMAC key', () => {
  it('Then the body follows the schema, carries the idempotency key, and the signature verifies with the key', async () => {
    secret('audit', { url: receiver.url(), hmacKey: 's3cret-key' });
    const h = harness([{ name: 'audit', type: 'webhook' }]);
    h.offer(1);
    await h.outbox.settled();
    const [got] = receiver.received;
    expect(got!.headers['idempotency-key']).toBe('key-1');
    expect(got!.headers['x-bluegreen-event']).toBe('Promoted');
    expect(got!.headers['x-bluegreen-signature-256']).toBe(signature(got!.body, 's3cret-key'));
    expect(JSON.parse(got!.body)).toEqual({
      schema: PAYLOAD_SCHEMA,
      idempotencyKey: 'key-1',
      event: 'Promoted',
      severity: 'Normal',
      occurredAt: '2026-12-08T10:00:00.000Z',
      object: { apiVersion: 'bluegreen.dev/v1alpha1', kind: 'BlueGreenService', ...object },
      summary: 'notification 1',
      revision: 'r2',
      color: 'green',
    });
    expect(h.finished).toEqual([['key-1', { kind: 'delivered' }]]);
  });

  it('Then without a key there is no signature header', async () => {
    secret('audit', { url: receiver.url() });
    const h = harness([{ name: 'audit', type: 'webhook' }]);
    h.offer(1);
    await h.outbox.settled();
    expect(receiver.received[0]!.headers['x-bluegreen-signature-256']).toBeUndefined();
  });
});

describe('Given Slack and Teams incoming webhooks', () => {
  it('Then Slack gets one mrkdwn text and Teams one Adaptive Card, no idempotency header (they would not read it)', async () => {
    secret('slack', { url: receiver.url('/services/T000/B000/XXXX') });
    secret('teams', { url: receiver.url('/workflows/abc') });
    const h = harness([
      { name: 'slack', type: 'slack' },
      { name: 'teams', type: 'teams' },
    ]);
    h.offer(1, 'slack');
    h.offer(1, 'teams');
    await h.outbox.settled();
    const byPath = Object.fromEntries(receiver.received.map((r) => [r.path, r]));
    expect(JSON.parse(byPath['/services/T000/B000/XXXX']!.body)).toEqual({
      text: '*shop/orders: promoted*\nnotification 1',
    });
    const teams = JSON.parse(byPath['/workflows/abc']!.body);
    expect(teams.attachments[0].contentType).toBe('application/vnd.microsoft.card.adaptive');
    expect(teams.attachments[0].content.body[0].text).toBe('shop/orders: promoted');
    expect(byPath['/workflows/abc']!.headers['idempotency-key']).toBeUndefined();
  });
});

describe('Given the outbox', () => {
  it('When the first of three fails twice, Then all arrive in order, retried with backoff on the clock and the same key', async () => {
    secret('audit', { url: receiver.url() });
    receiver.script.push(503, 500);
    const h = harness([{ name: 'audit', type: 'webhook' }]);
    [1, 2, 3].forEach((n) => h.offer(n));
    await h.outbox.settled();
    expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual(['key-1']); // 2 and 3 wait behind 1
    h.clock.advance(499);
    await h.outbox.settled();
    expect(receiver.received).toHaveLength(1); // first retry after 500 ms (jitter 0), not before
    h.clock.advance(1);
    await h.outbox.settled();
    h.clock.advance(1_000);
    for (let i = 0; i < 3; i++) await h.outbox.settled();
    expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual([
      'key-1',
      'key-1',
      'key-1',
      'key-2',
      'key-3',
    ]);
    expect(h.finished.map(([k]) => k)).toEqual(['key-1', 'key-2', 'key-3']);
    expect(h.outcomes.slice(0, 2)).toEqual([
      { kind: 'retry', error: 'HTTP 503' },
      { kind: 'retry', error: 'HTTP 500' },
    ]);
  });

  it('When the same delivery is offered again (a resync), Then it is not queued twice, and past capacity the outbox says full', async () => {
    secret('audit', { url: receiver.url() });
    receiver.otherwise = 'hang';
    const h = harness([{ name: 'audit', type: 'webhook' }], 60_000);
    expect([h.offer(1), h.offer(1), h.offer(2), h.offer(3), h.offer(4)]).toEqual([
      'queued',
      'known',
      'queued',
      'queued',
      'full',
    ]);
    h.outbox.stop();
    await h.outbox.settled();
    expect(h.finished).toEqual([]);
  });

  it('When the receiver is down, Then attempts fail by error code, back off, and are given up after the horizon', async () => {
    secret('audit', { url: await downUrl('/T0KEN') });
    const h = harness([{ name: 'audit', type: 'webhook' }]);
    h.offer(1);
    for (let t = 0; t < 300_000 && h.finished.length === 0; t += 5_000) {
      await h.outbox.settled();
      h.clock.advance(5_000);
    }
    await h.outbox.settled();
    expect(h.outcomes.length).toBeGreaterThan(3);
    expect(h.outcomes.every((o) => o.kind === 'retry' && o.error === 'network error ECONNREFUSED')).toBe(true);
    expect(h.finished).toEqual([['key-1', { kind: 'dropped', why: 'expired', error: 'network error ECONNREFUSED' }]]);
  });

  it('When the receiver refuses (404), Then it is given up at once; 429 waits for Retry-After', async () => {
    secret('audit', { url: receiver.url() });
    receiver.script.push(404, { status: 429, retryAfterSeconds: 30 });
    const h = harness([{ name: 'audit', type: 'webhook' }]);
    h.offer(1);
    await h.outbox.settled();
    expect(h.finished).toEqual([['key-1', { kind: 'dropped', why: 'refused', error: 'HTTP 404' }]]);
    h.offer(2);
    await h.outbox.settled();
    h.clock.advance(29_999);
    await h.outbox.settled();
    expect(receiver.received).toHaveLength(2);
    h.clock.advance(1);
    await h.outbox.settled();
    expect(receiver.received).toHaveLength(3);
  });

  it('When the receiver is slow, Then the attempt ends at its deadline and is retried', async () => {
    secret('audit', { url: receiver.url() });
    receiver.script.push('hang');
    const h = harness([{ name: 'audit', type: 'webhook' }], 100);
    h.offer(1);
    await h.outbox.settled();
    expect(h.outcomes).toEqual([{ kind: 'retry', error: 'no answer within 100 ms' }]);
    h.clock.advance(500);
    await h.outbox.settled();
    expect(h.finished).toEqual([['key-1', { kind: 'delivered' }]]);
  });

  it('When the Secret has no url, Then the attempt fails naming the key (never a value) and is retried', async () => {
    secret('audit', { hmacKey: 'k' });
    const h = harness([{ name: 'audit', type: 'webhook' }]);
    h.offer(1);
    await h.outbox.settled();
    expect(h.outcomes).toEqual([
      { kind: 'retry', error: `its Secret has no "url" key (mounted at ${path.join(dir, 'audit')})` },
    ]);
  });
});
