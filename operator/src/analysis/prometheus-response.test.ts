// Shapes of /api/v1/query answers the local-server test does not need a socket for.
import { describe, expect, it } from 'vitest';
import { interpretQueryResponse, MAX_QUOTED_BODY } from './prometheus-response.ts';
import type { QueryOutcome } from './types.ts';

const success = (data: unknown) => JSON.stringify({ status: 'success', data });
const vector = (...values: unknown[]) =>
  success({ resultType: 'vector', result: values.map((v, i) => ({ metric: { i: String(i) }, value: [1, v] })) });

describe('interpretQueryResponse', () => {
  it.each<[string, number, string, QueryOutcome]>([
    ['a negative value', 200, vector('-2.5'), { kind: 'value', value: -2.5 }],
    ['zero', 200, vector('0'), { kind: 'value', value: 0 }],
    ['exponent notation', 200, vector('1e-3'), { kind: 'value', value: 0.001 }],
    [
      '-Inf',
      200,
      vector('-Inf'),
      { kind: 'no-data', message: 'series {i="0"} is -Inf (typically x/0: the denominator has no traffic)' },
    ],
    [
      'an unparsable value',
      200,
      vector('abc'),
      { kind: 'error', message: 'series {i="0"} has an unparsable value "abc"' },
    ],
    ['an empty value', 200, vector(''), { kind: 'error', message: 'series {i="0"} has an unparsable value ""' }],
    [
      'a numeric (not string) value',
      200,
      vector(3),
      { kind: 'error', message: 'malformed sample for series {i="0"}: [1,3]' },
    ],
    [
      'a string result',
      200,
      success({ resultType: 'string', result: [1, 'x'] }),
      { kind: 'error', message: 'query returned a string, expected one number' },
    ],
    [
      'an unknown resultType',
      200,
      success({ resultType: 'exemplars', result: [] }),
      { kind: 'error', message: 'unknown resultType "exemplars"' },
    ],
    [
      'a vector that is not an array',
      200,
      success({ resultType: 'vector', result: {} }),
      { kind: 'error', message: 'vector result is not an array' },
    ],
    [
      'JSON that is not an object',
      200,
      '[1,2]',
      { kind: 'error', message: 'HTTP 200: response is not a JSON object: [1,2]' },
    ],
    [
      'status neither success nor error',
      200,
      '{"status":"maybe"}',
      { kind: 'error', message: 'unexpected response shape (want status "success" and data): {"status":"maybe"}' },
    ],
    [
      'an error without details',
      422,
      '{"status":"error"}',
      { kind: 'error', message: 'Prometheus error (HTTP 422) unknown: (no error message)' },
    ],
    [
      'JSON success on HTTP 502',
      502,
      vector('1'),
      { kind: 'error', message: expect.stringContaining('HTTP 502 Bad Gateway') },
    ],
    [
      "Prometheus's own evaluation timeout",
      503,
      '{"status":"error","errorType":"timeout","error":"query timed out in expression evaluation"}',
      { kind: 'timeout', message: 'Prometheus (HTTP 503) timeout: query timed out in expression evaluation' },
    ],
    [
      'a native histogram sample',
      200,
      success({ resultType: 'vector', result: [{ metric: {}, histogram: [1, { count: '3' }] }] }),
      { kind: 'error', message: expect.stringContaining('native histogram') },
    ],
  ])('Given %s, the outcome names it', (_case, status, body, expected) => {
    const statusText = status === 502 ? 'Bad Gateway' : '';
    expect(interpretQueryResponse(status, statusText, body)).toEqual(expected);
  });

  it('lists at most three series when a query returns many', () => {
    const outcome = interpretQueryResponse(200, 'OK', vector('1', '2', '3', '4', '5'));
    expect(outcome).toEqual({ kind: 'error', message: expect.stringContaining('query returned 5 series, expected 1') });
    expect(outcome.kind !== 'value' && outcome.message).toContain('{i="2"}, ... 2 more');
  });

  it('quotes at most MAX_QUOTED_BODY characters of a huge body', () => {
    const outcome = interpretQueryResponse(500, 'Internal Server Error', 'x'.repeat(100_000));
    const message = outcome.kind === 'value' ? '' : outcome.message;
    expect(message.length).toBeLessThan(MAX_QUOTED_BODY + 100);
    expect(message.endsWith('...')).toBe(true);
  });
});
