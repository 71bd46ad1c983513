// A watch over our own transport: GET ...?watch=true and one JSON event per line, with the
// contract the informer had from client-node's Watch (docs/client-node.md), so its restart
// logic stays as it was:
//  - onEvent(type, object) per line; lines that are not JSON are skipped;
//  - onDone(err) exactly once: null when the server ends the stream, a TimeoutError after
//    inactivityMs without a byte (connect included), an Error with statusCode for a non-200
//    answer, the transport's error otherwise; never after abort() was called by the caller;
//  - resolves with a controller whose abort() closes the connection.
import { createInterface } from 'node:readline';
import type { KubeConnection } from './connection.ts';
import { open, readText } from './transport.ts';

/** client-node's Watch.requestTimeoutMs: a quiet or dead connection is re-opened after 30 s. */
export const WATCH_INACTIVITY_MS = 30_000;

export type WatchQuery = Record<string, string | number | boolean | undefined>;

export interface WatchOptions {
  inactivityMs?: number;
}

export async function watchPath(
  conn: KubeConnection,
  path: string,
  query: WatchQuery,
  onEvent: (type: string, object: never) => void,
  onDone: (err: unknown) => void,
  options: WatchOptions = {},
): Promise<AbortController> {
  const inactivityMs = options.inactivityMs ?? WATCH_INACTIVITY_MS;
  const controller = new AbortController();
  let done = false;
  let timer: NodeJS.Timeout | undefined;
  const finish = (err: unknown): void => {
    if (done) return;
    done = true;
    clearTimeout(timer);
    // The caller's abort() ends the watch silently, as client-node's did.
    const byCaller = controller.signal.aborted;
    controller.abort();
    if (!byCaller) onDone(err);
  };
  const resetTimer = (): void => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const timeout = new DOMException(`watch ${path}: no data for ${inactivityMs} ms`, 'TimeoutError');
      finish(timeout);
    }, inactivityMs);
    timer.unref();
  };
  controller.signal.addEventListener('abort', () => {
    done = true;
    clearTimeout(timer);
  });

  const stringQuery: Record<string, string | undefined> = { watch: 'true' };
  for (const [k, v] of Object.entries(query)) stringQuery[k] = v === undefined ? undefined : String(v);
  resetTimer();
  try {
    const response = await open(conn, {
      method: 'GET',
      path,
      query: stringQuery,
      headers: { Accept: 'application/json' },
      signal: controller.signal,
    });
    if (response.statusCode !== 200) {
      const text = await readText(response, controller.signal).catch(() => '');
      let message = response.statusMessage ?? '';
      try {
        message = (JSON.parse(text) as { message?: string }).message ?? message;
      } catch {
        // not a Status object: keep the status line's text
      }
      throw Object.assign(new Error(`watch ${path}: ${response.statusCode} ${message}`), {
        statusCode: response.statusCode,
      });
    }
    resetTimer(); // from here on an inactivity timer: reset by every chunk
    response.on('data', resetTimer);
    response.on('error', finish);
    response.on('close', () => finish(null));
    const lines = createInterface({ input: response, crlfDelay: Infinity });
    lines.on('error', finish); // readline re-emits the response's errors (a reset connection)
    lines.on('line', (line) => {
      if (done) return;
      let event: { type?: unknown; object?: unknown };
      try {
        event = JSON.parse(line) as typeof event;
      } catch {
        return; // a partial or garbled line: skip it, as client-node did
      }
      if (typeof event.type === 'string') onEvent(event.type, event.object as never);
    });
  } catch (err) {
    finish(err);
  }
  return controller;
}
