// A loopback HTTP server that speaks just enough of the Kubernetes list/watch protocol for
// informer unit tests: list with a resourceVersion, watch as chunked JSON lines from a given
// resourceVersion, bookmarks, 410 for compacted versions, and knobs to inject failures
// (status codes, dropped connections, silent changes that watchers never see).
// A real API server is exercised by the integration tier; this one makes failures reproducible.

import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { KubernetesObject } from '@kubernetes/client-node';
import { createConnection, type KubeConnection } from '../src/runtime/connection.ts';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';
interface LoggedEvent {
  rv: number;
  type: EventType;
  obj: KubernetesObject;
  /** A change no watcher ever sees, as if the event had been lost. */
  silent: boolean;
}

export interface RecordedRequest {
  watch: boolean;
  query: URLSearchParams;
  status: number;
}

export class FakeApiServer {
  readonly requests: RecordedRequest[] = [];
  /** TCP connections accepted, to check that clients reuse kept-alive connections. */
  connections = 0;
  readonly #objects = new Map<string, KubernetesObject>();
  readonly #log: LoggedEvent[] = [];
  readonly #watchers = new Set<{ res: ServerResponse; since: number }>();
  #rv = 100;
  #compactedBelow = 0;
  #failures: number[] = [];
  #server: Server | undefined;

  readonly kind: string;

  constructor(kind = 'ConfigMap') {
    this.kind = kind;
  }

  /** Starts listening; the connection to use is plain http to 127.0.0.1 without credentials. */
  async start(): Promise<KubeConnection> {
    this.#server = createServer((req, res) => this.#handle(req, res));
    this.#server.on('connection', () => this.connections++);
    await new Promise<void>((resolve) => this.#server?.listen(0, '127.0.0.1', resolve));
    const { port } = this.#server.address() as AddressInfo;
    return createConnection({ server: `http://127.0.0.1:${port}` });
  }

  async close(): Promise<void> {
    this.dropWatches();
    await new Promise<void>((resolve) => this.#server?.close(() => resolve()));
  }

  get resourceVersion(): number {
    return this.#rv;
  }

  watchCount(): number {
    return this.requests.filter((r) => r.watch && r.status === 200).length;
  }

  listCount(): number {
    return this.requests.filter((r) => !r.watch && r.status === 200).length;
  }

  openWatches(): number {
    return this.#watchers.size;
  }

  /** Creates or updates an object; watchers are notified unless silent (a "missed" event). */
  apply(
    name: string,
    data: Record<string, string>,
    options: { silent?: boolean; labels?: Record<string, string> } = {},
  ): void {
    const key = `default/${name}`;
    const existing = this.#objects.get(key);
    const obj = {
      apiVersion: 'v1',
      kind: this.kind,
      metadata: {
        name,
        namespace: 'default',
        uid: `uid-${name}`,
        labels: options.labels,
        resourceVersion: String(++this.#rv),
      },
      data,
    } as KubernetesObject;
    this.#objects.set(key, obj);
    this.#record(existing ? 'MODIFIED' : 'ADDED', obj, options.silent);
  }

  remove(name: string, options: { silent?: boolean } = {}): void {
    const key = `default/${name}`;
    const existing = this.#objects.get(key);
    if (!existing) return;
    this.#objects.delete(key);
    const obj = { ...existing, metadata: { ...existing.metadata, resourceVersion: String(++this.#rv) } };
    this.#record('DELETED', obj, options.silent);
  }

  /** The next requests (list or watch) fail with these HTTP statuses, in order. */
  failNext(...statuses: number[]): void {
    this.#failures.push(...statuses);
  }

  /** Forgets history: watches from an older resourceVersion get 410 Gone. */
  compact(): void {
    this.#compactedBelow = this.#rv;
  }

  /** Abruptly destroys every open watch connection (like ECONNRESET from a proxy). */
  dropWatches(): void {
    for (const w of this.#watchers) w.res.socket?.destroy();
    this.#watchers.clear();
  }

  sendBookmark(): void {
    const line = JSON.stringify({
      type: 'BOOKMARK',
      object: { kind: this.kind, apiVersion: 'v1', metadata: { resourceVersion: String(this.#rv) } },
    });
    for (const w of this.#watchers) w.res.write(line + '\n');
  }

  #record(type: EventType, obj: KubernetesObject, silent = false): void {
    const event = { rv: this.#rv, type, obj, silent };
    this.#log.push(event);
    if (silent) return;
    for (const w of this.#watchers) if (event.rv > w.since) w.res.write(JSON.stringify({ type, object: obj }) + '\n');
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const watch = url.searchParams.get('watch') === 'true';
    const failure = this.#failures.shift();
    this.requests.push({ watch, query: url.searchParams, status: failure ?? 200 });
    if (failure !== undefined) {
      res.writeHead(failure, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ kind: 'Status', status: 'Failure', code: failure, message: `injected ${failure}` }));
      return;
    }
    if (!watch) {
      // Paged like the API server: `limit` items, then a `continue` token (here: the offset).
      const all = [...this.#objects.values()];
      const offset = Number(url.searchParams.get('continue') ?? 0);
      const limit = Number(url.searchParams.get('limit') ?? 0) || all.length;
      const items = all.slice(offset, offset + limit);
      const next = offset + limit < all.length ? String(offset + limit) : undefined;
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          kind: `${this.kind}List`,
          apiVersion: 'v1',
          metadata: { resourceVersion: String(this.#rv), continue: next },
          items,
        }),
      );
      return;
    }
    const since = Number(url.searchParams.get('resourceVersion') ?? this.#rv);
    res.writeHead(200, { 'content-type': 'application/json', 'transfer-encoding': 'chunked' });
    if (since < this.#compactedBelow) {
      // What a real API server does for a compacted version: 200, then an ERROR event.
      res.end(
        JSON.stringify({
          type: 'ERROR',
          object: {
            kind: 'Status',
            apiVersion: 'v1',
            status: 'Failure',
            code: 410,
            reason: 'Expired',
            message: `too old resource version: ${since}`,
          },
        }) + '\n',
      );
      return;
    }
    for (const event of this.#log) {
      if (event.rv > since && !event.silent) res.write(JSON.stringify({ type: event.type, object: event.obj }) + '\n');
    }
    const watcher = { res, since: Math.max(since, this.#rv) };
    this.#watchers.add(watcher);
    res.flushHeaders();
    req.on('close', () => this.#watchers.delete(watcher));
  }
}
