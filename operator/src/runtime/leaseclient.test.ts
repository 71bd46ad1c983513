// kubeLeaseClient against a loopback server that serves the Lease REST endpoints, to check the
// request plumbing the elector relies on: 404 -> undefined, 409 surfaces as code 409, and the
// signal really aborts a request that hangs.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { V1Lease } from '@kubernetes/client-node';
import { afterEach, describe, expect, it } from 'vitest';
import { isConflict } from './apicall.ts';
import { createConnection, type KubeConnection } from './connection.ts';
import { kubeLeaseClient } from './leaseclient.ts';

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  server = undefined;
});

async function serve(handler: Parameters<typeof createServer>[1]): Promise<KubeConnection> {
  server = createServer(handler);
  await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return createConnection({ server: `http://127.0.0.1:${port}` });
}

const lease: V1Lease = {
  apiVersion: 'coordination.k8s.io/v1',
  kind: 'Lease',
  metadata: { namespace: 'ops', name: 'op', resourceVersion: '7' },
  spec: { holderIdentity: 'a', leaseDurationSeconds: 15 },
};

describe('kubeLeaseClient', () => {
  it('maps 404 to undefined, passes 200 through and surfaces 409 as a conflict', async () => {
    const seen: string[] = [];
    const conn = await serve((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      const status = req.method === 'GET' ? (seen.length === 1 ? 404 : 200) : 409;
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(status === 200 ? lease : { kind: 'Status', code: status, message: 'x' }));
    });
    const client = kubeLeaseClient(conn);
    const signal = AbortSignal.timeout(5_000);
    expect(await client.get('ops', 'op', signal)).toBeUndefined();
    expect((await client.get('ops', 'op', signal))?.spec?.holderIdentity).toBe('a');
    const conflict = await client.replace(lease, signal).catch((err: unknown) => err);
    expect(isConflict(conflict)).toBe(true);
    expect(seen).toEqual([
      'GET /apis/coordination.k8s.io/v1/namespaces/ops/leases/op',
      'GET /apis/coordination.k8s.io/v1/namespaces/ops/leases/op',
      'PUT /apis/coordination.k8s.io/v1/namespaces/ops/leases/op',
    ]);
  });

  it('aborts a hanging request when its signal aborts', async () => {
    const conn = await serve(() => {
      /* never answers */
    });
    const controller = new AbortController();
    const pending = kubeLeaseClient(conn).get('ops', 'op', controller.signal);
    controller.abort(new DOMException('test abort', 'AbortError'));
    await expect(pending).rejects.toThrow();
  });
});
