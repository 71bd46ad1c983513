// One step of an analysis run: fold in the measurements just taken, judge the run, and say
// whether another round is due. The run lives in status, so a restarted operator resumes
// it where it stopped instead of starting over or, worse, treating it as passed.
import { appendMeasurements, evaluateCounts, lastWithPhase } from '../analysis/evaluate.ts';
import { renderQuery } from '../analysis/template.ts';
import type { AnalysisTemplate } from '../analysis/types.ts';
import type { Color } from '../api/constants.ts';
import { activeServiceName } from '../api/names.ts';
import type { AnalysisRunStatus, AnalysisStage, BlueGreenService } from '../api/types.ts';
import type { ResolvedSpec } from '../api/defaults.ts';
import { MAX_QUERY_TIMEOUT_MS } from './policy.ts';
import type { MeasurementRequest, QuerySettings, TakenMeasurements } from './types.ts';

export interface AnalysisStep {
  run: AnalysisRunStatus;
  /** The run left Running in this step (emit an Event once). */
  concluded: boolean;
  measure?: MeasurementRequest;
  /** Epoch ms of the next round when still running and not due now. */
  wakeAt?: number;
}

function freshRun(stage: AnalysisStage, color: Color, revision: string, startedAtMs: number): AnalysisRunStatus {
  return {
    stage,
    color,
    revision,
    phase: 'Running',
    startedAt: new Date(startedAtMs).toISOString(),
    successful: 0,
    failed: 0,
    inconclusive: 0,
    rounds: 0,
    passedRounds: 0,
    measurements: [],
  };
}

/**
 * The run in status belongs to this release only if it also started at the same moment: the
 * same revision released again later (after a revert, say) must be analysed again, not ride on
 * a verdict from minutes or days ago.
 */
function sameRun(
  run: AnalysisRunStatus | undefined,
  stage: AnalysisStage,
  color: Color,
  revision: string,
  startedAtMs: number,
): run is AnalysisRunStatus {
  return (
    run !== undefined &&
    run.stage === stage &&
    run.color === color &&
    run.revision === revision &&
    Date.parse(run.startedAt) === startedAtMs
  );
}

/**
 * validateSpec rejects a query with an unknown variable before planning; should one slip
 * through, it is sent as written: Prometheus refuses `{{`, and the measurement is an
 * inconclusive 'error' naming the problem, never a pass and never a crashed plan.
 */
function renderOrKeep(query: string, vars: Parameters<typeof renderQuery>[1]): string {
  try {
    return renderQuery(query, vars);
  } catch {
    return query;
  }
}

/** Where the analysis queries go, with the per-query timeout capped to fit one reconcile. */
export function querySettings(spec: ResolvedSpec): QuerySettings {
  // validateSpec rejects an analysis without spec.analysis.prometheus.address before planning.
  const prom = spec.prometheus ?? { address: '', timeoutMs: MAX_QUERY_TIMEOUT_MS };
  return {
    address: prom.address,
    timeoutMs: Math.min(prom.timeoutMs, MAX_QUERY_TIMEOUT_MS),
    ...(prom.headersSecret !== undefined ? { headersSecret: prom.headersSecret } : {}),
  };
}

/** Everything one step of a run reads: the run it continues is named, never found in a status. */
export interface AnalysisStepInput {
  bgs: BlueGreenService;
  /** Epoch milliseconds. */
  now: number;
  template: AnalysisTemplate;
  query: QuerySettings;
  stage: AnalysisStage;
  color: Color;
  revision: string;
  /** When the analysed pods were found ready (or the step reached, or the switch made). */
  startedAtMs: number;
  /** The run status holds; it is continued only if it is this very run (sameRun). */
  priorRun: AnalysisRunStatus | undefined;
  /** The measurements the reconciler took for the round the previous pass asked for. */
  taken: TakenMeasurements | undefined;
}

/** Add a round's measurements to the run, when they were taken for this run's stage, colour and revision. */
function foldRound(run: AnalysisRunStatus, input: AnalysisStepInput): AnalysisRunStatus {
  const { taken, stage, color, revision } = input;
  if (!taken || taken.stage !== stage || taken.color !== color || taken.revision !== revision) return run;
  const ms = taken.measurements;
  if (ms.length === 0) return run;
  return {
    ...run,
    successful: run.successful + ms.filter((m) => m.phase === 'Successful').length,
    failed: run.failed + ms.filter((m) => m.phase === 'Failed').length,
    inconclusive: run.inconclusive + ms.filter((m) => m.phase === 'Inconclusive').length,
    rounds: run.rounds + 1,
    passedRounds: (run.passedRounds ?? 0) + (ms.every((m) => m.phase === 'Successful') ? 1 : 0),
    lastRoundAt: new Date(input.now).toISOString(),
    measurements: appendMeasurements(run.measurements, ms),
  };
}

/** The run judged by its counts (the template's count, failure and inconclusive limits). */
function judged(run: AnalysisRunStatus, template: AnalysisTemplate): AnalysisRunStatus {
  const verdict = evaluateCounts(
    template,
    {
      successful: run.successful,
      failed: run.failed,
      inconclusive: run.inconclusive,
      taken: run.rounds,
      passed: run.passedRounds ?? 0,
    },
    {
      Failed: lastWithPhase(run.measurements, 'Failed'),
      Inconclusive: lastWithPhase(run.measurements, 'Inconclusive'),
    },
  );
  return { ...run, phase: verdict.phase, message: verdict.message };
}

/** The round to measure now: the template's queries rendered for this colour and revision. */
function roundRequest(input: AnalysisStepInput): MeasurementRequest {
  const { bgs, stage, color, revision, template } = input;
  const vars = {
    color,
    revision,
    name: bgs.metadata.name!,
    namespace: bgs.metadata.namespace ?? '',
    service: activeServiceName(bgs),
  };
  return {
    stage,
    color,
    revision,
    metrics: template.metrics.map((m) => ({ ...m, query: renderOrKeep(m.query, vars) })),
    prometheus: input.query,
  };
}

/**
 * One step of the run: continue `priorRun` when it is this run (else start afresh), fold in the
 * round just taken, judge, and say when the next round is due (now: a measurement request).
 */
export function stepAnalysis(input: AnalysisStepInput): AnalysisStep {
  const { stage, color, revision, startedAtMs, priorRun } = input;
  const start = sameRun(priorRun, stage, color, revision, startedAtMs)
    ? { ...priorRun }
    : freshRun(stage, color, revision, startedAtMs);
  if (start.phase !== 'Running') return { run: start, concluded: false };
  const run = judged(foldRound(start, input), input.template);
  if (run.phase !== 'Running') return { run, concluded: true };
  const due = run.lastRoundAt
    ? Date.parse(run.lastRoundAt) + input.template.intervalSeconds * 1000
    : Date.parse(run.startedAt) + input.template.initialDelaySeconds * 1000;
  if (due > input.now) return { run, concluded: false, wakeAt: due };
  return { run, concluded: false, measure: roundRequest(input) };
}
