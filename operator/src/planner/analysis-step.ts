// One step of an analysis run: fold in the measurements just taken, judge the run, and say
// whether another round is due. The run lives in status, so a restarted operator resumes
// it where it stopped instead of starting over or, worse, treating it as passed.
import { appendMeasurements, evaluateCounts, lastWithPhase } from '../analysis/evaluate.ts';
import { renderQuery } from '../analysis/template.ts';
import type { AnalysisTemplate } from '../analysis/types.ts';
import type { Color } from '../api/constants.ts';
import { activeServiceName } from '../api/names.ts';
import type { AnalysisRunStatus, AnalysisStage } from '../api/types.ts';
import type { ResolvedSpec } from '../api/defaults.ts';
import { MAX_QUERY_TIMEOUT_MS } from './policy.ts';
import type { MeasurementRequest, Observed, QuerySettings } from './types.ts';

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

export function stepAnalysis(
  obs: Observed,
  template: AnalysisTemplate,
  query: QuerySettings,
  stage: AnalysisStage,
  color: Color,
  revision: string,
  startedAtMs: number,
): AnalysisStep {
  const prior = obs.bgs.status?.analysis;
  let run = sameRun(prior, stage, color, revision, startedAtMs)
    ? { ...prior }
    : freshRun(stage, color, revision, startedAtMs);
  if (run.phase !== 'Running') return { run, concluded: false };

  const taken = obs.measurements;
  if (
    taken &&
    taken.stage === stage &&
    taken.color === color &&
    taken.revision === revision &&
    taken.measurements.length > 0
  ) {
    const ms = taken.measurements;
    run = {
      ...run,
      successful: run.successful + ms.filter((m) => m.phase === 'Successful').length,
      failed: run.failed + ms.filter((m) => m.phase === 'Failed').length,
      inconclusive: run.inconclusive + ms.filter((m) => m.phase === 'Inconclusive').length,
      rounds: run.rounds + 1,
      passedRounds: (run.passedRounds ?? 0) + (ms.every((m) => m.phase === 'Successful') ? 1 : 0),
      lastRoundAt: new Date(obs.now).toISOString(),
      measurements: appendMeasurements(run.measurements, ms),
    };
  }
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
  run = { ...run, phase: verdict.phase, message: verdict.message };
  if (run.phase !== 'Running') return { run, concluded: true };

  const startMs = Date.parse(run.startedAt);
  const due = run.lastRoundAt
    ? Date.parse(run.lastRoundAt) + template.intervalSeconds * 1000
    : startMs + template.initialDelaySeconds * 1000;
  if (due > obs.now) return { run, concluded: false, wakeAt: due };
  const bgs = obs.bgs;
  const vars = {
    color,
    revision,
    name: bgs.metadata.name!,
    namespace: bgs.metadata.namespace ?? '',
    service: activeServiceName(bgs),
  };
  return {
    run,
    concluded: false,
    measure: {
      stage,
      color,
      revision,
      metrics: template.metrics.map((m) => ({ ...m, query: renderOrKeep(m.query, vars) })),
      prometheus: query,
    },
  };
}
