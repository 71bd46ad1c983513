// The Notifications port on its own: status merge, offers to a bounded outbox, and what it says
// when a reference or the CRD is wrong. Deliveries go to a local receiver.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Receiver } from '../../testing/receiver.ts';
import type { BlueGreenService, BlueGreenServiceStatus, PendingNotification } from '../api/types.ts';
import { notificationMetrics } from '../metrics/notification-metrics.ts';
import { FakeClock } from '../runtime/clock.ts';
import { createLogger } from '../runtime/logger.ts';
import { Notifications } from './notifications.ts';

let dir: string;
let receiver: Receiver;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'notify-port-'));
  receiver = await Receiver.start();
  mkdirSync(path.join(dir, 'audit'));
  writeFileSync(path.join(dir, 'audit', 'url'), receiver.url());
});
afterEach(async () => {
  await receiver.close();
  rmSync(dir, { recursive: true, force: true });
});

function port(capacity = 10) {
  const recorded: { reason: string; message: string }[] = [];
  const requeued: string[] = [];
  const lines: string[] = [];
  const n = new Notifications({
    settings: {
      providers: [{ name: 'audit', type: 'webhook' }],
      defaultProviders: ['audit'],
      secretsDir: dir,
      timeoutMs: 2_000,
      retryForMs: 60_000,
      capacity,
      concurrency: 1,
    },
    events: { record: async (_b, _t, reason, message) => void recorded.push({ reason, message }) },
    metrics: notificationMetrics(new Registry(), ['audit']),
    logger: createLogger({}, { write: (l) => lines.push(l) }),
    clock: new FakeClock(),
    requeue: (key) => requeued.push(key),
  });
  n.start();
  return { n, recorded, requeued, lines };
}

const entry = (key: string): PendingNotification => ({
  key,
  event: 'Promoted',
  severity: 'Normal',
  occurredAt: '2026-12-08T10:00:00.000Z',
  summary: key,
  providers: ['audit'],
});

function bgs(
  status: BlueGreenServiceStatus,
  notifications?: BlueGreenService['spec']['notifications'],
): BlueGreenService {
  return {
    apiVersion: 'bluegreen.dev/v1alpha1',
    kind: 'BlueGreenService',
    metadata: { name: 'orders', namespace: 'shop', uid: 'u', generation: 3 },
    spec: { template: {}, service: { ports: [{ port: 80 }] }, ...(notifications ? { notifications } : {}) },
    status,
  };
}

describe('Notifications', () => {
  it('Given a full outbox, When the first delivery finishes, Then the object is reconciled again and the rest goes out in order', async () => {
    const { n, requeued } = port(1);
    const status = { notifications: { pending: [entry('a'), entry('b')] } };
    n.offer(bgs(status), status);
    await n.settled();
    expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual(['a']);
    expect(requeued).toEqual(['shop/orders', 'shop/orders']); // its acknowledgement, and the deferred rest
    const next = n.statusFor(bgs(status), {}, [], 0);
    expect(next.notifications?.pending.map((p) => p.key)).toEqual(['b']);
    n.offer(bgs(next), next);
    await n.settled();
    expect(receiver.received.map((r) => r.headers['idempotency-key'])).toEqual(['a', 'b']);
    expect(n.statusFor(bgs(next), {}, [], 0)).toEqual({});
  });

  it('Given the operator is not leading, Then nothing is offered', async () => {
    const { n } = port();
    n.stop();
    const status = { notifications: { pending: [entry('a')] } };
    n.offer(bgs(status), status);
    await n.settled();
    expect(receiver.received).toEqual([]);
  });

  it('Given a reference to a provider nobody configured, Then one Warning Event per generation names it', () => {
    const { n, recorded } = port();
    const object = bgs({}, [{ provider: 'pager' }]);
    n.statusFor(object, {}, [], 0);
    n.statusFor(object, {}, [], 0);
    expect(recorded).toEqual([
      {
        reason: 'NotificationProviderUnknown',
        message: expect.stringContaining('spec.notifications names provider "pager"') as string,
      },
    ]);
  });

  it('Given a CRD without status.notifications (the API server pruned it), Then it is logged once as an error', () => {
    const { n, lines } = port();
    const status = { notifications: { pending: [entry('a')] } };
    n.offer(bgs({}), status, {});
    n.offer(bgs({}), status, {});
    expect(lines.filter((l) => l.includes('dropped status.notifications'))).toHaveLength(1);
  });
});
