// A local notification receiver on 127.0.0.1, port 0, for unit tests of delivery: it records
// every request (path, headers, body) and answers what the test scripts: a status (with
// optional Retry-After), or no answer at all until it is closed (a slow receiver).
import { createServer, type IncomingHttpHeaders, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Received {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
}

export type Answer = number | { status: number; retryAfterSeconds?: number } | 'hang';

export class Receiver {
  readonly received: Received[] = [];
  /** Answers for the next requests, in order; once empty, `otherwise`. */
  readonly script: Answer[] = [];
  otherwise: Answer = 200;
  readonly #server: Server;
  readonly #hanging: ServerResponse[] = [];

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<Receiver> {
    const server = createServer();
    const receiver = new Receiver(server);
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        receiver.received.push({
          path: req.url ?? '',
          headers: req.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        });
        receiver.#answer(res, receiver.script.shift() ?? receiver.otherwise);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return receiver;
  }

  /** A URL of this receiver with `path` (e.g. a Slack-like token path). */
  url(path = '/hook'): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}${path}`;
  }

  bodies<T = Record<string, unknown>>(): T[] {
    return this.received.map((r) => JSON.parse(r.body) as T);
  }

  async close(): Promise<void> {
    for (const res of this.#hanging) res.destroy();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #answer(res: ServerResponse, answer: Answer): void {
    if (answer === 'hang') {
      this.#hanging.push(res);
      return;
    }
    const { status, retryAfterSeconds } =
      typeof answer === 'number' ? { status: answer, retryAfterSeconds: undefined } : answer;
    if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
    res.writeHead(status, { 'Content-Type': 'text/plain' }).end(status < 300 ? 'ok' : `error at ${res.req.url ?? ''}`);
  }
}

/** A URL where nothing listens (a receiver that is down): a port bound and released. */
export async function downUrl(path = '/hook'): Promise<string> {
  const r = await Receiver.start();
  const url = r.url(path);
  await r.close();
  return url;
}
