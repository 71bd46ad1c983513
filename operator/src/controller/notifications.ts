// Notifications in the reconcile (docs/adr/0025, docs/notifications.md). The reconciler asks two
// things, neither of which waits on the network:
//   statusFor: the status to write = the plan's status + status.notifications.pending, i.e. the
//              stored pending entries minus what providers acknowledged, plus the notifications
//              this transition carries. They are written in the same request as the transition
//              they report: a transition is never stored without its notifications, and a
//              notification never exists without its transition.
//   offer:     after the write (or when there was nothing to write), the pending entries the
//              outbox does not hold yet go to it; delivery runs in the background and, once a
//              provider has one, asks for a reconcile that removes it from status.
// After a restart or a leader change the new process finds the undelivered ones in status.
import { API_VERSION, KIND, REASONS } from '../api/constants.ts';
import type { BlueGreenService, BlueGreenServiceStatus, PendingNotification } from '../api/types.ts';
import type { NotificationMetrics } from '../metrics/notification-metrics.ts';
import { deriveNotifications } from '../notify/derive.ts';
import { Outbox, deliveryId, type Delivery, type Finish } from '../notify/outbox.ts';
import { mergePending } from '../notify/pending.ts';
import { route, subscriptions, type ProviderConfig, type RoutingConfig } from '../notify/routing.ts';
import { attemptDelivery, type AttemptOutcome } from '../notify/send.ts';
import type { Clock } from '../runtime/clock.ts';
import { objectKey } from '../runtime/keys.ts';
import type { Logger } from '../runtime/logger.ts';
import { ProviderHealth } from './notification-health.ts';
import type { EventSink, NotificationPort } from './ports.ts';
import { RecentSet } from './recent-set.ts';

export interface NotificationSettings extends RoutingConfig {
  /** Where the chart mounts each provider's Secret (one folder per provider name). */
  secretsDir: string;
  /** Deadline of one delivery attempt. */
  timeoutMs: number;
  /** A delivery still failing this long after it was enqueued is given up. */
  retryForMs: number;
  /** Deliveries the in-memory outbox holds at most. */
  capacity: number;
  /** Attempts in flight at most. */
  concurrency: number;
}

export interface NotificationsDeps {
  settings: NotificationSettings;
  events: EventSink;
  metrics: NotificationMetrics;
  logger: Logger;
  clock: Clock;
  /** Ask for a reconcile of "namespace/name" (the work queue's add). */
  requeue: (key: string) => void;
  random?: () => number;
}

/** Deliveries the in-memory outbox holds at most (past it, entries wait in status). */
export const OUTBOX_CAPACITY = 1_000;
/** Delivery attempts in flight at most. */
export const OUTBOX_CONCURRENCY = 4;

/** Acknowledgements remembered at most (delivered or given up, per object, key and provider). */
const REMEMBERED = 10_000;

export class Notifications implements NotificationPort {
  readonly #d: NotificationsDeps;
  readonly #outbox: Outbox;
  readonly #health = new ProviderHealth();
  /** (object, key, provider) a provider has, or that was given up: never offered again. */
  readonly #done = new RecentSet(REMEMBERED);
  readonly #warnedUnknown = new RecentSet(1_000);
  /** Objects with pending entries the full outbox could not take: reconciled again when it drains. */
  readonly #deferred = new Set<string>();
  #running = false;
  #prunedWarned = false;

