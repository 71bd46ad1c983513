import { describe, expect, it } from 'vitest';
import {
  evaluateCounts,
  evaluateMeasurement,
  lastWithPhase,
  validateAnalysisTemplate,
  type AnalysisCounts,
} from './evaluate.ts';
import type { AnalysisTemplate, Measurement, MeasurementPhase, MetricSpec, QueryOutcome, WebCheck } from './types.ts';

const AT = '2026-01-01T00:00:00Z';

describe('evaluateMeasurement', () => {
  const bounded: MetricSpec = { name: 'error-rate', query: 'q', min: 0, max: 0.01 };
  const unbounded: MetricSpec = { name: 'latency', query: 'q' };
  const onlyMin: MetricSpec = { name: 'rps', query: 'q', min: 5 };

  it.each<[string, MetricSpec, QueryOutcome, MeasurementPhase, number | undefined, string | undefined]>([
    ['a value inside the bounds', bounded, { kind: 'value', value: 0.005 }, 'Successful', 0.005, undefined],
    ['a value equal to max', bounded, { kind: 'value', value: 0.01 }, 'Successful', 0.01, undefined],
    ['a value equal to min', bounded, { kind: 'value', value: 0 }, 'Successful', 0, undefined],
    ['a value above max', bounded, { kind: 'value', value: 0.05 }, 'Failed', 0.05, 'value 0.05 is above max 0.01'],
    ['a value below min', bounded, { kind: 'value', value: -1 }, 'Failed', -1, 'value -1 is below min 0'],
    ['only min, value above it', onlyMin, { kind: 'value', value: 1e9 }, 'Successful', 1e9, undefined],
    ['only min, value below it', onlyMin, { kind: 'value', value: 4 }, 'Failed', 4, 'below min 5'],
    ['no bounds, any value', unbounded, { kind: 'value', value: 1234 }, 'Successful', 1234, undefined],
    [
      'no data',
      bounded,
      { kind: 'no-data', message: 'empty vector' },
      'Inconclusive',
      undefined,
      'no data: empty vector',
    ],
    [
      'an error',
      bounded,
      { kind: 'error', message: 'bad_data: x' },
      'Inconclusive',
      undefined,
      'query error: bad_data: x',
    ],
    [
      'a timeout',
      bounded,
      { kind: 'timeout', message: 'after 5000 ms' },
      'Inconclusive',
      undefined,
      'query timed out: after 5000 ms',
    ],
    [
      'a web check error',
      { ...bounded, web: { method: 'GET', headers: [], jsonPath: '$.v', timeoutMs: 1000 } },
      { kind: 'error', message: 'non-2xx answer: HTTP 503' },
      'Inconclusive',
      undefined,
      'web check error: non-2xx answer: HTTP 503',
    ],
    [
      'a web check timeout',
      { ...bounded, web: { method: 'GET', headers: [], jsonPath: '$.v', timeoutMs: 1000 } },
      { kind: 'timeout', message: 'timeout: no answer within 1000 ms' },
      'Inconclusive',
      undefined,
      'web check timed out: timeout: no answer within 1000 ms',
    ],
    [
      'no data, no bounds (never a pass)',
      unbounded,
      { kind: 'no-data', message: 'NaN' },
      'Inconclusive',
      undefined,
      'no data: NaN',
    ],
  ])('Given %s, the measurement is as expected', (_case, metric, outcome, phase, value, message) => {
    const m = evaluateMeasurement(metric, outcome, AT);
    expect(m.metric).toBe(metric.name);
    expect(m.at).toBe(AT);
    expect(m.phase).toBe(phase);
    expect(m.value).toBe(value);
    if (message === undefined) expect(m.message).toBeUndefined();
    else expect(m.message).toContain(message);
  });
});

function template(overrides: Partial<AnalysisTemplate> = {}): AnalysisTemplate {
  return {
    intervalSeconds: 10,
    count: 3,
    failureLimit: 0,
    inconclusiveLimit: 1,
    initialDelaySeconds: 0,
    metrics: [
      { name: 'a', query: 'qa', max: 1 },
      { name: 'b', query: 'qb', max: 1 },
    ],
    ...overrides,
  };
}

// Tallies as the planner keeps them in status: S(uccessful), F(ailed), I(nconclusive) counts,
// complete rounds taken, and rounds passed (every metric Successful).
function tally(
  successful: number,
  failed: number,
  inconclusive: number,
  taken: number,
  passed: number,
): AnalysisCounts {
  return { successful, failed, inconclusive, taken, passed };
}

