// watchPath against the loopback FakeApiServer: the contract the informer relies on (see the
// head of watch.ts). The informer tests exercise the same transport through restarts.
import type { KubernetesObject } from '@kubernetes/client-node';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { statusCodeOf } from './apicall.ts';
import type { KubeConnection } from './connection.ts';
import { watchPath } from './watch.ts';
import { FakeApiServer } from '../../testing/fakeapiserver.ts';

const PATH = '/api/v1/namespaces/default/configmaps';
let server: FakeApiServer;
afterEach(() => server.close());

interface Recorded {
  events: string[];
  done: Promise<unknown>;
  doneCalls: number;
}

async function watch(
  conn: KubeConnection,
  query: Record<string, string | number | boolean | undefined>,
  inactivityMs?: number,
) {
  const seen: Recorded = { events: [], done: Promise.resolve(), doneCalls: 0 };
  let resolveDone: (err: unknown) => void = () => {};
  seen.done = new Promise((resolve) => (resolveDone = resolve));
  const controller = await watchPath(
    conn,
    PATH,
    query,
    (type, obj: KubernetesObject) => seen.events.push(`${type} ${obj.metadata?.name ?? ''}`),
    (err) => {
      seen.doneCalls++;
      resolveDone(err);
    },
    inactivityMs === undefined ? {} : { inactivityMs },
  );
  return { seen, controller };
}

/**
 * vitest's own poll with a deadline (5 s): the condition is an expectation, so a timeout
 * prints what was seen instead of a bare "timed out".
 */
const until = (check: () => void) => vi.waitFor(check, { timeout: 5_000, interval: 10 });

describe('watchPath', () => {
  it('delivers events after the resourceVersion asked for, with watch=true and the query passed through', async () => {
    server = new FakeApiServer();
    server.apply('old', { v: '0' });
    const from = server.resourceVersion;
    server.apply('a', { v: '1' });
    const conn = await server.start();
    const { seen, controller } = await watch(conn, {
      resourceVersion: String(from),
      allowWatchBookmarks: true,
      labelSelector: undefined,
    });
    server.apply('b', { v: '2' });
    server.remove('a');
    server.sendBookmark();
    await until(() => expect(seen.events.length >= 4, `4 events; seen ${JSON.stringify(seen.events)}`).toBe(true));
    expect(seen.events).toEqual(['ADDED a', 'ADDED b', 'DELETED a', 'BOOKMARK ']);
    const query = server.requests.at(-1)!.query;
    expect([query.get('watch'), query.get('resourceVersion'), query.get('allowWatchBookmarks')]).toEqual([
      'true',
      String(from),
      'true',
    ]);
    expect(query.has('labelSelector')).toBe(false);
    controller.abort();
  });

  it('ends with done(null) when the server ends the stream (after the ERROR event of a compacted version)', async () => {
    server = new FakeApiServer();
    server.apply('a', { v: '1' });
    server.compact();
    const conn = await server.start();
    const { seen } = await watch(conn, { resourceVersion: '1' });
    expect(await seen.done).toBeNull();
    expect(seen.events).toEqual(['ERROR ']);
  });

  it('ends with the transport error when the connection is reset', async () => {
    server = new FakeApiServer();
    const conn = await server.start();
    const { seen } = await watch(conn, {});
    await until(() =>
      expect(server.openWatches() === 1, `the watch to be open; seen ${JSON.stringify(server.requests)}`).toBe(true),
    );
    server.dropWatches();
    const err = await seen.done;
    expect(err).toBeInstanceOf(Error);
    expect(statusCodeOf(err)).toBeUndefined();
  });

  it('ends with an error carrying the status code and the Status message for a non-200 answer', async () => {
    server = new FakeApiServer();
    const conn = await server.start();
    server.failNext(403);
    const { seen } = await watch(conn, {});
    const err = await seen.done;
    expect(statusCodeOf(err)).toBe(403);
    expect(String(err)).toContain('injected 403');
  });

  it('ends with a TimeoutError after inactivityMs without a byte', async () => {
    server = new FakeApiServer();
    const conn = await server.start();
    const { seen } = await watch(conn, {}, 100);
    const err = await seen.done;
    expect((err as DOMException).name).toBe('TimeoutError');
    expect(String(err)).toContain('no data for 100 ms');
  });

  it('abort() closes the connection without calling done', async () => {
    server = new FakeApiServer();
    const conn = await server.start();
    const { seen, controller } = await watch(conn, {});
    await until(() =>
      expect(server.openWatches() === 1, `the watch to be open; seen ${JSON.stringify(server.requests)}`).toBe(true),
    );
    controller.abort();
    await until(() =>
      expect(
        server.openWatches() === 0,
        `the server to see the watch closed; seen ${JSON.stringify(server.requests)}`,
      ).toBe(true),
    );
    expect(seen.doneCalls).toBe(0);
  });
});
