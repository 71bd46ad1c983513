import type { V1Lease } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { FakeClock, flushMicrotasks } from './clock.ts';
import { LeaderElector } from './leaderelection.ts';
import { apiError, InMemoryLeaseClient } from '../../testing/leaseclient.ts';
import type { LeaseClient } from './leaseclient.ts';

const lease = { namespace: 'ops', name: 'bluegreen-operator' };

/** One candidate's view of the shared store, with its own network partition switch. */
function connection(store: InMemoryLeaseClient): LeaseClient & { partitioned: boolean } {
  const conn = {
    partitioned: false,
    check() {
      if (conn.partitioned) throw apiError(503, 'connection refused');
    },
    get: async (ns: string, name: string, signal: AbortSignal) => (conn.check(), store.get(ns, name, signal)),
    create: async (l: V1Lease, signal: AbortSignal) => (conn.check(), store.create(l, signal)),
    replace: async (l: V1Lease, signal: AbortSignal) => (conn.check(), store.replace(l, signal)),
  };
  return conn;
}

function candidate(identity: string, clock: FakeClock, store: InMemoryLeaseClient) {
  const client = connection(store);
  const events: string[] = [];
  let signal: AbortSignal | undefined;
  const elector = new LeaderElector({ lease, identity, client, clock, random: () => 0 });
  const running = elector.run({
    onStartedLeading: (s) => {
      signal = s;
      events.push(`started@${clock.now()}`);
    },
    onStoppedLeading: () => {
      events.push(`stopped@${clock.now()}`);
    },
  });
  return { elector, client, events, running, signal: () => signal };
}

function setup() {
  const clock = new FakeClock(0);
  const store = new InMemoryLeaseClient();
  return { clock, store };
}

describe('LeaderElector', () => {
  it('Given no Lease, When a candidate runs, Then it creates the Lease and leads', async () => {
    const { clock, store } = setup();
    const a = candidate('a', clock, store);
    await flushMicrotasks();
    expect(a.events).toEqual(['started@0']);
    expect(a.elector.isLeader()).toBe(true);
    expect(store.peek(lease.namespace, lease.name)?.spec).toMatchObject({
      holderIdentity: 'a',
      leaseDurationSeconds: 15,
      leaseTransitions: 0,
    });
  });

  it('Given a leader, Then it renews every retryPeriod and a second candidate stays follower', async () => {
    const { clock, store } = setup();
    const a = candidate('a', clock, store);
    await flushMicrotasks();
    const b = candidate('b', clock, store);
    await clock.advanceAsync(60_000);
    expect(a.elector.isLeader()).toBe(true);
    expect(b.elector.isLeader()).toBe(false);
    expect(b.events).toEqual([]);
    const spec = store.peek(lease.namespace, lease.name)?.spec;
    expect(new Date(spec?.renewTime as Date).getTime()).toBe(60_000);
    expect(new Date(spec?.acquireTime as Date).getTime()).toBe(0);
  });

  it('Given the leader loses the API, Then it stops leading after renewDeadline and the follower takes over after leaseDuration', async () => {
    const { clock, store } = setup();
    const a = candidate('a', clock, store);
    await flushMicrotasks();
    const b = candidate('b', clock, store);
    await clock.advanceAsync(2_000); // a renewed at 2 s: last change b observes
    a.client.partitioned = true;
    await clock.advanceAsync(9_999);
    expect(a.elector.isLeader()).toBe(true);
    await clock.advanceAsync(20_000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.signal()?.aborted).toBe(true);
    expect(a.events).toEqual(['started@0', 'stopped@12000']); // last renew 2 s + 10 s deadline
    await a.running; // run() ends after losing
    expect(b.elector.isLeader()).toBe(true);
    const startedAt = Number(b.events[0]?.split('@')[1]);
    expect(startedAt).toBeGreaterThanOrEqual(17_000); // never before lease expiry (2 s + 15 s)
    expect(startedAt).toBeLessThanOrEqual(17_000 + 2_000);
    expect(store.peek(lease.namespace, lease.name)?.spec).toMatchObject({ holderIdentity: 'b', leaseTransitions: 1 });
  });

  it('Given a leader that releases, Then the follower takes over within one retry period, not a lease duration', async () => {
    const { clock, store } = setup();
    const a = candidate('a', clock, store);
    await flushMicrotasks();
    const b = candidate('b', clock, store);
    await clock.advanceAsync(5_000);
    await a.elector.release();
    await a.running;
    expect(a.events).toEqual(['started@0', 'stopped@5000']);
    expect(store.peek(lease.namespace, lease.name)?.spec).toMatchObject({
      holderIdentity: '',
      leaseDurationSeconds: 1,
    });
    await clock.advanceAsync(2_000);
    expect(b.elector.isLeader()).toBe(true);
    expect(Number(b.events[0]?.split('@')[1])).toBeLessThanOrEqual(7_000);
  });

  it('Given two candidates racing for an absent Lease, Then exactly one leads (409 on the loser)', async () => {
    const { clock, store } = setup();
    const a = candidate('a', clock, store);
    const b = candidate('b', clock, store);
    await clock.advanceAsync(30_000);
    expect([a.elector.isLeader(), b.elector.isLeader()].filter(Boolean)).toHaveLength(1);
  });

  it('Given a Lease held by another that was renewed by someone else meanwhile, Then the leader stops at once', async () => {
    const { clock, store } = setup();
    const a = candidate('a', clock, store);
    await flushMicrotasks();
    // Someone forcibly takes the lease (e.g. an admin or a buggy peer).
    const current = (await store.get(lease.namespace, lease.name, new AbortController().signal)) as V1Lease;
    await store.replace(
      { ...current, spec: { ...current.spec, holderIdentity: 'intruder' } },
      new AbortController().signal,
    );
    await clock.advanceAsync(2_000);
    expect(a.elector.isLeader()).toBe(false);
    expect(a.events).toEqual(['started@0', 'stopped@2000']);
  });

  it('Given a leader that lost the Lease, When run() is called again, Then it campaigns and can lead again', async () => {
    const { clock, store } = setup();
    const a = candidate('a', clock, store);
    await flushMicrotasks();
    a.client.partitioned = true;
    await clock.advanceAsync(12_000);
    await a.running;
    expect(a.elector.isLeader()).toBe(false);
    a.client.partitioned = false;
    const events: string[] = [];
    const again = a.elector.run({
      onStartedLeading: () => events.push(`started@${clock.now()}`),
      onStoppedLeading: () => {},
    });
    await clock.advanceAsync(2_000);
    // Nobody else took it, and the record still names "a": it renews at once.
    expect(a.elector.isLeader()).toBe(true);
    expect(events).toEqual(['started@12000']);
    await a.elector.release();
    await again;
  });

  it('rejects inconsistent timings, naming the fields', () => {
    const client = new InMemoryLeaseClient();
    expect(
      () => new LeaderElector({ lease, identity: 'a', client, leaseDurationMs: 5_000, renewDeadlineMs: 10_000 }),
    ).toThrow(/leaseDurationMs/);
    expect(() => new LeaderElector({ lease, identity: '', client })).toThrow(/identity/);
  });
});