describe('evaluateCounts', () => {
  it.each<[string, Partial<AnalysisTemplate>, AnalysisCounts, string]>([
    ['nothing measured yet', {}, tally(0, 0, 0, 0, 0), 'Running'],
    ['one good round of three', {}, tally(2, 0, 0, 1, 1), 'Running'],
    ['three good rounds', {}, tally(6, 0, 0, 3, 3), 'Successful'],
    ['more rounds than count', {}, tally(8, 0, 0, 4, 4), 'Successful'],
    ['an incomplete third round', {}, tally(5, 0, 0, 2, 2), 'Running'],
    ['failureLimit 0 and the first failure', {}, tally(1, 1, 0, 1, 0), 'Failed'],
    ['failureLimit 1 and one failure', { failureLimit: 1 }, tally(3, 1, 0, 2, 1), 'Running'],
    ['failureLimit 1 and one failure, count rounds', { failureLimit: 1 }, tally(5, 1, 0, 3, 2), 'Running'],
    ['failureLimit 1 and one failure, count passed', { failureLimit: 1 }, tally(7, 1, 0, 4, 3), 'Successful'],
    // Regression (safety issue item 3): silent rounds within the limit are not passes.
    [
      'count 2, inconclusiveLimit 4, two silent rounds',
      { count: 2, inconclusiveLimit: 4 },
      tally(0, 0, 4, 2, 0),
      'Running',
    ],
    ['count 2, failureLimit 4, two failed rounds', { count: 2, failureLimit: 4 }, tally(0, 4, 0, 2, 0), 'Running'],
    ['failureLimit 1 and two failures', { failureLimit: 1 }, tally(2, 2, 0, 2, 0), 'Failed'],
    ['inconclusiveLimit 1 and one inconclusive', {}, tally(1, 0, 1, 1, 0), 'Running'],
    ['inconclusiveLimit 1 and two inconclusive', {}, tally(2, 0, 2, 2, 0), 'Inconclusive'],
    ['inconclusiveLimit 0 and the first inconclusive', { inconclusiveLimit: 0 }, tally(1, 0, 1, 1, 0), 'Inconclusive'],
    ['both limits exceeded: Failed wins', { inconclusiveLimit: 0 }, tally(0, 1, 1, 1, 0), 'Failed'],
    ['count 1 and one good round', { count: 1 }, tally(2, 0, 0, 1, 1), 'Successful'],
    ['no metrics', { metrics: [] }, tally(0, 0, 0, 0, 0), 'Successful'],
    ['count 0 (invalid)', { count: 0 }, tally(2, 0, 0, 1, 1), 'Inconclusive'],
  ])('Given %s, the phase is %s', (_case, overrides, counts, phase) => {
    const result = evaluateCounts(template(overrides), counts);
    expect(result.phase).toBe(phase);
    expect(result).toMatchObject(counts);
  });

  it('names the limit and quotes the last failure in the message', () => {
    const result = evaluateCounts(template({ failureLimit: 1 }), tally(2, 2, 0, 2, 0), { Failed: 'b: problem F1' });
    expect(result.message).toBe('2 failed measurement(s) exceed failureLimit 1 (last: b: problem F1)');
  });

  it('quotes the last inconclusive measurement, not a tolerated failure, when Inconclusive', () => {
    const last = { Failed: 'a: problem F0', Inconclusive: 'a: problem I1' };
    const result = evaluateCounts(template({ failureLimit: 5 }), tally(1, 1, 2, 2, 0), last);
    expect(result.phase).toBe('Inconclusive');
    expect(result.message).toContain('(last: a: problem I1)');
  });

  it('names the invalid field when the template is invalid', () => {
    expect(evaluateCounts(template({ count: 0 }), tally(0, 0, 0, 0, 0)).message).toContain(
      'count must be an integer >= 1, got 0',
    );
  });
});

describe('lastWithPhase', () => {
  const at = AT;
  const history: Measurement[] = [
    { metric: 'a', phase: 'Failed', message: 'old', at },
    { metric: 'b', phase: 'Successful', at },
    { metric: 'b', phase: 'Failed', at },
  ];
  it('quotes the newest measurement of that phase as "metric: message" (the phase when no message)', () => {
    expect(lastWithPhase(history, 'Failed')).toBe('b: Failed');
    expect(lastWithPhase(history.slice(0, 2), 'Failed')).toBe('a: old');
    expect(lastWithPhase(history, 'Inconclusive')).toBeUndefined();
  });
});

const webCheck: WebCheck = { method: 'GET', headers: [], jsonPath: '$.ratio', timeoutMs: 1000 };

describe('validateAnalysisTemplate', () => {
  it.each<[string, Partial<AnalysisTemplate>, string | undefined]>([
    ['defaults', {}, undefined],
    ['intervalSeconds 0', { intervalSeconds: 0 }, 'intervalSeconds must be an integer >= 1, got 0'],
    ['a fractional count', { count: 1.5 }, 'count must be an integer >= 1, got 1.5'],
    ['a negative failureLimit', { failureLimit: -1 }, 'failureLimit must be an integer >= 0, got -1'],
    ['a negative initial delay', { initialDelaySeconds: -5 }, 'initialDelaySeconds must be an integer >= 0'],
    [
      'min above max',
      { metrics: [{ name: 'a', query: 'q', min: 2, max: 1 }] },
      'metrics[0].min (2) must be <= metrics[0].max (1)',
    ],
    [
      'a duplicate name',
      {
        metrics: [
          { name: 'a', query: 'q' },
          { name: 'a', query: 'q' },
        ],
      },
      'metrics[1].name "a" is used twice',
    ],
    [
      'an unknown variable',
      { metrics: [{ name: 'a', query: '{{pod}}' }] },
      'metrics[0].query: unknown template variable',
    ],
    [
      'a web check URL with an unknown variable',
      { metrics: [{ name: 'a', query: 'http://{{pod}}/slo', web: webCheck }] },
      'metrics[0].web.url: unknown template variable "{{pod}}"',
    ],
    [
      'a web check with a bad jsonPath',
      { metrics: [{ name: 'a', query: 'http://x/slo', web: { ...webCheck, jsonPath: 'slo.ratio' } }] },
      'metrics[0].web.jsonPath: jsonPath must start with "$"',
    ],
    [
      'a valid web check',
      { metrics: [{ name: 'a', query: 'http://{{deployment}}-endpoints/slo', web: webCheck }] },
      undefined,
    ],
  ])('Given %s', (_case, overrides, expected) => {
    const problems = validateAnalysisTemplate(template(overrides));
    if (expected === undefined) expect(problems).toEqual([]);
    else expect(problems.join('; ')).toContain(expected);
  });
});
