// The analysis run of status.analysis as rounds: the operator keeps the newest measurements
// (MAX_MEASUREMENT_HISTORY) and every measurement of one round carries the round's `at`, so
// grouping by `at` gives the rounds still on record, numbered from the run's own tally. PURE.
import { resolveSpec } from '../../../operator/src/api/defaults.ts';
import type { AnalysisRunStatus, BlueGreenService } from '../../../operator/src/api/types.ts';
import { evaluateCounts } from '../../../operator/src/analysis/evaluate.ts';
import type { AnalysisTemplate, Measurement, MetricSpec } from '../../../operator/src/analysis/types.ts';

export interface RoundView {
  /** 1-based number in the run; rounds older than the kept measurements are not on record. */
  number: number;
  at: string;
  measurements: { measurement: Measurement; bounds?: MetricSpec }[];
}

export interface AnalysisView {
  run: AnalysisRunStatus;
  template?: AnalysisTemplate;
  /** The verdict so far in one sentence: the operator's message, or the same sentence computed from the tallies. */
  verdict: string;
  rounds: RoundView[];
}

/** The template the run measures against: the stage's, with the CRD's defaults applied. */
export function templateOf(bgs: BlueGreenService, run: AnalysisRunStatus): AnalysisTemplate | undefined {
  const spec = resolveSpec(bgs);
  switch (run.stage) {
    case 'PrePromotion':
      return spec.prePromotion;
    case 'PostPromotion':
      return spec.postPromotion;
    case 'Canary':
      return spec.canarySteps?.[bgs.status?.canary?.currentStepIndex ?? -1]?.analysis;
  }
}

export function analysisView(bgs: BlueGreenService): AnalysisView | undefined {
  const run = bgs.status?.analysis;
  if (!run) return undefined;
  const template = templateOf(bgs, run);
  const byAt = new Map<string, Measurement[]>();
  for (const m of run.measurements ?? []) byAt.set(m.at, [...(byAt.get(m.at) ?? []), m]);
  const groups = [...byAt.entries()];
  const first = Math.max(1, run.rounds - groups.length + 1);
  const rounds = groups.map(([at, ms], i) => ({
    number: first + i,
    at,
    measurements: ms.map((measurement) => {
      const bounds = template?.metrics.find((m) => m.name === measurement.metric);
      return bounds ? { measurement, bounds } : { measurement };
    }),
  }));
  const verdict =
    run.message ??
    (template
      ? evaluateCounts(template, {
          successful: run.successful,
          failed: run.failed,
          inconclusive: run.inconclusive,
          taken: run.rounds,
          passed: run.passedRounds ?? 0,
        }).message
      : `${run.rounds} round(s) taken`);
  return template ? { run, template, verdict, rounds } : { run, verdict, rounds };
}
