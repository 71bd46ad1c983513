// `history NAME`: the revisions a BlueGreenService released and what became of each, told from
// its Events (the operator records one per decision; the API server keeps them for its
// --event-ttl, one hour by default), the kept template copies (ADR 0016: one per revision a
// colour still runs) and status (what runs now). PURE.
import { LABELS, REASONS, type Color } from '../../../operator/src/api/constants.ts';
import { eventTime, type BlueGreenService, type ControllerRevisionLike, type EventLike } from './objects.ts';

export interface RevisionRow {
  revision: string;
  images: string[];
  /** When its ReleaseStarted Event says it was first deployed, if still kept. */
  releasedAt?: string;
  /** What happened to it, oldest first: "released to green", "promoted (AutoPromotion)", ... */
  outcomes: string[];
  /** What it is now, from status: live, previous, preview, aborted. */
  now: string[];
  kept: boolean;
}

export interface History {
  revisions: RevisionRow[];
  events: EventLike[];
}

const RELEASED = /revision ([0-9a-f]+) \(([^)]*)\) to (blue|green)/;
const RELEASED_AGAIN = /revision ([0-9a-f]+) is released to (blue|green) again/;
const SWITCHED = /from (blue|green) to (blue|green)/;
const SERVES = /now serves (blue|green)/;
const ROLLBACKS = new Set<string>([REASONS.manualRollback, REASONS.autoRollback]);
const FAILURES = new Set<string>([REASONS.analysisFailed, REASONS.analysisInconclusive, REASONS.postPromotionFailed]);

export function buildHistory(
  bgs: BlueGreenService,
  events: readonly EventLike[],
  kept: readonly ControllerRevisionLike[],
): History {
  const rows = new Map<string, RevisionRow>();
  const row = (revision: string): RevisionRow => {
    let r = rows.get(revision);
    if (!r) rows.set(revision, (r = { revision, images: [], outcomes: [], now: [], kept: false }));
    return r;
  };
  const sorted = [...events].sort((a, b) => (eventTime(a) ?? '').localeCompare(eventTime(b) ?? ''));
  const onColor: Partial<Record<Color, string>> = {};
  const colorRevision = (c: Color) => onColor[c] ?? bgs.status?.colors?.[c]?.revision;
  let lastReleased: string | undefined;
  for (const e of sorted) {
    const message = e.message ?? '';
    const reason = e.reason ?? '';
    const released = RELEASED.exec(message) ?? RELEASED_AGAIN.exec(message);
    if (reason === REASONS.releaseStarted && released) {
      const [revision, color] = released.length === 4 ? [released[1]!, released[3]!] : [released[1]!, released[2]!];
      const r = row(revision);
      if (released.length === 4 && r.images.length === 0) r.images = released[2]!.split(', ');
      r.releasedAt ??= eventTime(e);
      r.outcomes.push(`released to ${color}`);
      onColor[color as Color] = revision;
      lastReleased = revision;
      continue;
    }
    const switched = SWITCHED.exec(message) ?? SERVES.exec(message);
    if (switched && (reason.endsWith('Promotion') || ROLLBACKS.has(reason) || reason === REASONS.initialDeploy)) {
      const to = switched[switched.length - 1] as Color;
      const from = switched.length === 3 ? (switched[1] as Color) : undefined;
      const toRev = colorRevision(to);
      if (toRev) row(toRev).outcomes.push(ROLLBACKS.has(reason) ? `serves again (${reason})` : `serves (${reason})`);
      const fromRev = from && colorRevision(from);
      if (fromRev && ROLLBACKS.has(reason)) row(fromRev).outcomes.push(`rolled back (${reason})`);
      continue;
    }
    if (lastReleased && (FAILURES.has(reason) || reason === REASONS.canaryAborted))
      row(lastReleased).outcomes.push(reason === REASONS.canaryAborted ? 'canary aborted' : reason);
  }
  for (const copy of kept) {
    const revision = copy.metadata.labels?.[LABELS.revision];
    if (!revision) continue;
    const r = row(revision);
    r.kept = true;
    if (r.images.length === 0) r.images = (copy.data?.template?.spec?.containers ?? []).map((c) => c.image ?? '?');
  }
  markNow(bgs, row);
  return { revisions: [...rows.values()], events: sorted };
}

function markNow(bgs: BlueGreenService, row: (revision: string) => RevisionRow): void {
  const s = bgs.status ?? {};
  const mark = (color: Color | undefined, what: string) => {
    const revision = color && s.colors?.[color]?.revision;
    if (!revision) return;
    const r = row(revision);
    r.now.push(`${what} on ${color}`);
    if (r.images.length === 0) r.images = s.colors?.[color]?.images ?? [];
  };
  mark(s.activeColor, 'live');
  if (s.previewColor !== s.activeColor) mark(s.previewColor, 'preview');
  if (s.previousColor !== s.activeColor) mark(s.previousColor, 'previous');
  if (s.abortedRevision) row(s.abortedRevision).now.push('aborted');
}
