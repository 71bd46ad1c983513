// A counting proxy between one controller and the API server, so each controller's requests
// are counted by verb on their own. The API server's apiserver_request_total cannot say which
// client asked, and this cluster is shared: its counters move with every other session.
//
// The controller gets a kubeconfig pointing at http://127.0.0.1:<port> (no auth); the proxy
// forwards every request over TLS with the cluster admin's client certificate and streams the
// answer back (watches included). Both controllers under comparison pay the same extra hop.
import { readFileSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { KubeConfig } from '@kubernetes/client-node';

export type Verb = 'get' | 'list' | 'watch' | 'create' | 'update' | 'patch' | 'delete' | 'deletecollection' | 'other';

export interface ApiProxy {
  /** A kubeconfig file that points at the proxy. */
  kubeconfig: string;
  /** Requests by Kubernetes verb since the last reset. */
  counts(): Record<Verb, number>;
  reset(): void;
  close(): Promise<void>;
}

/** One line per request when the proxy was given a trace: when it started and ended (ms since the epoch). */
export interface ProxyTraceLine {
  t0: number;
  t1: number;
  method: string;
  url: string;
  status: number;
}

/** The Kubernetes verb of a request, from its method and path (as the API server's RequestInfo derives it). */
export function verbOf(method: string, url: string): Verb {
  const u = new URL(url, 'http://x');
  const segs = u.pathname.split('/').filter(Boolean);
  // /api/v1/... or /apis/<group>/<version>/...; anything else (discovery, /version) is "other".
  const rest = segs[0] === 'api' ? segs.slice(2) : segs[0] === 'apis' ? segs.slice(3) : undefined;
  if (!rest || rest.length === 0) return 'other';
  if (rest[0] === 'watch') return 'watch'; // the deprecated /watch/ prefix
  // namespaces/<ns>/<resource>/... ; a bare namespaces/<ns> is an item of "namespaces"
  const inNs = rest[0] === 'namespaces' && rest.length >= 3 ? rest.slice(2) : rest;
  const named = inNs.length >= 2;
  switch (method) {
    case 'GET':
      if (['true', '1'].includes(u.searchParams.get('watch') ?? '')) return 'watch';
      return named ? 'get' : 'list';
    case 'POST':
      return 'create';
    case 'PUT':
      return 'update';
    case 'PATCH':
      return 'patch';
    case 'DELETE':
      return named ? 'delete' : 'deletecollection';
    default:
      return 'other';
  }
}

const zero = (): Record<Verb, number> => ({
  get: 0,
  list: 0,
  watch: 0,
  create: 0,
  update: 0,
  patch: 0,
  delete: 0,
  deletecollection: 0,
  other: 0,
});

export async function startApiProxy(
  adminKubeconfig: string,
  name: string,
  trace?: (line: ProxyTraceLine) => void,
): Promise<ApiProxy> {
  const kc = new KubeConfig();
  kc.loadFromFile(adminKubeconfig);
  const cluster = kc.getCurrentCluster()!;
  const user = kc.getCurrentUser()!;
  const target = new URL(cluster.server);
  const fromData = (d?: string) => (d ? Buffer.from(d, 'base64') : undefined);
  const agent = new https.Agent({
    keepAlive: true,
    maxSockets: 256,
    ca: fromData(cluster.caData) ?? (cluster.caFile ? readFileSync(cluster.caFile) : undefined),
    cert: fromData(user.certData) ?? (user.certFile ? readFileSync(user.certFile) : undefined),
    key: fromData(user.keyData) ?? (user.keyFile ? readFileSync(user.keyFile) : undefined),
  });
  let counts = zero();
  const server = http.createServer((req, res) => {
    counts[verbOf(req.method ?? 'GET', req.url ?? '/')]++;
    const t0 = Date.now();
    const up = https.request(
      {
        agent,
        hostname: target.hostname,
        port: target.port || 443,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (upRes) => {
        res.writeHead(upRes.statusCode ?? 502, upRes.headers);
        upRes.pipe(res);
        if (trace)
          upRes.on('end', () =>
            trace({ t0, t1: Date.now(), method: req.method ?? '', url: req.url ?? '', status: upRes.statusCode ?? 0 }),
          );
      },
    );
    up.on('error', (err) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`proxy: ${err.message}`);
    });
    // A client that goes away (a watch it stops) must end the upstream request too.
    res.on('close', () => up.destroy());
    req.pipe(up);
  });
  server.keepAliveTimeout = 120_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const file = path.join(os.tmpdir(), `bench-compare-${name}-${port}.kubeconfig`);
  writeFileSync(
    file,
    JSON.stringify({
      apiVersion: 'v1',
      kind: 'Config',
      // client-node refuses plain http unless told to skip TLS verification (there is no TLS).
      clusters: [{ name: 'proxy', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
      users: [{ name: 'proxy', user: {} }],
      contexts: [{ name: 'proxy', context: { cluster: 'proxy', user: 'proxy' } }],
      'current-context': 'proxy',
    }),
  );
  return {
    kubeconfig: file,
    counts: () => ({ ...counts }),
    reset: () => {
      counts = zero();
    },
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
        agent.destroy();
      }),
  };
}
