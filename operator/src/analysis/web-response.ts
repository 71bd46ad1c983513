// PURE interpretation of a web check's answer (HTTP status + body) as a QueryOutcome, and the
// JSONPath rules shared with spec validation. Separate from the transport (web.ts) so every
// shape of answer is tested without a socket.
//
// The rule of the analysis layer holds here too: only a single finite number is a value. Each
// way an answer can fall short starts its message with a fixed phrase naming which one
// ("non-2xx answer", "invalid JSON", "missing path", "several values", "non-numeric value"), so
// status and Events say what to fix; all are Inconclusive, never a pass.
//
// JSONPath is RFC 9535 (jsonpath-rfc9535, docs/adr/0021): a standard with a compliance suite,
// no script evaluation, so a user's path can never run code in the operator.

import { query } from 'jsonpath-rfc9535';
import { quote } from './prometheus-response.ts';
import type { QueryOutcome } from './types.ts';

/** Returns why `expression` is not an RFC 9535 JSONPath query, or undefined. For spec validation. */
export function validateJsonPath(expression: string): string | undefined {
  if (!expression.startsWith('$')) return `jsonPath must start with "$" (RFC 9535), got ${JSON.stringify(expression)}`;
  try {
    query({}, expression); // parses the path (and throws on a bad one) before it walks anything
    return undefined;
  } catch (err) {
    return `jsonPath ${JSON.stringify(expression)} is not valid RFC 9535 JSONPath: ${messageOf(err)}`;
  }
}

/** Turns the HTTP status and body of a web check into an outcome. Never throws. */
export function interpretWebResponse(
  httpStatus: number,
  statusText: string,
  body: string,
  jsonPath: string,
): QueryOutcome {
  if (httpStatus < 200 || httpStatus > 299) {
    return { kind: 'error', message: `non-2xx answer: HTTP ${httpStatus} ${statusText}: ${quote(body)}`.trim() };
  }
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (err) {
    return {
      kind: 'error',
      message: `invalid JSON: the answer does not parse (${messageOf(err)}): ${quote(body)}`,
    };
  }
  return pickNumber(json, jsonPath);
}

/** The one number `jsonPath` selects in `json`, or why there is none. */
export function pickNumber(json: unknown, jsonPath: string): QueryOutcome {
  const problem = validateJsonPath(jsonPath);
  if (problem !== undefined) return { kind: 'error', message: problem };
  const matches = query(json as Parameters<typeof query>[0], jsonPath);
  if (matches.length === 0) {
    return { kind: 'no-data', message: `missing path: jsonPath ${jsonPath} selects nothing in the answer` };
  }
  if (matches.length > 1) {
    return {
      kind: 'error',
      message: `several values: jsonPath ${jsonPath} selects ${matches.length} values, expected exactly one`,
    };
  }
  return asNumber(matches[0], jsonPath);
}

// A JSON number, or a string holding one (many endpoints quote numbers, as Prometheus does).
// Anything else (boolean, null, object, array, other text, NaN/Infinity) is not a measurement.
function asNumber(selected: unknown, jsonPath: string): QueryOutcome {
  const value = typeof selected === 'string' && selected.trim() !== '' ? Number(selected) : selected;
  if (typeof value === 'number' && Number.isFinite(value)) return { kind: 'value', value };
  return {
    kind: 'error',
    message: `non-numeric value: jsonPath ${jsonPath} selects ${describeJson(selected)}, expected a number`,
  };
}

function describeJson(value: unknown): string {
  const kind = value === null ? 'null' : Array.isArray(value) ? 'an array' : `${article(typeof value)} ${typeof value}`;
  return `${kind} (${quote(JSON.stringify(value) ?? String(value))})`;
}

const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a');

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
