// The Prometheus client behind the MetricProvider interface (Flagger's idea: the analysis only
// needs "run this query, give me one number or tell me why not").
//
// Contract of runQuery:
// - Every remote failure is a returned QueryOutcome, never a throw: HTTP errors, Prometheus
//   `status: "error"`, non-JSON bodies, refused connections -> 'error'; no answer within
//   timeoutMs (or Prometheus's own evaluation timeout) -> 'timeout'. See prometheus-response.ts
//   for how the body is judged.
// - TLS: `tls.ca` replaces Node's trust store for this client; `tls.insecureSkipVerify` turns
//   verification off only when true (agents.ts). A refused certificate is an 'error' naming it.
// - It throws only for programmer errors (empty query) and when the CALLER's signal aborts
//   (rejects with signal.reason, the AbortSignal convention: the caller stopped caring, so
//   there is no measurement to record).
// - Header values never appear in messages (they usually carry credentials).

import { describeError } from '../runtime/errors.ts';
import { validatePrometheusAddress } from './address.ts';
import { validateCaBundle, type TlsSettings } from './agents.ts';
import { DeadlineExceeded, exchange, type HttpCall } from './http.ts';
import { interpretQueryResponse } from './prometheus-response.ts';
import { redactorOf } from './redact.ts';
import type { QueryOutcome } from './types.ts';

/** Anything that can answer an instant query with a QueryOutcome. */
export interface MetricProvider {
  runQuery(promql: string, signal: AbortSignal): Promise<QueryOutcome>;
}

/**
 * A provider that cannot query, for when the client cannot even be built (e.g. its headers
 * Secret is missing): every query is an 'error' outcome naming why, so the round is
 * Inconclusive, the analysis message says what to fix, and inconclusiveLimit still applies.
 */
export function unavailableProvider(reason: string): MetricProvider {
  return { runQuery: async () => ({ kind: 'error', message: reason }) };
}

export interface PrometheusClientOptions {
  /** Base URL, e.g. http://prometheus.monitoring:9090 or http://host/prometheus (path prefix kept). */
  address: string;
  /** Deadline for one query, connect to last body byte; also sent to Prometheus as `timeout`. */
  timeoutMs: number;
  /** Extra HTTP headers (e.g. Authorization), sent with every query. */
  headers?: Record<string, string>;
  /** CA bundle and verification for an https address (spec.analysis.prometheus.tls). */
  tls?: TlsSettings;
}

/** Queries whose GET URL would be longer than this are sent as a form POST (same API). */
export const MAX_GET_URL_LENGTH = 4096;

/** Longest answer read (a vector of one sample is a few hundred bytes; a wrong query can be huge). */
export const MAX_ANSWER_BYTES = 4 * 1024 * 1024;

export class PrometheusClient implements MetricProvider {
  readonly #endpoint: string;
  readonly #timeoutMs: number;
  readonly #headers: Record<string, string>;
  readonly #redact: (message: string) => string;
  readonly #tls: TlsSettings | undefined;

  constructor(options: PrometheusClientOptions) {
    const problem = validatePrometheusAddress(options.address);
    if (problem !== undefined) throw new TypeError(`PrometheusClient: ${problem}`);
    if (!Number.isInteger(options.timeoutMs) || options.timeoutMs < 1) {
      throw new RangeError(`PrometheusClient: timeoutMs must be an integer >= 1, got ${options.timeoutMs}`);
    }
    const headers = options.headers ?? {};
    for (const [name, value] of Object.entries(headers)) {
      try {
        new Headers([[name, value]]);
      } catch {
        // Name the header, never its value.
        throw new TypeError(`PrometheusClient: header ${JSON.stringify(name)} has an invalid name or value`);
      }
    }
    if (options.tls?.ca !== undefined) {
      const problem = validateCaBundle(options.tls.ca);
      if (problem !== undefined) throw new TypeError(`PrometheusClient: the CA bundle ${problem}`);
    }
    this.#tls = options.tls;
    this.#endpoint = `${options.address.replace(/\/+$/, '')}/api/v1/query`;
    this.#timeoutMs = options.timeoutMs;
    this.#headers = { ...headers };
    this.#redact = redactorOf(Object.values(headers));
  }

  async runQuery(promql: string, signal: AbortSignal): Promise<QueryOutcome> {
    if (typeof promql !== 'string' || promql.trim() === '')
      throw new TypeError('runQuery: promql must be a non-empty string');
    signal.throwIfAborted();
    try {
      // The body is read under the same deadline: a server that stalls mid-body is a timeout too.
      const answer = await exchange(this.#request(promql), signal);
      return this.#redacted(interpretQueryResponse(answer.status, answer.statusText, answer.body));
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (err instanceof DeadlineExceeded) {
        return { kind: 'timeout', message: `no answer from ${this.#endpoint} within ${this.#timeoutMs} ms` };
      }
      return this.#redacted({ kind: 'error', message: `cannot query ${this.#endpoint}: ${describeError(err)}` });
    }
  }

  #request(promql: string): HttpCall {
    const params = new URLSearchParams({ query: promql, timeout: `${this.#timeoutMs / 1000}s` });
    const headers = { Accept: 'application/json', ...this.#headers };
    const common = { timeoutMs: this.#timeoutMs, maxBodyBytes: MAX_ANSWER_BYTES, tls: this.#tls };
    const getUrl = `${this.#endpoint}?${params}`;
    if (getUrl.length <= MAX_GET_URL_LENGTH) return { ...common, url: new URL(getUrl), method: 'GET', headers };
    return {
      ...common,
      url: new URL(this.#endpoint),
      method: 'POST',
      headers: { ...headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: params.toString(),
    };
  }

  #redacted(outcome: QueryOutcome): QueryOutcome {
    return outcome.kind === 'value' ? outcome : { ...outcome, message: this.#redact(outcome.message) };
  }
}
