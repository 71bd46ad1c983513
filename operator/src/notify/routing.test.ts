import { describe, expect, it } from 'vitest';
import type { BlueGreenService, NotificationRecord } from '../api/types.ts';
import { route, subscriptions, type RoutingConfig } from './routing.ts';
import { mergePending } from './pending.ts';
import { retryDelayMs } from './backoff.ts';

const config: RoutingConfig = {
  providers: [
    { name: 'ops', type: 'slack', events: ['RolledBack', 'Degraded'] },
    { name: 'audit', type: 'webhook' },
    { name: 'team', type: 'teams' },
  ],
  defaultProviders: ['ops'],
};

function withRefs(notifications?: BlueGreenService['spec']['notifications']): BlueGreenService {
  return {
    apiVersion: 'bluegreen.dev/v1alpha1',
    kind: 'BlueGreenService',
    metadata: { name: 'orders', namespace: 'shop' },
    spec: {
      template: {},
      service: { ports: [{ port: 80 }] },
      ...(notifications !== undefined ? { notifications } : {}),
    },
  };
}

const rec = (event: NotificationRecord['event'], extra: Partial<NotificationRecord> = {}): NotificationRecord => ({
  key: `k-${event}`,
  event,
  severity: 'Normal',
  occurredAt: '2026-12-08T10:00:00.000Z',
  summary: event,
  ...extra,
});

describe('subscriptions and route', () => {
  it('Given no spec.notifications, Then the chart defaults apply with their own events', () => {
    const subs = subscriptions(withRefs(), config);
    expect([...subs.byProvider.keys()]).toEqual(['ops']);
    expect(route([rec('Promoted'), rec('RolledBack')], subs).map((r) => [r.event, r.providers])).toEqual([
      ['RolledBack', ['ops']],
    ]);
  });

  it('Given an empty list, Then nobody is notified (an opt-out)', () => {
    expect(subscriptions(withRefs([]), config).byProvider.size).toBe(0);
  });

  it("Given references, Then each provider gets the reference's events (else all), and unknown names are reported", () => {
    const subs = subscriptions(
      withRefs([{ provider: 'audit' }, { provider: 'team', events: ['AwaitingPromotion'] }, { provider: 'nope' }]),
      config,
    );
    expect(subs.unknown).toEqual(['nope']);
    expect(route([rec('AwaitingPromotion'), rec('Recovered')], subs).map((r) => [r.event, r.providers])).toEqual([
      ['AwaitingPromotion', ['audit', 'team']],
      ['Recovered', ['audit']],
    ]);
  });

  it('Given a rollback and its Degraded condition in one transition, Then Degraded goes only to providers that do not get the rollback', () => {
    const subs = subscriptions(withRefs([{ provider: 'audit', events: ['Degraded'] }, { provider: 'ops' }]), config);
    const routed = route([rec('RolledBack'), rec('Degraded')], subs);
    expect(routed.map((r) => [r.event, r.providers])).toEqual([
      ['RolledBack', ['ops']],
      ['Degraded', ['audit']],
    ]);
  });
});

describe('mergePending', () => {
  const pending = (key: string, providers: string[]) => ({ ...rec('Promoted'), key, providers });

  it('Given stored entries, acknowledgements and new ones, Then acknowledged providers leave and new keys are appended once', () => {
    const acked = new Set(['a|ops', 'b|ops', 'b|audit']);
    const out = mergePending(
      [pending('a', ['ops', 'audit']), pending('b', ['ops', 'audit'])],
      [pending('a', ['ops']), pending('c', ['ops'])],
      (k, p) => acked.has(`${k}|${p}`),
    );
    expect(out.pending.map((p) => [p.key, p.providers])).toEqual([
      ['a', ['audit']],
      ['c', ['ops']],
    ]);
    expect(out.overflow).toEqual([]);
  });

  it('Given more than the limit, Then the oldest overflow (reported, not silently lost)', () => {
    const out = mergePending([pending('a', ['x']), pending('b', ['x'])], [pending('c', ['x'])], () => false, 2);
    expect(out.pending.map((p) => p.key)).toEqual(['b', 'c']);
    expect(out.overflow.map((p) => p.key)).toEqual(['a']);
  });
});

describe('retryDelayMs', () => {
  it.each([
    [1, 0, 500],
    [1, 0.999, 1000],
    [2, 0.5, 1500],
    [5, 0, 8000],
    [30, 0, 150_000],
    [30, 0.999, 299_850],
  ])(
    'Given failure %d and jitter %d, Then %d ms (half fixed, half random, capped at 5 min)',
    (failures, random, ms) => {
      expect(retryDelayMs(failures, random)).toBe(ms);
    },
  );
});
