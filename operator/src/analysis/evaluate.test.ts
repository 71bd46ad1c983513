import { describe, expect, it } from 'vitest';
import {
  addCounts,
  countMeasurements,
  evaluateAnalysis,
  evaluateCounts,
  evaluateMeasurement,
  nextMeasurementDue,
  validateAnalysisTemplate,
} from './evaluate.ts';
import type { AnalysisTemplate, Measurement, MeasurementPhase, MetricSpec, QueryOutcome } from './types.ts';

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

// Compact notation: one string per round, one letter per metric: S(uccessful) F(ailed) I(nconclusive).
function rounds(...spec: string[]): Measurement[] {
  const letters: Record<string, MeasurementPhase> = { S: 'Successful', F: 'Failed', I: 'Inconclusive' };
  return spec.flatMap((round, r) =>
    [...round].map((letter, i) => ({
      metric: i === 0 ? 'a' : 'b',
      phase: letters[letter] ?? 'Successful',
      message: letter === 'S' ? undefined : `problem ${letter}${r}`,
      at: new Date(Date.parse(AT) + r * 10_000).toISOString(),
    })),
  );
}

describe('evaluateAnalysis', () => {
  it.each<[string, Partial<AnalysisTemplate>, Measurement[], string, number]>([
    ['nothing measured yet', {}, [], 'Running', 0],
    ['one good round of three', {}, rounds('SS'), 'Running', 1],
    ['three good rounds', {}, rounds('SS', 'SS', 'SS'), 'Successful', 3],
    ['more rounds than count', {}, rounds('SS', 'SS', 'SS', 'SS'), 'Successful', 4],
    ['an incomplete third round', {}, [...rounds('SS', 'SS'), ...rounds('S').slice(0, 1)], 'Running', 2],
    ['failureLimit 0 and the first failure', {}, rounds('SF'), 'Failed', 1],
    ['failureLimit 1 and one failure', { failureLimit: 1 }, rounds('SF', 'SS'), 'Running', 2],
    ['failureLimit 1 and one failure, count rounds', { failureLimit: 1 }, rounds('SF', 'SS', 'SS'), 'Running', 3],
    [
      'failureLimit 1 and one failure, count passed',
      { failureLimit: 1 },
      rounds('SF', 'SS', 'SS', 'SS'),
      'Successful',
      4,
    ],
    // Regression (safety issue item 3): silent rounds within the limit are not passes.
    [
      'count 2, inconclusiveLimit 4, two silent rounds',
      { count: 2, inconclusiveLimit: 4 },
      rounds('II', 'II'),
      'Running',
      2,
    ],
    ['count 2, failureLimit 4, two failed rounds', { count: 2, failureLimit: 4 }, rounds('FF', 'FF'), 'Running', 2],
    ['failureLimit 1 and two failures', { failureLimit: 1 }, rounds('SF', 'FS'), 'Failed', 2],
    ['inconclusiveLimit 1 and one inconclusive', {}, rounds('IS'), 'Running', 1],
    ['inconclusiveLimit 1 and two inconclusive', {}, rounds('IS', 'SI'), 'Inconclusive', 2],
    ['inconclusiveLimit 0 and the first inconclusive', { inconclusiveLimit: 0 }, rounds('SI'), 'Inconclusive', 1],
    ['both limits exceeded: Failed wins', { inconclusiveLimit: 0 }, rounds('FI'), 'Failed', 1],
    ['count 1 and one good round', { count: 1 }, rounds('SS'), 'Successful', 1],
    ['no metrics', { metrics: [] }, [], 'Successful', 0],
    ['count 0 (invalid)', { count: 0 }, rounds('SS'), 'Inconclusive', 1],
  ])('Given %s, the phase is %s', (_case, overrides, measurements, phase, taken) => {
    const result = evaluateAnalysis(template(overrides), measurements);
    expect(result.phase).toBe(phase);
    expect(result.taken).toBe(taken);
    expect(result.failed + result.inconclusive + result.successful).toBe(measurements.length);
  });

  it('names the limit and quotes the last failure in the message', () => {
    const result = evaluateAnalysis(template({ failureLimit: 1 }), rounds('FS', 'SF'));
    expect(result.message).toBe('2 failed measurement(s) exceed failureLimit 1 (last: b: problem F1)');
  });

  it('quotes the last inconclusive measurement, not a tolerated failure, when Inconclusive', () => {
    const result = evaluateAnalysis(template({ failureLimit: 5 }), rounds('FI', 'IS'));
    expect(result.phase).toBe('Inconclusive');
    expect(result.message).toContain('(last: a: problem I1)');
  });

  it('names the invalid field when the template is invalid', () => {
    expect(evaluateAnalysis(template({ count: 0 }), []).message).toContain('count must be an integer >= 1, got 0');
  });

  it('counts failures of metrics no longer in the template (a rename never erases a failure)', () => {
    const old: Measurement = { metric: 'renamed', phase: 'Failed', at: AT };
    expect(evaluateAnalysis(template(), [old]).phase).toBe('Failed');
  });

  it('evaluateCounts on tallies kept in status agrees with evaluateAnalysis on the full list', () => {
    const t = template({ count: 27, failureLimit: 3 });
    const all = rounds(...Array.from({ length: 30 }, (_, i) => (i % 12 === 5 ? 'SF' : 'SS')));
    let counts = countMeasurements(t.metrics, []);
    for (let i = 0; i < all.length; i += 2)
      counts = addCounts(counts, countMeasurements(t.metrics, all.slice(i, i + 2)));
    const expected = evaluateAnalysis(t, all);
    expect(expected.phase).toBe('Successful');
    expect(evaluateCounts(t, counts).phase).toBe(expected.phase);
    expect(counts).toEqual({ successful: 57, failed: 3, inconclusive: 0, taken: 30, passed: 27 });
  });
});

describe('nextMeasurementDue', () => {
  const started = Date.parse(AT);
  it.each<[string, Partial<AnalysisTemplate>, Measurement[], number]>([
    ['no measurement, no initial delay: at start', {}, [], started],
    ['no measurement, initial delay 30 s', { initialDelaySeconds: 30 }, [], started + 30_000],
    ['after one round: last round + interval', {}, rounds('SS'), started + 10_000],
    ['after three rounds: last round + interval', {}, rounds('SS', 'SS', 'SS'), started + 30_000],
    [
      "an earlier run's measurement never moves it before the initial delay",
      { initialDelaySeconds: 60 },
      rounds('SS'),
      started + 60_000,
    ],
    ['unparsable times are ignored', {}, [{ metric: 'a', phase: 'Successful', at: 'yesterday' }], started],
  ])('Given %s', (_case, overrides, measurements, expected) => {
    expect(nextMeasurementDue(template(overrides), measurements, started)).toBe(expected);
  });
});

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
  ])('Given %s', (_case, overrides, expected) => {
    const problems = validateAnalysisTemplate(template(overrides));
    if (expected === undefined) expect(problems).toEqual([]);
    else expect(problems.join('; ')).toContain(expected);
  });
});
