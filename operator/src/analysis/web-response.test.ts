import { describe, expect, it } from 'vitest';
import type { QueryOutcome } from './types.ts';
import { interpretWebResponse, validateJsonPath } from './web-response.ts';

const json = (value: unknown): string => JSON.stringify(value);

describe('interpretWebResponse', () => {
  it.each<[string, number, string, string, QueryOutcome['kind'], string | number]>([
    ['a number', 200, json({ slo: { errorRatio: 0.004 } }), '$.slo.errorRatio', 'value', 0.004],
    ['a numeric string', 200, json({ p99: '0.250' }), '$.p99', 'value', 0.25],
    ['zero', 204, json({ failures: 0 }), '$.failures', 'value', 0],
    ['an array element', 200, json({ checks: [{ v: 3 }] }), '$.checks[0].v', 'value', 3],
    ['a filter selecting one', 200, json({ c: [{ n: 'db', ok: 1 }] }), '$.c[?@.n == "db"].ok', 'value', 1],
    ['a 503', 503, 'down for maintenance', '$.x', 'error', 'non-2xx answer: HTTP 503 Service Unavailable'],
    ['a redirect', 302, '', '$.x', 'error', 'non-2xx answer: HTTP 302'],
    ['HTML', 200, '<html>login</html>', '$.x', 'error', 'invalid JSON'],
    ['an empty body', 200, '', '$.x', 'error', 'invalid JSON'],
    ['a missing path', 200, json({ a: 1 }), '$.b', 'no-data', 'missing path: jsonPath $.b selects nothing'],
    ['several values', 200, json({ a: [1, 2] }), '$.a[*]', 'error', 'several values: jsonPath $.a[*] selects 2'],
    ['a boolean', 200, json({ up: true }), '$.up', 'error', 'non-numeric value: jsonPath $.up selects a boolean'],
    ['null', 200, json({ v: null }), '$.v', 'error', 'non-numeric value: jsonPath $.v selects null'],
    ['an object', 200, json({ v: { n: 1 } }), '$.v', 'error', 'selects an object'],
    ['text', 200, json({ v: 'fast' }), '$.v', 'error', 'selects a string ("fast")'],
    ['"NaN"', 200, json({ v: 'NaN' }), '$.v', 'error', 'non-numeric value'],
    ['an empty string', 200, json({ v: '' }), '$.v', 'error', 'non-numeric value'],
    ['a path that is not RFC 9535', 200, json({ a: 1 }), 'a.b', 'error', 'jsonPath must start with "$"'],
  ])('Given %s (HTTP %i), Then the outcome is as expected', (_what, status, body, path, kind, expected) => {
    const statusText = status === 503 ? 'Service Unavailable' : '';
    const outcome = interpretWebResponse(status, statusText, body, path);
    expect(outcome.kind).toBe(kind);
    if (outcome.kind === 'value') expect(outcome.value).toBe(expected);
    else expect(outcome.message).toContain(expected);
  });
});

describe('validateJsonPath', () => {
  it.each(['$', '$.a.b', '$["a b"][0]', '$.items[?@.name == "x"].value', '$..count'])('accepts %s', (path) => {
    expect(validateJsonPath(path)).toBeUndefined();
  });

  it.each([
    ['.a', 'must start with "$"'],
    ['$.a[', 'is not valid RFC 9535 JSONPath'],
    ['$.a[?(@.b == 1', 'is not valid RFC 9535 JSONPath'],
  ])('rejects %s', (path, problem) => {
    expect(validateJsonPath(path)).toContain(problem);
  });
});
