// PURE evaluation of an analysis: query outcomes -> measurements, tallies -> analysis phase.
// No I/O, no clock: the caller passes `at`. When the next round is due is the planner's
// decision (planner/analysis-step.ts).
//
// Vocabulary: a "round" is one measurement of every metric of the template, all taken at the
// same time with the same `at` (the caller queries all metrics of a round together).

import { validateQueryTemplate } from './template.ts';
import { validateJsonPath } from './web-response.ts';
import type { AnalysisPhase, AnalysisTemplate, Measurement, MetricSpec, QueryOutcome } from './types.ts';

export { appendMeasurements, MAX_MEASUREMENT_HISTORY } from './history.ts';

/** How many measurements of each verdict, and how many complete rounds, an analysis has taken. */
export interface AnalysisCounts {
  successful: number;
  failed: number;
  inconclusive: number;
  /** Complete rounds: the smallest number of measurements of any metric of the template. */
  taken: number;
  /** Rounds in which every metric measured Successful: only these count towards `count`. */
  passed: number;
}

export interface AnalysisEvaluation extends AnalysisCounts {
  phase: AnalysisPhase;
  /** One human sentence for conditions and Events. */
  message: string;
}

/**
 * Judges one query outcome against the metric's bounds.
 * - value < min            -> Failed, message names min and the value
 * - value > max            -> Failed, message names max and the value
 * - value within [min,max] -> Successful (an absent bound is not checked; no bounds at all:
 *                             any value is Successful — the query itself is the check)
 * - no-data / error / timeout -> Inconclusive with the provider's message. Never a pass.
 *   The message says whether a query or a web check fell short.
 */
export function evaluateMeasurement(metric: MetricSpec, outcome: QueryOutcome, at: string): Measurement {
  const base = { metric: metric.name, at };
  const what = metric.web === undefined ? 'query' : 'web check';
  switch (outcome.kind) {
    case 'value': {
      const { value } = outcome;
      if (metric.min !== undefined && value < metric.min) {
        return { ...base, phase: 'Failed', value, message: `value ${value} is below min ${metric.min}` };
      }
      if (metric.max !== undefined && value > metric.max) {
        return { ...base, phase: 'Failed', value, message: `value ${value} is above max ${metric.max}` };
      }
      return { ...base, phase: 'Successful', value };
    }
    case 'no-data':
      return { ...base, phase: 'Inconclusive', message: `no data: ${outcome.message}` };
    case 'error':
      return { ...base, phase: 'Inconclusive', message: `${what} error: ${outcome.message}` };
    case 'timeout':
      return { ...base, phase: 'Inconclusive', message: `${what} timed out: ${outcome.message}` };
  }
}

/** Newest "metric: message" of each non-passing verdict, quoted in the analysis message. */
export interface LastProblems {
  Failed?: string | undefined;
  Inconclusive?: string | undefined;
}

/**
 * The phase of an analysis run from its tallies (kept in status, so the bounded measurement
 * history can drop old entries without changing the verdict); `last` enriches the message.
 *
 * Semantics, checked in this order (the first that holds wins):
 * 1. Invalid template (count < 1, intervalSeconds < 1, negative limits or delay, non-integers,
 *    min > max, a bad query template): Inconclusive, message names the field. The CRD rejects
 *    such specs; this keeps a bad object from ever passing nor crashing the reconciler.
 * 2. No metrics: Successful at once ("nothing to measure"), taken 0.
 * 3. Failed when failed measurements (over all metrics) > failureLimit.
 *    failureLimit 0: the first Failed measurement fails the analysis.
 * 4. Inconclusive when inconclusive measurements > inconclusiveLimit.
 *    inconclusiveLimit 0: the first no-data/error/timeout makes the analysis Inconclusive.
 *    (Failed wins over Inconclusive when both hold: the conservative verdict.)
 * 5. Successful when `count` rounds have PASSED (every metric of the round Successful). A
 *    failed or inconclusive measurement never counts towards `count`: the limits say how many
 *    bad measurements are tolerated on the way, not how many may stand in for good ones
 *    (with count 2 and inconclusiveLimit 3, two silent rounds used to pass). A run therefore
 *    ends after at most count + failureLimit + inconclusiveLimit rounds.
 * 6. Otherwise Running.
 * Terminal phases are final for a run: the caller stops measuring once it leaves Running.
 */
