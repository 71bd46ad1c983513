// Who receives what. PURE. An object's references (spec.notifications, else the chart's default
// providers) are resolved against the providers the operator is configured with, and each record
// goes to the providers subscribed to its event.
import { NOTIFICATION_EVENTS, type NotificationEvent } from '../api/constants.ts';
import type { BlueGreenService, NotificationRecord, NotificationRefInput, PendingNotification } from '../api/types.ts';

export const PROVIDER_TYPES = ['webhook', 'slack', 'teams'] as const;
export type ProviderType = (typeof PROVIDER_TYPES)[number];

/** A provider as configured (config.ts); its URL and key are in a Secret, never here. */
export interface ProviderConfig {
  name: string;
  type: ProviderType;
  /** Unset: every event. */
  events?: readonly NotificationEvent[];
}

export interface RoutingConfig {
  providers: readonly ProviderConfig[];
  /** Providers of every object that sets no spec.notifications. */
  defaultProviders: readonly string[];
}

export interface Subscriptions {
  /** Provider name -> the events it receives for this object. */
  byProvider: ReadonlyMap<string, ReadonlySet<NotificationEvent>>;
  /** Names the object references that no configured provider has. */
  unknown: string[];
}

export function subscriptions(bgs: BlueGreenService, config: RoutingConfig): Subscriptions {
  const refs: readonly NotificationRefInput[] =
    bgs.spec.notifications ?? config.defaultProviders.map((provider) => ({ provider }));
  const byProvider = new Map<string, Set<NotificationEvent>>();
  const unknown: string[] = [];
  for (const ref of refs) {
    const provider = config.providers.find((p) => p.name === ref.provider);
    if (!provider) {
      unknown.push(ref.provider);
      continue;
    }
    const events = byProvider.get(provider.name) ?? new Set<NotificationEvent>();
    for (const e of ref.events ?? provider.events ?? NOTIFICATION_EVENTS) events.add(e);
    byProvider.set(provider.name, events);
  }
  return { byProvider, unknown };
}

/**
 * Degraded says less than these: a provider that gets a rollback, an abort or a round that ended
 * the analysis in the same transition does not get the Degraded condition of it as well.
 */
function explainsDegraded(r: NotificationRecord): boolean {
  return r.event === 'RolledBack' || r.event === 'CanaryAborted' || (r.analysis?.verdict ?? 'Running') !== 'Running';
}

/** Each record with the providers that receive it; a record nobody receives is dropped. */
export function route(records: readonly NotificationRecord[], subs: Subscriptions): PendingNotification[] {
  const providersOf = (r: NotificationRecord) =>
    [...subs.byProvider].filter(([, events]) => events.has(r.event)).map(([name]) => name);
  const explained = new Set(records.filter(explainsDegraded).flatMap(providersOf));
  return records
    .map((r) => ({ ...r, providers: providersOf(r).filter((p) => r.event !== 'Degraded' || !explained.has(p)) }))
    .filter((r) => r.providers.length > 0);
}