  constructor(deps: NotificationsDeps) {
    this.#d = deps;
    const s = deps.settings;
    this.#outbox = new Outbox({
      clock: deps.clock,
      capacity: s.capacity,
      concurrency: s.concurrency,
      retryForMs: s.retryForMs,
      ...(deps.random ? { random: deps.random } : {}),
      attempt: (d, signal) => this.#attempt(d, signal),
      onAttempt: (d, outcome, ms) => this.#attempted(d, outcome, ms),
      onFinish: (d, finish) => this.#finished(d, finish),
    });
  }

  /** Deliver while leading only: the next leader finds what is pending in status. */
  start(): void {
    this.#running = true;
  }

  stop(): void {
    this.#running = false;
    this.#outbox.stop();
    this.#deferred.clear();
    this.#d.metrics.queued(0);
  }

  /** Resolves once no delivery attempt is in flight (tests and shutdown). */
  settled(): Promise<void> {
    return this.#outbox.settled();
  }

  statusFor(
    bgs: BlueGreenService,
    next: BlueGreenServiceStatus,
    events: readonly { reason: string; message: string }[],
    nowMs: number,
  ): BlueGreenServiceStatus {
    // An invalid or refused plan copies the stored status, outbox included: recomputed here.
    const { notifications: _copied, ...plain } = next;
    const subs = subscriptions(bgs, this.#d.settings);
    this.#warnUnknown(bgs, subs.unknown);
    const stored = bgs.status?.notifications?.pending ?? [];
    const nowIso = new Date(nowMs).toISOString();
    const fresh =
      subs.byProvider.size === 0 ? [] : route(deriveNotifications({ bgs, next: plain, events, nowIso }), subs);
    if (stored.length === 0 && fresh.length === 0) return plain;
    const key = keyOf(bgs);
    const merged = mergePending(stored, fresh, (k, provider) => this.#done.has(`${key}|${k}|${provider}`));
    for (const lost of merged.overflow) this.#overflowed(bgs, lost);
    return merged.pending.length === 0 ? plain : { ...plain, notifications: { pending: merged.pending } };
  }

  offer(bgs: BlueGreenService, status: BlueGreenServiceStatus, stored?: BlueGreenServiceStatus): void {
    if (stored && status.notifications && !stored.notifications) this.#warnPruned();
    if (!this.#running) return;
    const key = keyOf(bgs);
    const object = {
      namespace: bgs.metadata.namespace ?? '',
      name: bgs.metadata.name ?? '',
      uid: bgs.metadata.uid ?? '',
    };
    const deliveries = (status.notifications?.pending ?? []).flatMap(({ providers, ...record }) =>
      providers.map((provider) => ({ objectKey: key, object, provider, record })),
    );
    for (const delivery of deliveries) {
      if (this.#done.has(deliveryId(delivery))) continue;
      if (this.#outbox.enqueue(delivery) === 'full') {
        // Still pending in status: offered again, in order, once there is room.
        this.#deferred.add(key);
        break;
      }
    }
    this.#d.metrics.queued(this.#outbox.size);
  }

  #attempt(d: Delivery, signal: AbortSignal): Promise<AttemptOutcome> {
    const provider = this.#provider(d.provider);
    if (!provider) return Promise.resolve({ kind: 'reject', error: 'the provider is no longer configured' });
    const { secretsDir, timeoutMs } = this.#d.settings;
    return attemptDelivery(provider, d.record, d.object, { secretsDir, timeoutMs }, signal);
  }

  #provider(name: string): ProviderConfig | undefined {
    return this.#d.settings.providers.find((p) => p.name === name);
  }

  #attempted(d: Delivery, outcome: AttemptOutcome, ms: number): void {
    const result = outcome.kind === 'delivered' ? 'delivered' : outcome.kind === 'retry' ? 'failed' : 'refused';
    this.#d.metrics.attempted(d.provider, result, ms / 1000);
    const change = this.#health.attempt(d.provider, outcome.kind === 'delivered');
    const log = this.#d.logger.child({ provider: d.provider, bgs: d.objectKey, event: d.record.event });
    if (change === 'recovered') {
      this.#d.metrics.failing(d.provider, false);
      log.info('notification provider delivers again');
    }
    if (outcome.kind === 'delivered') return;
    log.warn('notification attempt failed', { error: outcome.error, willRetry: outcome.kind === 'retry' });
    if (change === 'failing') this.#d.metrics.failing(d.provider, true);
    if (this.#health.failing(d.provider) && this.#health.firstToTell(d.provider, d.objectKey)) {
      const message =
        `notification provider ${d.provider} keeps failing (${this.#health.streak(d.provider)} attempts in a row, ` +
        `last: ${outcome.error}); retrying with backoff; the release is not affected`;
      this.#event(d, REASONS.notificationFailing, message);
    }
  }

  #finished(d: Delivery, finish: Finish): void {
    this.#done.add(deliveryId(d));
    if (finish.kind === 'delivered') this.#d.metrics.delivered(d.provider, d.record.event);
    else {
      this.#d.metrics.dropped(d.provider, finish.why);
      const message = `notification ${d.record.event} (key ${d.record.key}) to provider ${d.provider} given up: ${finish.why} (${finish.error})`;
      this.#d.logger.warn('notification given up', { provider: d.provider, bgs: d.objectKey, why: finish.why });
      this.#event(d, REASONS.notificationDropped, message);
    }
    this.#d.metrics.queued(this.#outbox.size);
    // The acknowledgement reaches status through a reconcile (one status write, no race).
    this.#d.requeue(d.objectKey);
    for (const key of this.#deferred) this.#d.requeue(key);
    this.#deferred.clear();
  }

  #overflowed(bgs: BlueGreenService, lost: PendingNotification): void {
    const key = keyOf(bgs);
    for (const provider of lost.providers) {
      const id = `${key}|${lost.key}|${provider}`;
      if (this.#done.has(id)) continue;
      this.#done.add(id);
      this.#d.metrics.dropped(provider, 'overflow');
    }
    this.#d.logger.warn('notification dropped: too many pending', { bgs: key, event: lost.event, key: lost.key });
  }

  #warnUnknown(bgs: BlueGreenService, unknown: readonly string[]): void {
    for (const name of unknown) {
      const id = `${bgs.metadata.uid ?? keyOf(bgs)}|${bgs.metadata.generation ?? 0}|${name}`;
      if (this.#warnedUnknown.has(id)) continue;
      this.#warnedUnknown.add(id);
      const message = `spec.notifications names provider "${name}", which the operator is not configured with (chart value notifications.providers); skipped`;
      void this.#d.events.record(
        bgs,
        'Warning',
        REASONS.notificationProviderUnknown,
        message,
        AbortSignal.timeout(10_000),
      );
    }
  }

  #warnPruned(): void {
    if (this.#prunedWarned) return;
    this.#prunedWarned = true;
    this.#d.logger.error(
      'the API server dropped status.notifications: the installed CRD predates it; notifications are kept in memory only (not across restarts) until the CRD is upgraded',
    );
  }

  #event(d: Delivery, reason: string, message: string): void {
    const involved = {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { namespace: d.object.namespace, name: d.object.name, uid: d.object.uid },
    } as BlueGreenService; // Events read only apiVersion, kind and metadata
    void this.#d.events.record(involved, 'Warning', reason, message, AbortSignal.timeout(10_000));
  }
}

function keyOf(bgs: BlueGreenService): string {
  return objectKey(bgs.metadata.namespace, bgs.metadata.name!);
}
