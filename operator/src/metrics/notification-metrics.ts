// Delivery metrics of notifications, per provider (docs/notifications.md "Metrics"). Label sets
// stay bounded: providers come from the operator's configuration, events and outcomes are fixed
// lists; no per-object label (a notification is about an object, its delivery is the provider's).
// Counters start at 0 for every configured provider, so increase() sees the first failure.
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export type AttemptResult = 'delivered' | 'failed' | 'refused';
export type DropReason = 'refused' | 'expired' | 'overflow';

export interface NotificationMetrics {
  /** One delivery attempt and how long it took. */
  attempted(provider: string, result: AttemptResult, seconds: number): void;
  delivered(provider: string, event: string): void;
  dropped(provider: string, reason: DropReason): void;
  /** Deliveries the in-memory outbox holds. */
  queued(depth: number): void;
  /** The provider failed several attempts in a row (1) or has delivered since (0). */
  failing(provider: string, failing: boolean): void;
}

const RESULTS: readonly AttemptResult[] = ['delivered', 'failed', 'refused'];
const DROPS: readonly DropReason[] = ['refused', 'expired', 'overflow'];

export function notificationMetrics(registry: Registry, providers: readonly string[]): NotificationMetrics {
  const attempts = new Counter({
    name: 'bluegreen_notification_attempts_total',
    help: 'Notification delivery attempts by provider and result (delivered, failed: retried, refused: not retried).',
    labelNames: ['provider', 'result'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'bluegreen_notification_attempt_duration_seconds',
    help: 'Duration of one notification delivery attempt, request to last byte of the answer.',
    labelNames: ['provider'],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [registry],
  });
  const delivered = new Counter({
    name: 'bluegreen_notifications_delivered_total',
    help: 'Notifications delivered, by provider and event.',
    labelNames: ['provider', 'event'],
    registers: [registry],
  });
  const dropped = new Counter({
    name: 'bluegreen_notifications_dropped_total',
    help: 'Notifications given up, by provider and reason (refused by the receiver, expired after retries, overflow of the pending list).',
    labelNames: ['provider', 'reason'],
    registers: [registry],
  });
  const depth = new Gauge({
    name: 'bluegreen_notification_outbox_depth',
    help: 'Notification deliveries held by the in-memory outbox (waiting, in flight or backing off).',
    registers: [registry],
  });
  const failing = new Gauge({
    name: 'bluegreen_notification_provider_failing',
    help: '1 while a notification provider keeps failing (several attempts in a row), else 0.',
    labelNames: ['provider'],
    registers: [registry],
  });
  for (const provider of providers) {
    for (const result of RESULTS) attempts.inc({ provider, result }, 0);
    for (const reason of DROPS) dropped.inc({ provider, reason }, 0);
    failing.set({ provider }, 0);
  }
  depth.set(0);
  return {
    attempted(provider, result, seconds) {
      attempts.inc({ provider, result });
      duration.observe({ provider }, seconds);
    },
    delivered: (provider, event) => delivered.inc({ provider, event }),
    dropped: (provider, reason) => dropped.inc({ provider, reason }),
    queued: (n) => depth.set(n),
    failing: (provider, on) => failing.set({ provider }, on ? 1 : 0),
  };
}
