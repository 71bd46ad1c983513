// PURE interpretation of a Prometheus HTTP API answer (/api/v1/query) as a QueryOutcome.
// Separate from the transport so every shape of answer is tested without a socket.
//
// The rule of the whole analysis layer: only a single finite number is a value. Everything
// else (no series, several series, NaN, a range vector, an error) is named explicitly so the
// evaluation can call it Inconclusive and the user can read why.

import type { QueryOutcome } from './types.ts';

/** Longest piece of a response body quoted in a message (an HTML error page can be huge). */
export const MAX_QUOTED_BODY = 300;

/** Turns the HTTP status and body text of /api/v1/query into an outcome. Never throws. */
export function interpretQueryResponse(httpStatus: number, statusText: string, body: string): QueryOutcome {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { kind: 'error', message: `HTTP ${httpStatus} ${statusText}: response is not JSON: ${quote(body)}`.trim() };
  }
  if (!isRecord(json))
    return { kind: 'error', message: `HTTP ${httpStatus}: response is not a JSON object: ${quote(body)}` };
  if (json.status === 'error') {
    const type = typeof json.errorType === 'string' ? json.errorType : 'unknown';
    const error = typeof json.error === 'string' ? json.error : '(no error message)';
    // Prometheus gave up evaluating within the `timeout` parameter we send: the same outcome
    // as our own deadline.
    if (type === 'timeout') return { kind: 'timeout', message: `Prometheus (HTTP ${httpStatus}) timeout: ${error}` };
    return { kind: 'error', message: `Prometheus error (HTTP ${httpStatus}) ${type}: ${error}` };
  }
  if (httpStatus < 200 || httpStatus > 299) {
    return { kind: 'error', message: `HTTP ${httpStatus} ${statusText}: ${quote(body)}` };
  }
  if (json.status !== 'success' || !isRecord(json.data)) {
    return { kind: 'error', message: `unexpected response shape (want status "success" and data): ${quote(body)}` };
  }
  return interpretData(json.data);
}

function interpretData(data: Record<string, unknown>): QueryOutcome {
  const { resultType, result } = data;
  switch (resultType) {
    case 'scalar':
      return interpretSample(result, 'scalar');
    case 'vector': {
      if (!Array.isArray(result)) return { kind: 'error', message: 'vector result is not an array' };
      if (result.length === 0) {
        return {
          kind: 'no-data',
          message: 'query returned no series (empty vector): no matching samples in the window',
        };
      }
      if (result.length > 1) {
        const shown = result
          .slice(0, 3)
          .map((s) => labelsOf(s))
          .join(', ');
        const more = result.length > 3 ? `, ... ${result.length - 3} more` : '';
        return {
          kind: 'error',
          message: `query returned ${result.length} series, expected 1: ${shown}${more}; aggregate it (e.g. sum(...)) to one series`,
        };
      }
      const sample: unknown = result[0];
      if (isRecord(sample) && sample.histogram !== undefined && sample.value === undefined) {
        return {
          kind: 'error',
          message: 'query returned a native histogram sample; use histogram_quantile(...) or similar to get a number',
        };
      }
      return interpretSample(isRecord(sample) ? sample.value : undefined, `series ${labelsOf(sample)}`);
    }
    case 'matrix':
      return {
        kind: 'error',
        message:
          'query returned a range vector (matrix), expected one number: drop the trailing [range] or wrap it in a function such as rate(...[1m]) or avg_over_time(...[5m])',
      };
    case 'string':
      return { kind: 'error', message: 'query returned a string, expected one number' };
    default:
      return { kind: 'error', message: `unknown resultType ${JSON.stringify(resultType)}` };
  }
}

// A sample is [unixSeconds, "value"]; Prometheus writes values as strings, with NaN, +Inf, -Inf.
function interpretSample(sample: unknown, what: string): QueryOutcome {
  if (!Array.isArray(sample) || sample.length !== 2 || typeof sample[1] !== 'string') {
    return {
      kind: 'error',
      message: `malformed sample for ${what}: ${quote(JSON.stringify(sample) ?? String(sample))}`,
    };
  }
  const text = sample[1];
  if (text === 'NaN') {
    return { kind: 'no-data', message: `${what} is NaN (typically 0/0: no traffic in the query window)` };
  }
  if (text === '+Inf' || text === '-Inf' || text === 'Inf') {
    return { kind: 'no-data', message: `${what} is ${text} (typically x/0: the denominator has no traffic)` };
  }
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) {
    return { kind: 'error', message: `${what} has an unparsable value ${JSON.stringify(text)}` };
  }
  return { kind: 'value', value };
}

function labelsOf(sample: unknown): string {
  const metric = isRecord(sample) && isRecord(sample.metric) ? sample.metric : {};
  const pairs = Object.entries(metric).map(([k, v]) => `${k}=${JSON.stringify(v)}`);
  return `{${pairs.join(',')}}`;
}

/** `text` on one line, cut to MAX_QUOTED_BODY characters, for quoting a body in a message. */
export function quote(text: string): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > MAX_QUOTED_BODY ? `${oneLine.slice(0, MAX_QUOTED_BODY)}...` : oneLine;
}

function isRecord(x: unknown): x is Record<string, unknown> {
  return typeof x === 'object' && x !== null && !Array.isArray(x);
}
