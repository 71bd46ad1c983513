// The moments of a release, read from what the BlueGreenService said while it was recorded:
// its status transitions (precise: the operator stamps them with milliseconds) and its Events
// (second precision, but they survive a status that changed twice between two polls). PURE.
//
// Status gives: release started (release.startedAt), preview ready (release.readyAt), every
// analysis round (measurements share one `at` per round), an analysis verdict, and every switch
// (lastSwitchTime + lastSwitchReason; a reason ending in "Rollback" is a rollback). Events add
// what status does not keep (the previous colour scaled down, warnings) and anything a status
// poll missed; an Event that repeats a status marker of the same kind within EVENT_SLACK_MS is
// dropped.
import type { RecordedEvent, StatusSnapshot } from './recording.ts';

export type MarkerKind =
  | 'release'
  | 'preview-ready'
  | 'analysis-round'
  | 'analysis-verdict'
  | 'switch'
  | 'rollback'
  | 'scaled-down'
  | 'warning';

export interface Marker {
  /** Milliseconds since the epoch. */
  atMs: number;
  kind: MarkerKind;
  /** Short text drawn next to the line. */
  label: string;
  /** The full story for the table under the charts. */
  detail: string;
  source: 'status' | 'event';
}

/**
 * Events are truncated to the second and may be recorded a reconcile or two after the status
 * moment they tell (seen on the local cluster: PreviewReady 2.7 s after release.readyAt): an
 * Event this close to a status marker of its kind is that marker.
 */
export const EVENT_SLACK_MS = 5_000;

const EVENT_KINDS: Record<string, MarkerKind> = {
  ReleaseStarted: 'release',
  PreviewReady: 'preview-ready',
  AnalysisPassed: 'analysis-verdict',
  AnalysisFailed: 'analysis-verdict',
  AnalysisInconclusive: 'analysis-verdict',
  PostPromotionAnalysisFailed: 'analysis-verdict',
  InitialDeploy: 'switch',
  ManualPromotion: 'switch',
  AutoPromotion: 'switch',
  Observed: 'switch',
  ManualRollback: 'rollback',
  AutoRollback: 'rollback',
  ScaledDownPreviousColor: 'scaled-down',
};

const stageName = (stage: string) => (stage === 'PostPromotion' ? 'post-promotion' : 'pre-promotion');
const short = (revision: string | undefined) => (revision ?? '?').slice(0, 8);

/** A measured value as people read it: 4 significant digits (0.0004, 1250, 1e-7). */
export function formatValue(v: number | undefined): string {
  if (v === undefined || !Number.isFinite(v)) return 'no value';
  return String(Number(v.toPrecision(4)));
}

