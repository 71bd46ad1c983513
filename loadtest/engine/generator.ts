// The open-model generator: sends request k at the moment the profile makes it due, whatever
// happened to earlier requests, and records what came back. Latency is measured from the
// actual send; how late the send was (the generator's own lag) is recorded separately, so a
// saturated generator shows up as such instead of as a fast service.
import http from 'node:http';
import https from 'node:https';
import { count, merge, percentile, record, type Histogram } from './histogram.ts';
import { arrivalsBy, dueAt, profileDuration, rateAt, type Profile } from './profile.ts';

export interface GeneratorOptions {
  url: string;
  profile: Profile;
  /** true: a pool of kept-alive connections (like most real clients); false: one connection per request. */
  keepAlive: boolean;
  /** Cap on pooled connections when keepAlive (requests beyond it wait for a free one); 0 = no cap. */
  maxConnections: number;
  timeoutMs: number;
  /** Requests allowed in flight; one that is due beyond this is counted as failed (dropped), never delayed. */
  maxInFlight: number;
  /** Response header counted per value, e.g. X-Color to see which colour answered. */
  splitHeader: string;
  /** Sent with every request (e.g. an Authorization header); none when absent. */
  headers?: Record<string, string>;
}

export interface SecondStats {
  second: number;
  targetRate: number;
  sent: number;
  failed: number;
  p50: number;
  p95: number;
  p99: number;
  split: Record<string, number>;
}

export interface RunStats {
  url: string;
  keepAlive: boolean;
  startedAt: string;
  durationSeconds: number;
  requests: number;
  failed: number;
  errorRate: number;
  /** Status code (or "error") -> count. */
  statuses: Record<string, number>;
  /** The most frequent error messages. */
  errors: Record<string, number>;
  latencyMs: { p50: number; p90: number; p95: number; p99: number; max: number };
  generatorLagMs: { p99: number; max: number };
  split: Record<string, number>;
  timeline: SecondStats[];
}

/** Prefix of the one stdout line that carries a Job's RunStats as JSON. */
export const RESULT_MARKER = 'LOADTEST_RESULT ';

/** A failed request: no response, a timeout, a dropped send, or a status >= 400. */
const isFailure = (status: number) => status === 0 || status >= 400;
const TICK_MS = 5;

/**
 * Runs the profile to its end, or until `signal` aborts: then no request is sent any more, the
 * ones in flight are awaited, and the timeline ends at the last second that was started.
 */
