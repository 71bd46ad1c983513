import { afterEach, describe, expect, it } from 'vitest';
import { isGone, statusCodeOf } from './apicall.ts';
import { listFromPath } from './rawlist.ts';
import { FakeApiServer } from '../../testing/fakeapiserver.ts';

const server = new FakeApiServer();
afterEach(() => server.close());

describe('listFromPath', () => {
  it('follows continue tokens across pages and sends the label selector', async () => {
    for (const name of ['a', 'b', 'c', 'd', 'e']) server.apply(name, { v: name });
    const conn = await server.start();
    const list = await listFromPath(conn, '/api/v1/namespaces/default/configmaps', AbortSignal.timeout(5_000), {
      limit: 2,
      labelSelector: 'app=x',
    });
    expect(list.items.map((o) => o.metadata?.name)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(list.metadata?.resourceVersion).toBe(String(server.resourceVersion));
    const lists = server.requests.filter((r) => !r.watch);
    expect(lists.map((r) => r.query.get('continue'))).toEqual([null, '2', '4']);
    expect(lists.every((r) => r.query.get('labelSelector') === 'app=x')).toBe(true);
  });

  it('reuses one kept-alive connection across requests instead of one per request', async () => {
    server.apply('a', { v: '1' });
    const conn = await server.start();
    const before = server.connections;
    for (let i = 0; i < 20; i++) await listFromPath(conn, '/api/v1/configmaps', AbortSignal.timeout(5_000));
    expect(server.connections - before).toBeLessThanOrEqual(2);
  });

  it('rejects with the HTTP status so callers can branch on it', async () => {
    const conn = await server.start();
    server.failNext(410);
    const err = await listFromPath(conn, '/api/v1/configmaps', AbortSignal.timeout(5_000)).catch((e: unknown) => e);
    expect(isGone(err)).toBe(true);
    expect(String(err)).toContain('injected 410');
    server.failNext(403);
    expect(
      statusCodeOf(await listFromPath(conn, '/api/v1/configmaps', AbortSignal.timeout(5_000)).catch((e: unknown) => e)),
    ).toBe(403);
  });
});