export function statusMarkers(snapshots: readonly StatusSnapshot[]): Marker[] {
  const out: Marker[] = [];
  const seen = new Set<string>();
  const once = (key: string, m: Omit<Marker, 'source'>) => {
    if (seen.has(key) || !Number.isFinite(m.atMs)) return;
    seen.add(key);
    out.push({ ...m, source: 'status' });
  };
  const released = new Set<string>();
  for (const { status: s } of snapshots) {
    const rel = s.release;
    if (rel) {
      // After a switch back the operator previews the same revision again (a new release
      // record): told as such, not as a second release.
      const again =
        released.has(`${rel.revision}/${rel.color}`) &&
        !seen.has(`release/${rel.revision}/${rel.color}/${rel.startedAt}`);
      released.add(`${rel.revision}/${rel.color}`);
      once(`release/${rel.revision}/${rel.color}/${rel.startedAt}`, {
        atMs: Date.parse(rel.startedAt),
        kind: 'release',
        label: `${again ? 'preview again' : 'release'} ${short(rel.revision)}`,
        detail: again
          ? `revision ${rel.revision} previewed again on ${rel.color}`
          : `release of revision ${rel.revision} started on ${rel.color}`,
      });
      if (rel.readyAt)
        once(`ready/${rel.revision}/${rel.color}/${rel.startedAt}`, {
          atMs: Date.parse(rel.readyAt),
          kind: 'preview-ready',
          label: `${rel.color} ready`,
          detail: `${rel.color} ready at revision ${rel.revision} (all pods listed ready in its EndpointSlices)`,
        });
    }
    const a = s.analysis;
    if (a) {
      const run = `${a.stage}/${a.revision}/${a.color}/${a.startedAt}`;
      // One round = the measurements stamped with one `at` (analysis/round.ts); status keeps the
      // newest 20, so a round is found even when several happened between two polls.
      const byAt = new Map<string, typeof a.measurements>();
      for (const m of a.measurements ?? []) byAt.set(m.at, [...(byAt.get(m.at) ?? []), m]);
      const rounds = [...byAt].sort((x, y) => Date.parse(x[0]) - Date.parse(y[0]));
      for (const [j, [at, ms]] of rounds.entries()) {
        const key = `round/${run}/${at}`;
        if (seen.has(key)) continue;
        // Numbered from the run's tally (the newest kept round is round `rounds`), so rounds
        // that fell out of the bounded history before recording began do not shift the count.
        const n = Number.isInteger(a.rounds) ? a.rounds - (rounds.length - 1 - j) : j + 1;
        const values = ms.map(
          (m) => `${m.metric}=${formatValue(m.value)}${m.phase === 'Successful' ? '' : ` (${m.phase})`}`,
        );
        once(key, {
          atMs: Date.parse(at),
          kind: 'analysis-round',
          label: `${a.stage === 'PostPromotion' ? 'post' : 'pre'} #${n}: ${values.join(', ')}`,
          detail: `${stageName(a.stage)} analysis of ${a.color}, round ${n}: ${ms
            .map((m) => `${m.metric} = ${formatValue(m.value)} ${m.phase}${m.message ? ` (${m.message})` : ''}`)
            .join('; ')}`,
        });
      }
      if (a.phase !== 'Running')
        once(`verdict/${run}`, {
          // After the round it concludes (lastRoundAt is stamped a moment before the round's `at`).
          atMs: Math.max(Date.parse(a.lastRoundAt ?? a.startedAt), ...rounds.map(([at]) => Date.parse(at))),
          kind: 'analysis-verdict',
          label: `${stageName(a.stage)} ${a.phase}`,
          detail: `${stageName(a.stage)} analysis of ${a.color} ${a.phase}${a.message ? `: ${a.message}` : ''}`,
        });
    }
    if (s.lastSwitchTime) {
      const reason = s.lastSwitchReason ?? 'switch';
      const rollback = reason.endsWith('Rollback');
      once(`switch/${s.lastSwitchTime}`, {
        atMs: Date.parse(s.lastSwitchTime),
        kind: rollback ? 'rollback' : 'switch',
        label: `${rollback ? 'rollback' : 'switch'} → ${s.activeColor ?? '?'}`,
        detail: `${reason}: active Service switched${s.previousColor ? ` from ${s.previousColor}` : ''} to ${s.activeColor ?? '?'}`,
      });
    }
  }
  return out;
}

export function eventMarkers(events: readonly RecordedEvent[], fromStatus: readonly Marker[]): Marker[] {
  const out: Marker[] = [];
  for (const e of events) {
    const kind = EVENT_KINDS[e.reason] ?? (e.type === 'Warning' ? 'warning' : undefined);
    if (kind === undefined) continue;
    const atMs = Date.parse(e.at);
    // A status marker of the same kind is the same moment, told more precisely.
    if (fromStatus.some((m) => m.kind === kind && Math.abs(m.atMs - atMs) <= EVENT_SLACK_MS)) continue;
    out.push({ atMs, kind, label: e.reason, detail: `Event ${e.reason}: ${e.message}`, source: 'event' });
  }
  return out;
}

/** At the same instant, the cause first: a switch back restarts the preview, a round precedes its verdict. */
const SAME_TIME_ORDER: MarkerKind[] = [
  'rollback',
  'switch',
  'release',
  'preview-ready',
  'analysis-round',
  'analysis-verdict',
  'scaled-down',
  'warning',
];

/** Every marker of the recording, oldest first. */
export function releaseMarkers(snapshots: readonly StatusSnapshot[], events: readonly RecordedEvent[]): Marker[] {
  const fromStatus = statusMarkers(snapshots);
  return [...fromStatus, ...eventMarkers(events, fromStatus)].sort(
    (a, b) => a.atMs - b.atMs || SAME_TIME_ORDER.indexOf(a.kind) - SAME_TIME_ORDER.indexOf(b.kind),
  );
}