export async function runLoad(
  opts: GeneratorOptions,
  onSecond?: (s: SecondStats) => void,
  signal?: AbortSignal,
): Promise<RunStats> {
  const url = new URL(opts.url);
  const lib = url.protocol === 'https:' ? https : http;
  const agent = opts.keepAlive
    ? new lib.Agent({ keepAlive: true, ...(opts.maxConnections > 0 ? { maxSockets: opts.maxConnections } : {}) })
    : undefined;
  const duration = profileDuration(opts.profile);
  interface Second {
    sent: number;
    failed: number;
    latency: Histogram;
    split: Record<string, number>;
  }
  const seconds = Array.from({ length: Math.ceil(duration) }, (): Second => ({
    sent: 0,
    failed: 0,
    latency: new Map(),
    split: {},
  }));
  const statuses: Record<string, number> = {};
  const errors: Record<string, number> = {};
  const split: Record<string, number> = {};
  const lag: Histogram = new Map();
  let maxLatency = 0;
  let maxLag = 0;
  let inFlight = 0;
  let sent = 0;
  const pending = new Set<Promise<void>>();
  const t0 = performance.now();
  const startedAt = new Date().toISOString();

  const finish = (sec: number, status: number, ms: number, error?: string, splitValue?: string) => {
    const bucket = seconds[Math.min(sec, seconds.length - 1)]!;
    statuses[error ? 'error' : String(status)] = (statuses[error ? 'error' : String(status)] ?? 0) + 1;
    if (error) errors[error] = (errors[error] ?? 0) + 1;
    if (isFailure(status)) bucket.failed++;
    else {
      record(bucket.latency, ms);
      maxLatency = Math.max(maxLatency, ms);
    }
    if (splitValue !== undefined) {
      bucket.split[splitValue] = (bucket.split[splitValue] ?? 0) + 1;
      split[splitValue] = (split[splitValue] ?? 0) + 1;
    }
  };

  const send = (k: number, now: number) => {
    const lagMs = Math.max(0, now - t0 - dueAt(opts.profile, k) * 1000);
    record(lag, lagMs);
    maxLag = Math.max(maxLag, lagMs);
    const sec = Math.floor((now - t0) / 1000);
    seconds[Math.min(sec, seconds.length - 1)]!.sent++;
    if (inFlight >= opts.maxInFlight) {
      finish(sec, 0, 0, `dropped: ${opts.maxInFlight} requests already in flight`);
      return;
    }
    inFlight++;
    const p = new Promise<void>((resolve) => {
      const start = performance.now();
      const done = (status: number, error?: string, splitValue?: string) => {
        inFlight--;
        finish(sec, status, performance.now() - start, error, splitValue);
        resolve();
      };
      const req = lib.request(
        url,
        agent
          ? { agent, headers: { ...opts.headers }, timeout: opts.timeoutMs }
          : { agent: false, headers: { ...opts.headers, connection: 'close' }, timeout: opts.timeoutMs },
        (res) => {
          res.resume();
          res.on('end', () => {
            const v = res.headers[opts.splitHeader.toLowerCase()];
            done(res.statusCode ?? 0, undefined, typeof v === 'string' ? v : undefined);
          });
          res.on('error', (err) => done(0, err.message));
        },
      );
      req.on('timeout', () => req.destroy(new Error(`timeout after ${opts.timeoutMs} ms`)));
      req.on('error', (err) => done(0, (err as NodeJS.ErrnoException).code ?? err.message));
      req.end();
    });
    pending.add(p);
    void p.then(() => pending.delete(p));
  };

  let reported = 0;
  const total = Math.floor(arrivalsBy(opts.profile, duration));
  while (sent < total && !signal?.aborted) {
    const now = performance.now();
    const due = Math.min(total, Math.floor(arrivalsBy(opts.profile, (now - t0) / 1000)));
    while (sent < due) send(sent++, now);
    const sec = Math.floor((now - t0) / 1000);
    while (onSecond && reported < sec - 1) onSecond(secondStats(reported++));
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  const sendingEnded = performance.now();
  await Promise.all(pending);
  agent?.destroy();
  // Aborted early: the seconds never reached are not part of the run (they would read as zeros).
  if (signal?.aborted) seconds.length = Math.min(seconds.length, Math.max(1, Math.ceil((sendingEnded - t0) / 1000)));

  function secondStats(i: number): SecondStats {
    const s = seconds[i]!;
    return {
      second: i,
      targetRate: Math.round(rateAt(opts.profile, i + 0.5) * 100) / 100,
      sent: s.sent,
      failed: s.failed,
      p50: percentile(s.latency, 50),
      p95: percentile(s.latency, 95),
      p99: percentile(s.latency, 99),
      split: s.split,
    };
  }
  const all: Histogram = new Map();
  for (const s of seconds) merge(all, s.latency);
  const failed = seconds.reduce((n, s) => n + s.failed, 0);
  const topErrors = Object.fromEntries(
    Object.entries(errors)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 10),
  );
  return {
    url: opts.url,
    keepAlive: opts.keepAlive,
    startedAt,
    durationSeconds: Math.round((performance.now() - t0) / 10) / 100,
    requests: sent,
    failed,
    errorRate: sent === 0 ? 0 : failed / sent,
    statuses,
    errors: topErrors,
    latencyMs: {
      p50: percentile(all, 50),
      p90: percentile(all, 90),
      p95: percentile(all, 95),
      p99: percentile(all, 99),
      max: Math.round(maxLatency * 100) / 100,
    },
    generatorLagMs: { p99: count(lag) ? percentile(lag, 99) : 0, max: Math.round(maxLag * 100) / 100 },
    split,
    timeline: seconds.map((_, i) => secondStats(i)),
  };
}
