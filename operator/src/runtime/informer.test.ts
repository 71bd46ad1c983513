import type { KubernetesObject } from '@kubernetes/client-node';
import { Registry } from 'prom-client';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FakeClock } from './clock.ts';
import { createInformer, type ChangeType, type ResilientInformer } from './informer.ts';
import { FakeApiServer } from '../../testing/fakeapiserver.ts';

type ConfigMap = KubernetesObject & { data?: Record<string, string> };
const PATH = '/api/v1/namespaces/default/configmaps';

let server: FakeApiServer;
let informer: ResilientInformer<ConfigMap> | undefined;
let clock: FakeClock;
let registry: Registry;
let seen: string[];

beforeEach(async () => {
  server = new FakeApiServer();
  clock = new FakeClock(0);
  registry = new Registry();
  seen = [];
});

afterEach(async () => {
  informer?.stop();
  informer = undefined;
  await server.close();
});

async function startInformer(options: { resyncMs?: number; watchdogMs?: number } = {}) {
  const conn = await server.start();
  informer = createInformer<ConfigMap>({
    name: 'configmaps',
    conn,
    path: PATH,
    clock,
    registry,
    random: () => 0.5,
    ...options,
  });
  informer.onChange((type: ChangeType, obj) => seen.push(`${type} ${obj.metadata?.name} ${JSON.stringify(obj.data)}`));
  await informer.start();
  return informer;
}

/** Polls a condition (advancing the fake clock by stepMs each round) until a real-time deadline. */
async function waitFor(what: string, condition: () => boolean | Promise<boolean>, stepMs = 0): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(
        `timed out waiting for ${what}; seen=${JSON.stringify(seen)} requests=${JSON.stringify(server.requests.map((r) => `${r.watch ? 'watch' : 'list'}:${r.status}:${r.query.get('resourceVersion')}`))}`,
      );
    }
    await clock.advanceAsync(stepMs);
    // Yield to pending socket I/O of the fake API server before checking again (no fixed delay).
    await new Promise((resolve) => setImmediate(resolve));
  }
}

async function restartsMetric(): Promise<string> {
  return (await registry.getSingleMetricAsString('informer_restarts_total')) ?? '';
}

