// A steady HTTP load from this machine. By default a new TCP connection per request, so every
// request goes through kube-proxy's current rules: it measures when new connections reach the
// new colour. With `keepAliveSockets` it behaves like a pooled client instead (an HTTP agent
// that reuses that many connections), which kube-proxy only re-routes when a connection is
// re-opened. Either way it counts every failed request (status >= 500 or a connection error).
// (k6 is not available here: its Go module is AGPL and refused by our proxy; see bench/README.md.)
import http from 'node:http';

export interface Sample {
  /** Epoch ms when the request was sent. */
  at: number;
  ms: number;
  status: number;
  color?: string;
  version?: string;
  error?: string;
}

export interface LoadRun {
  samples: Sample[];
  stop(): Promise<Sample[]>;
}

function once(
  url: URL,
  timeoutMs: number,
  headers: Record<string, string>,
  agent: http.Agent | undefined,
): Promise<Sample> {
  const at = Date.now();
  return new Promise((resolve) => {
    const req = http.request(
      url,
      agent
        ? { agent, headers, timeout: timeoutMs }
        : { agent: false, headers: { ...headers, connection: 'close' }, timeout: timeoutMs },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({
            at,
            ms: Date.now() - at,
            status: res.statusCode ?? 0,
            color: res.headers['x-color'] as string | undefined,
            version: res.headers['x-version'] as string | undefined,
          }),
        );
        res.on('error', (err) => resolve({ at, ms: Date.now() - at, status: 0, error: err.message }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout after ${timeoutMs} ms`)));
    req.on('error', (err) => resolve({ at, ms: Date.now() - at, status: 0, error: err.message }));
    req.end();
  });
}

/** `concurrency` loops, each sending a request as soon as the previous one finished, paced to `ratePerLoop` per second. */
export function startLoad(
  target: string,
  opts: {
    concurrency?: number;
    ratePerLoop?: number;
    timeoutMs?: number;
    headers?: Record<string, string>;
    /** Reuse this many keep-alive connections (a pooled client) instead of one per request. */
    keepAliveSockets?: number;
  } = {},
): LoadRun {
  const url = new URL(target);
  const agent =
    opts.keepAliveSockets === undefined
      ? undefined
      : new http.Agent({ keepAlive: true, maxSockets: opts.keepAliveSockets, maxFreeSockets: opts.keepAliveSockets });
  const samples: Sample[] = [];
  let running = true;
  const gapMs = 1000 / (opts.ratePerLoop ?? 50);
  const loops = Array.from({ length: opts.concurrency ?? 4 }, async () => {
    while (running) {
      const started = Date.now();
      samples.push(await once(url, opts.timeoutMs ?? 5_000, opts.headers ?? {}, agent));
      const wait = gapMs - (Date.now() - started);
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  });
  return {
    samples,
    async stop() {
      running = false;
      await Promise.all(loops);
      agent?.destroy();
      return samples;
    },
  };
}

export function failures(samples: readonly Sample[]): Sample[] {
  return samples.filter((s) => s.status === 0 || s.status >= 500);
}

/** Time from `sinceMs` until every later request was answered by `color`. */
export function timeToColor(samples: readonly Sample[], sinceMs: number, color: string): number | undefined {
  const after = samples.filter((s) => s.at >= sinceMs).sort((a, b) => a.at - b.at);
  let lastOther = -1;
  after.forEach((s, i) => {
    if (s.color !== color) lastOther = i;
  });
  const first = after[lastOther + 1];
  return first ? first.at - sinceMs : undefined;
}

export function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
