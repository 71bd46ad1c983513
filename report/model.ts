// Recording -> what the report shows. PURE: every number on the page is computed here (and
// unit-tested), so the renderer and the in-page script only draw.
//
// The x axis is seconds since the load started. Second i holds the requests SENT in [i, i+1)
// and is drawn at its middle, i + 0.5: a switch at 5.1 s then falls between the last second
// before it and the first after it, instead of after a point that already holds its effect.
// Series use null for "nothing to show" (no request sent, no successful response), which the
// charts draw as a gap, never as a zero.
import { releaseMarkers, type Marker, type MarkerKind } from './markers.ts';
import type { Recording } from './recording.ts';

export interface ColorSeries {
  /** The header's value ("blue", "green"), or NO_COLOR for successful responses without it. */
  color: string;
  /** Responses per second that this colour answered. */
  values: number[];
}

export interface ChartMarker {
  /** Seconds since the load started. */
  t: number;
  at: string;
  kind: MarkerKind;
  label: string;
  detail: string;
  source: Marker['source'];
}

export interface ReportModel {
  title: string;
  namespace: string;
  name: string;
  target: string;
  colorHeader: string;
  startedAt: string;
  durationSeconds: number;
  /** Seconds since start, one per second of load: the middle of each second (0.5, 1.5, ...). */
  x: number[];
  /** The x axis runs from 0 to this: every drawn marker is inside it. */
  windowSeconds: number;
  sent: number[];
  rpsByColor: ColorSeries[];
  failed: number[];
  /** Failed / sent per second, in percent; null when nothing was sent that second. */
  errorRatePct: (number | null)[];
  /** p99 of the successful responses per second, ms; null when none succeeded. */
  p99Ms: (number | null)[];
  /** Inside the recorded window only, oldest first. */
  markers: ChartMarker[];
  /** How many markers happened before or after the load ran (neither drawn nor listed). */
  outside: number;
  summary: {
    requests: number;
    failed: number;
    errorRatePct: number;
    p99Ms: number | null;
    byColor: Record<string, number>;
    switches: number;
    rollbacks: number;
    analysisRounds: number;
    finalPhase: string;
    finalActive: string;
    /** What each colour ran at the end: "revision (images)", from status.colors. */
    colorsAtEnd: Record<string, string>;
  };
}

export const NO_COLOR = '(no header)';

/** Colours in a stable order: blue, green, then any other value alphabetically, then NO_COLOR. */
function colorOrder(a: string, b: string): number {
  const rank = (c: string) => (c === 'blue' ? 0 : c === 'green' ? 1 : c === NO_COLOR ? 3 : 2);
  return rank(a) - rank(b) || a.localeCompare(b);
}

const round = (n: number, digits: number) => Math.round(n * 10 ** digits) / 10 ** digits;

export function buildReportModel(rec: Recording): ReportModel {
  const timeline = rec.load.timeline;
  const x = timeline.map((s) => s.second + 0.5);
  const colors = new Set<string>();
  for (const s of timeline) for (const c of Object.keys(s.split)) colors.add(c);
  // A success without the header is still traffic: shown on its own, so a service that does not
  // set the header gives an honest "unknown colour" line instead of an empty chart.
  const unlabelled = timeline.map((s) => {
    const labelled = Object.values(s.split).reduce((a, b) => a + b, 0);
    return Math.max(0, s.sent - s.failed - labelled);
  });
  if (unlabelled.some((n) => n > 0)) colors.add(NO_COLOR);
  const rpsByColor = [...colors].sort(colorOrder).map((color) => ({
    color,
    values: color === NO_COLOR ? unlabelled : timeline.map((s) => s.split[color] ?? 0),
  }));

  const start = Date.parse(rec.load.startedAt);
  const windowSeconds = Math.max(timeline.length, rec.load.durationSeconds);
  const end = start + windowSeconds * 1000;
  const all = releaseMarkers(rec.snapshots, rec.events);
  const inside = all.filter((m) => m.atMs >= start && m.atMs <= end);
  const markers = inside.map((m) => ({
    t: round((m.atMs - start) / 1000, 3),
    at: new Date(m.atMs).toISOString(),
    kind: m.kind,
    label: m.label,
    detail: m.detail,
    source: m.source,
  }));

  const last = rec.snapshots.at(-1)?.status;
  const byColor: Record<string, number> = {};
  for (const s of rpsByColor) byColor[s.color] = s.values.reduce((a, b) => a + b, 0);
  const p99 = rec.load.latencyMs.p99;
  return {
    title: `Release report: ${rec.namespace}/${rec.name}`,
    namespace: rec.namespace,
    name: rec.name,
    target: rec.load.url,
    colorHeader: rec.colorHeader,
    startedAt: rec.load.startedAt,
    durationSeconds: rec.load.durationSeconds,
    x,
    windowSeconds,
    sent: timeline.map((s) => s.sent),
    rpsByColor,
    failed: timeline.map((s) => s.failed),
    errorRatePct: timeline.map((s) => (s.sent === 0 ? null : round((100 * s.failed) / s.sent, 3))),
    p99Ms: timeline.map((s) => (Number.isFinite(s.p99) ? s.p99 : null)),
    markers,
    outside: all.length - inside.length,
    summary: {
      requests: rec.load.requests,
      failed: rec.load.failed,
      errorRatePct: rec.load.requests === 0 ? 0 : round((100 * rec.load.failed) / rec.load.requests, 3),
      p99Ms: Number.isFinite(p99) ? p99 : null,
      byColor,
      switches: markers.filter((m) => m.kind === 'switch').length,
      rollbacks: markers.filter((m) => m.kind === 'rollback').length,
      analysisRounds: markers.filter((m) => m.kind === 'analysis-round').length,
      finalPhase: last?.phase ?? 'unknown',
      finalActive: last?.activeColor ?? 'unknown',
      colorsAtEnd: Object.fromEntries(
        Object.entries(last?.colors ?? {}).map(([c, st]) => [
          c,
          // Read defensively: a recording is a file, and an older operator's status may lack fields.
          `${st?.revision ?? '?'} (${(st?.images ?? []).join(', ')}), ${st?.readyEndpoints ?? '?'}/${st?.replicas ?? '?'} ready`,
        ]),
      ),
    },
  };
}
