// watchPath against the loopback FakeApiServer: the contract the informer relies on (see the
// head of watch.ts). The informer tests exercise the same transport through restarts.
import type { KubernetesObject } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
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

/** Polls until condition holds or 5 s pass; the 10 ms step is a sampling interval, not a wait. */
async function until(what: string, condition: () => boolean, seen: () => unknown): Promise<void> {
  const deadline = Date.now() + 5_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; seen ${JSON.stringify(seen())}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

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
    await until(
      '4 events',
      () => seen.events.length >= 4,
      () => seen.events,
    );
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
    await until(
      'the watch to be open',
      () => server.openWatches() === 1,
      () => server.requests,
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
    await until(
      'the watch to be open',
      () => server.openWatches() === 1,
      () => server.requests,
    );
    controller.abort();
    await until(
      'the server to see the watch closed',
      () => server.openWatches() === 0,
      () => server.requests,
    );
    expect(seen.doneCalls).toBe(0);
  });
});
