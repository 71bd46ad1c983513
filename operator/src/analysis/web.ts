// Web checks: one HTTP request per measurement, one number picked from the JSON answer with a
// JSONPath, judged with the metric's min/max like a Prometheus value (Argo Rollouts' Web metric).
//
// Contract of runCheck (the same as PrometheusClient.runQuery's):
// - Every remote failure is a returned QueryOutcome, never a throw, and each names which one
//   (web-response.ts): a non-2xx answer, invalid JSON, a missing path, several values, a
//   non-numeric value -> error or no-data; no answer within check.timeoutMs -> timeout; a
//   refused connection or an unusable URL or header -> error. All are Inconclusive, never a pass.
// - It rejects only when the CALLER's signal aborts (the caller stopped caring).
// - Header values, literal or from Secrets, never appear in messages.
// - The URL arrives rendered (the planner renders it like a query: template.ts variables).

import { describeError } from '../runtime/errors.ts';
import { DeadlineExceeded, exchange } from './http.ts';
import { redactorOf } from './redact.ts';
import type { QueryOutcome, WebCheck, WebHeader } from './types.ts';
import { interpretWebResponse } from './web-response.ts';

/** Anything that can run one web check for a measurement. */
export interface WebProvider {
  runCheck(url: string, check: WebCheck, signal: AbortSignal): Promise<QueryOutcome>;
}

/**
 * The Secrets this round's headers refer to, read once before the round by the caller: a
 * Secret's keys and values, or why it cannot be had (missing, not readable), said in a way that
 * names the Secret. A Secret not in the map was not read: the header is an error naming it.
 */
export type RoundSecrets = ReadonlyMap<string, Readonly<Record<string, string>> | string>;

/** Longest answer read; a health or SLO endpoint answers a few kilobytes at most. */
export const MAX_WEB_ANSWER_BYTES = 1024 * 1024;

export class WebClient implements WebProvider {
  readonly #secrets: RoundSecrets;

  constructor(secrets: RoundSecrets = new Map()) {
    this.#secrets = secrets;
  }

  async runCheck(url: string, check: WebCheck, signal: AbortSignal): Promise<QueryOutcome> {
    signal.throwIfAborted();
    const target = `${check.method} ${url}`;
    const parsed = parseUrl(url);
    if (typeof parsed === 'string') return { kind: 'error', message: `${parsed} (${target})` };
    const headers = this.#headers(check.headers);
    if (typeof headers === 'string') return { kind: 'error', message: `${headers} (${target})` };
    const redact = redactorOf(Object.values(headers));
    const named = (outcome: QueryOutcome): QueryOutcome =>
      outcome.kind === 'value' ? outcome : { ...outcome, message: redact(`${outcome.message} (${target})`) };
    try {
      const answer = await exchange(
        {
          url: parsed,
          method: check.method,
          headers: withContentType(headers, check.body),
          ...(check.body !== undefined ? { body: check.body } : {}),
          timeoutMs: check.timeoutMs,
          maxBodyBytes: MAX_WEB_ANSWER_BYTES,
        },
        signal,
      );
      return named(interpretWebResponse(answer.status, answer.statusText, answer.body, check.jsonPath));
    } catch (err) {
      if (signal.aborted) throw signal.reason;
      if (err instanceof DeadlineExceeded) return named({ kind: 'timeout', message: `timeout: ${err.message}` });
      return named({ kind: 'error', message: `cannot reach the endpoint: ${describeError(err)}` });
    }
  }

  /** The request headers with their values, or why one cannot be had (naming the header, never its value). */
  #headers(spec: readonly WebHeader[]): Record<string, string> | string {
    const headers: Record<string, string> = { Accept: 'application/json' };
    for (const header of spec) {
      const value = this.#value(header);
      if (value.problem !== undefined) return `header ${JSON.stringify(header.name)}: ${value.problem}`;
      try {
        new Headers([[header.name, value.value]]);
      } catch {
        return `header ${JSON.stringify(header.name)} has an invalid name or value`;
      }
      headers[header.name] = value.value;
    }
    return headers;
  }

  #value(header: WebHeader): { value: string; problem?: undefined } | { problem: string } {
    const ref = header.valueFrom?.secretKeyRef;
    if (ref === undefined) return { value: header.value ?? '' };
    const data = this.#secrets.get(ref.name);
    if (data === undefined) return { problem: `Secret ${ref.name} was not read for this round` };
    if (typeof data === 'string') return { problem: data };
    const value = data[ref.key];
    if (value === undefined) return { problem: `Secret ${ref.name} has no key ${JSON.stringify(ref.key)}` };
    return { value };
  }
}

function parseUrl(url: string): URL | string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'invalid URL: not an absolute URL';
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')
    return `invalid URL: ${parsed.protocol} is not http(s)`;
  return parsed;
}

// A body is JSON unless the check's headers say otherwise (header names are case-insensitive).
function withContentType(headers: Record<string, string>, body: string | undefined): Record<string, string> {
  if (body === undefined || Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) return headers;
  return { ...headers, 'Content-Type': 'application/json' };
}
