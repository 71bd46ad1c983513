// AnalysisRoundFailed / AnalysisRoundInconclusive: a round status.analysis did not have before,
// with a failed or inconclusive measurement in it. PURE. The planner emits an Event only when a
// run concludes; a person wants to hear of the first bad round of a run that goes on too, so
// this reads the run's tallies instead (its `rounds`, `failed`, `inconclusive` only grow).
import type { Measurement } from '../analysis/types.ts';
import type { AnalysisRunStatus, NotificationRecord } from '../api/types.ts';
import { notification, previous, type Transition } from './record.ts';

const STAGE_LABEL: Record<AnalysisRunStatus['stage'], string> = {
  PrePromotion: 'pre-promotion',
  Canary: 'canary step',
  PostPromotion: 'post-promotion',
};
/** A measurement message is the provider's answer: kept short in a chat line. */
const MESSAGE_LIMIT = 200;

const OUTCOME: Record<AnalysisRunStatus['phase'], string> = {
  Running: 'the analysis goes on',
  Successful: 'the analysis passed',
  Failed: 'the analysis failed',
  Inconclusive: 'the analysis is inconclusive',
};

const ZERO = { rounds: 0, successful: 0, failed: 0, inconclusive: 0 };

/** The tallies this run had before the transition: the stored run's if it is the same run, else none. */
function before(t: Transition, run: AnalysisRunStatus): typeof ZERO {
  const b = previous(t).analysis;
  const same =
    b !== undefined &&
    b.stage === run.stage &&
    b.color === run.color &&
    b.revision === run.revision &&
    b.startedAt === run.startedAt;
  return same ? b : ZERO;
}

function describe(m: Measurement): string {
  const text = m.message ?? (m.value !== undefined ? `value ${m.value}` : m.phase.toLowerCase());
  return `${m.metric}: ${text.length > MESSAGE_LIMIT ? `${text.slice(0, MESSAGE_LIMIT)}...` : text}`;
}

export function analysisRound(t: Transition): NotificationRecord[] {
  const run = t.next.analysis;
  if (!run) return [];
  const b = before(t, run);
  const failed = run.failed - b.failed;
  const inconclusive = run.inconclusive - b.inconclusive;
  if (run.rounds <= b.rounds || (failed <= 0 && inconclusive <= 0)) return [];
  // The round's measurements are the newest ones: as many as its tallies grew by.
  const taken = failed + inconclusive + Math.max(0, run.successful - b.successful);
  const bad = run.measurements.slice(-taken).filter((m) => m.phase !== 'Successful');
  const event = failed > 0 ? 'AnalysisRoundFailed' : 'AnalysisRoundInconclusive';
  const outcome = OUTCOME[run.phase];
  const summary =
    `${STAGE_LABEL[run.stage]} analysis of ${run.color} (revision ${run.revision}), round ${run.rounds}: ` +
    `${bad.map(describe).join('; ')}; ${outcome}`;
  return [
    notification(t, event, [run.stage, run.revision, run.color, run.startedAt, String(run.rounds)], {
      occurredAt: run.lastRoundAt ?? t.nowIso,
      summary,
      revision: run.revision,
      color: run.color,
      analysis: { stage: run.stage, round: run.rounds, verdict: run.phase, measurements: bad },
    }),
  ];
}
