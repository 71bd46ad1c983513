// A local HTTP server that answers the plugin's requests like a kube-apiserver would, from
// objects the test gives it: real HTTP over the real transport and client-node's KubeConfig
// (a kubeconfig file pointing at it), without a cluster. Every request is recorded. Watches
// (?watch=true) stay open until the test pushes events or the server closes.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

export interface RecordedRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingMessage['headers'];
  body: string;
}

/** Answers one request: a status and a JSON body, or undefined for "not handled" (404). */
export type Route = (req: RecordedRequest) => { status: number; body: unknown } | undefined;

export interface FakeApiServer {
  url: string;
  kubeconfig: string;
  requests: RecordedRequest[];
  /** Writes one watch event to every open watch whose path starts with `pathPrefix`. */
  push(pathPrefix: string, type: string, object: unknown): void;
  /** Ends the open watches and answers every later watch with 403 (RBAC without `watch`). */
  refuseWatches(): void;
  /** Resolves once a watch on a path starting with `pathPrefix` is open. */
  watching(pathPrefix: string): Promise<void>;
  close(): Promise<void>;
}

export const TOKEN = 'test-token-5f2c';

export async function startFakeApiServer(route: Route): Promise<FakeApiServer> {
  const requests: RecordedRequest[] = [];
  const watches: { path: string; res: ServerResponse }[] = [];
  const waiters: { prefix: string; resolve: () => void }[] = [];
  let watchesRefused = false;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const r = {
        method: req.method ?? '',
        path: url.pathname,
        query: url.searchParams,
        headers: req.headers,
        body: Buffer.concat(chunks).toString(),
      };
      requests.push(r);
      if (r.query.get('watch') === 'true' && watchesRefused) {
        res.writeHead(403, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', reason: 'Forbidden', code: 403, message: 'watch is forbidden' }));
        return;
      }
      if (r.query.get('watch') === 'true') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.flushHeaders();
        watches.push({ path: r.path, res });
        for (const w of waiters.filter((x) => r.path.startsWith(x.prefix))) w.resolve();
        return;
      }
      const answer = route(r) ?? {
        status: 404,
        body: { kind: 'Status', reason: 'NotFound', message: `${r.path} not found`, code: 404 },
      };
      res.writeHead(answer.status, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'kubectl-bluegreen-test-'));
  const kubeconfig = path.join(dir, 'kubeconfig');
  writeFileSync(
    kubeconfig,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // client-node accepts an http:// server only with insecure-skip-tls-verify (there is no TLS to verify).
      clusters: [{ name: 'fake', cluster: { server: url, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'me', user: { token: TOKEN } }],
      contexts: [{ name: 'fake', context: { cluster: 'fake', user: 'me', namespace: 'report-mx5hrq13' } }],
      'current-context': 'fake',
    }),
  );
  return {
    url,
    kubeconfig,
    requests,
    push(prefix, type, object) {
      for (const w of watches.filter((x) => x.path.startsWith(prefix)))
        w.res.write(`${JSON.stringify({ type, object })}\n`);
    },
    refuseWatches() {
      watchesRefused = true;
      for (const w of watches.splice(0)) w.res.end();
    },
    watching: (prefix) =>
      watches.some((w) => w.path.startsWith(prefix))
        ? Promise.resolve()
        : new Promise((resolve) => waiters.push({ prefix, resolve })),
    close: () =>
      new Promise((resolve) => {
        for (const w of watches) w.res.destroy();
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      }),
  };
}

/** A list answer as the API server sends it. */
export const listOf = (items: unknown[], resourceVersion = '100') => ({
  status: 200,
  body: { kind: 'List', metadata: { resourceVersion }, items },
});