describe('createInformer against a fake API server', () => {
  it('Given objects, When started, Then it lists, syncs, watches with bookmarks and keeps frozen objects', async () => {
    server.apply('a', { v: '1' }, { labels: { app: 'x' } });
    server.apply('b', { v: '1' });
    const inf = await startInformer();
    expect(inf.synced()).toBe(true);
    expect(
      inf.store
        .list()
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['a', 'b']);
    expect(inf.store.byLabel('app', 'x').map((o) => o.metadata?.name)).toEqual(['a']);
    await waitFor('watch to open', () => server.openWatches() === 1);
    const watch = server.requests.find((r) => r.watch);
    expect(watch?.query.get('allowWatchBookmarks')).toBe('true');
    expect(watch?.query.get('resourceVersion')).toBe('102');

    server.apply('a', { v: '2' });
    server.remove('b');
    server.apply('c', { v: '1' });
    await waitFor('watch events', () => seen.length === 5);
    expect(seen).toEqual([
      'add a {"v":"1"}',
      'add b {"v":"1"}',
      'update a {"v":"2"}',
      'delete b {"v":"1"}',
      'add c {"v":"1"}',
    ]);
    const a = inf.store.get('default', 'a') as ConfigMap;
    expect(Object.isFrozen(a.data)).toBe(true);
    expect(() => {
      (a.data as Record<string, string>).v = 'mutated';
    }).toThrow(TypeError);
  });

  it('Given the watch is reset and the server fails with 500 then 429, Then the informer backs off, recovers and misses nothing', async () => {
    await startInformer({ watchdogMs: 3_600_000, resyncMs: 3_600_000 });
    await waitFor('watch to open', () => server.openWatches() === 1);
    server.failNext(500, 429);
    server.dropWatches();
    server.apply('during-outage', { v: '1' }); // must be delivered by the resumed watch
    await waitFor('watch to reopen', () => server.openWatches() === 1, 100);
    await waitFor('event after recovery', () => seen.includes('add during-outage {"v":"1"}'));
    server.apply('after', { v: '1' });
    await waitFor('live event', () => seen.includes('add after {"v":"1"}'));
    const metric = await restartsMetric();
    expect(metric).toContain('reason="server_error"');
    expect(metric).toContain('reason="throttled"');
    expect(seen.filter((s) => s.startsWith('add during-outage'))).toHaveLength(1);
  });

  it('Given a missed change, When the periodic relist runs, Then synthetic update/delete/add repair the cache', async () => {
    server.apply('keep', { v: '1' });
    server.apply('change', { v: '1' });
    server.apply('gone', { v: '1' });
    const inf = await startInformer({ resyncMs: 60_000, watchdogMs: 3_600_000 });
    await waitFor('watch to open', () => server.openWatches() === 1);
    seen = [];
    server.apply('change', { v: '2' }, { silent: true });
    server.remove('gone', { silent: true });
    server.apply('new', { v: '1' }, { silent: true });
    expect(seen).toEqual([]);
    await clock.advanceAsync(60_000);
    await waitFor('relist repair', () => seen.length === 3);
    expect(seen.sort()).toEqual(['add new {"v":"1"}', 'delete gone {"v":"1"}', 'update change {"v":"2"}']);
    expect(inf.store.get('default', 'gone')).toBeUndefined();
    expect(server.listCount()).toBe(2);
    expect(await restartsMetric()).toContain('reason="resync"');
  });

  it('Given history compacted past our resourceVersion, When the watch reconnects, Then 410 Gone triggers a relist', async () => {
    await startInformer({ watchdogMs: 3_600_000, resyncMs: 3_600_000 });
    await waitFor('watch to open', () => server.openWatches() === 1);
    server.dropWatches();
    server.apply('x', { v: '1' }, { silent: true });
    server.compact();
    await waitFor('relist after 410', () => server.listCount() === 2, 100);
    await waitFor('relisted object delivered', () => seen.includes('add x {"v":"1"}'));
    await waitFor('watch from new version', () => server.openWatches() === 1, 100);
    expect(server.requests.at(-1)?.query.get('resourceVersion')).toBe(String(server.resourceVersion));
    expect(await restartsMetric()).toContain('reason="gone"');
  });

  it('Given a watch that goes silent, When watchdogMs passes without events or bookmarks, Then it is restarted', async () => {
    await startInformer({ watchdogMs: 60_000 });
    await waitFor('watch to open', () => server.watchCount() === 1);
    await clock.advanceAsync(59_000);
    server.sendBookmark(); // a bookmark proves liveness and postpones the watchdog
    await waitFor('bookmark received', async () =>
      ((await registry.getSingleMetricAsString('informer_events_total')) ?? '').includes('type="BOOKMARK"} 1'),
    );
    expect(await registry.getSingleMetricAsString('informer_last_event_age_seconds')).toContain(
      'informer="configmaps"} 0',
    );
    await clock.advanceAsync(59_000);
    expect(await restartsMetric()).not.toContain('reason="watchdog"');
    await clock.advanceAsync(2_000);
    await waitFor('watch restarted by watchdog', () => server.watchCount() === 2);
    expect(await restartsMetric()).toContain('reason="watchdog"');
  });

  it('Given an unreachable server at start, Then start() resolves once a later list succeeds', async () => {
    server.failNext(503, 503, 503);
    server.apply('a', { v: '1' });
    const conn = await server.start();
    informer = createInformer<ConfigMap>({ name: 'late', conn, path: PATH, clock, registry, random: () => 0.5 });
    let synced = false;
    void informer.start().then(() => (synced = true));
    await waitFor('sync after failures', () => synced, 100);
    expect(informer.store.get('default', 'a')?.data).toEqual({ v: '1' });
    expect(server.requests.filter((r) => r.status === 503)).toHaveLength(3);
  });
});