export function evaluateCounts(
  template: AnalysisTemplate,
  counts: AnalysisCounts,
  last: LastProblems = {},
): AnalysisEvaluation {
  const verdict = (phase: AnalysisPhase, message: string): AnalysisEvaluation => ({ ...counts, phase, message });
  const because = (problem: string | undefined) => (problem === undefined ? '' : ` (last: ${problem})`);
  const problems = validateAnalysisTemplate(template);
  if (problems.length > 0) return verdict('Inconclusive', `invalid analysis template: ${problems.join('; ')}`);
  if (template.metrics.length === 0) return verdict('Successful', 'no metrics to measure: the analysis passes');
  if (counts.failed > template.failureLimit) {
    return verdict(
      'Failed',
      `${counts.failed} failed measurement(s) exceed failureLimit ${template.failureLimit}${because(last.Failed)}`,
    );
  }
  if (counts.inconclusive > template.inconclusiveLimit) {
    return verdict(
      'Inconclusive',
      `${counts.inconclusive} inconclusive measurement(s) exceed inconclusiveLimit ${template.inconclusiveLimit}${because(last.Inconclusive)}`,
    );
  }
  const tally = `failed ${counts.failed}/${template.failureLimit} allowed, inconclusive ${counts.inconclusive}/${template.inconclusiveLimit} allowed`;
  if (counts.passed >= template.count) {
    return verdict('Successful', `${template.count} of ${template.count} rounds passed (${tally})`);
  }
  return verdict('Running', `${counts.passed} of ${template.count} rounds passed, ${counts.taken} taken (${tally})`);
}

/** Problems of a template, each naming its field (relative to the template). Empty when valid. */
export function validateAnalysisTemplate(template: AnalysisTemplate): string[] {
  const problems: string[] = [];
  const integerAtLeast = (field: keyof AnalysisTemplate, value: number, min: number): void => {
    if (!Number.isInteger(value) || value < min) problems.push(`${field} must be an integer >= ${min}, got ${value}`);
  };
  integerAtLeast('intervalSeconds', template.intervalSeconds, 1);
  integerAtLeast('count', template.count, 1);
  integerAtLeast('failureLimit', template.failureLimit, 0);
  integerAtLeast('inconclusiveLimit', template.inconclusiveLimit, 0);
  integerAtLeast('initialDelaySeconds', template.initialDelaySeconds, 0);
  const names = new Set<string>();
  template.metrics.forEach((metric, i) => {
    const at = `metrics[${i}]`;
    if (metric.name === '') problems.push(`${at}.name must not be empty`);
    if (names.has(metric.name)) problems.push(`${at}.name "${metric.name}" is used twice`);
    names.add(metric.name);
    // A web check's URL travels in `query` (types.ts): name the field the user wrote.
    const queryField = metric.web === undefined ? `${at}.query` : `${at}.web.url`;
    const queryProblem = validateQueryTemplate(metric.query);
    if (queryProblem !== undefined) problems.push(`${queryField}: ${queryProblem}`);
    const pathProblem = metric.web === undefined ? undefined : validateJsonPath(metric.web.jsonPath);
    if (pathProblem !== undefined) problems.push(`${at}.web.jsonPath: ${pathProblem}`);
    if (metric.min !== undefined && metric.max !== undefined && metric.min > metric.max) {
      problems.push(`${at}.min (${metric.min}) must be <= ${at}.max (${metric.max})`);
    }
  });
  return problems;
}

/** The newest measurement with `phase`, as "metric: message" (for LastProblems). */
export function lastWithPhase(measurements: readonly Measurement[], phase: Measurement['phase']): string | undefined {
  const m = measurements.findLast((x) => x.phase === phase);
  return m === undefined ? undefined : `${m.metric}: ${m.message ?? m.phase}`;
}
