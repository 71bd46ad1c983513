// What a release recording holds: the load generator's per-second results and everything the
// BlueGreenService told us while it ran (each distinct status, and its Events). It is the one
// input of the report (model.ts), saved as JSON next to every report so a report can be
// re-rendered, diffed or attached to an incident without the cluster.
import type { RunStats } from '../loadtest/engine/generator.ts';
import type { BlueGreenServiceStatus } from '../operator/src/api/types.ts';

export const RECORDING_FORMAT = 'bluegreen-release-recording/v1';

/** One status of the BlueGreenService, kept when it differed from the previous one. */
export interface StatusSnapshot {
  /** RFC3339: when the recorder saw this status (the status's own timestamps are more precise). */
  seenAt: string;
  status: BlueGreenServiceStatus;
}

/** A Kubernetes Event whose involvedObject is the BlueGreenService. */
export interface RecordedEvent {
  /** RFC3339, from the Event's lastTimestamp (or eventTime, firstTimestamp): second precision. */
  at: string;
  type: string;
  reason: string;
  message: string;
  count: number;
}

export interface Recording {
  format: typeof RECORDING_FORMAT;
  namespace: string;
  name: string;
  /** Response header the load counted per value (the colour that answered). */
  colorHeader: string;
  load: RunStats;
  snapshots: StatusSnapshot[];
  events: RecordedEvent[];
}

/**
 * Checks that `value` (parsed JSON) is a Recording, naming the first bad field. JSON has no
 * NaN: a second without a successful response has p99 `null` on disk, read back as NaN.
 */
export function parseRecording(value: unknown, where = 'recording'): Recording {
  const bad = (field: string, what: string, got: unknown): never => {
    throw new Error(`${where}.${field} must be ${what}, got ${JSON.stringify(got)?.slice(0, 80)}`);
  };
  const obj = (v: unknown, field: string): Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v)
      ? (v as Record<string, unknown>)
      : bad(field, 'an object', v);
  const list = (v: unknown, field: string): unknown[] => (Array.isArray(v) ? v : bad(field, 'a list', v));
  const str = (v: unknown, field: string): string => (typeof v === 'string' ? v : bad(field, 'a string', v));
  const time = (v: unknown, field: string): string =>
    Number.isFinite(Date.parse(str(v, field))) ? (v as string) : bad(field, 'an RFC3339 time', v);
  const num = (v: unknown, field: string): number =>
    typeof v === 'number' && Number.isFinite(v) ? v : bad(field, 'a number', v);
  const numOrNull = (v: unknown, field: string): number => (v === null ? Number.NaN : num(v, field));

  const r = obj(value, '');
  if (r['format'] !== RECORDING_FORMAT) bad('format', `"${RECORDING_FORMAT}"`, r['format']);
  str(r['namespace'], 'namespace');
  str(r['name'], 'name');
  str(r['colorHeader'], 'colorHeader');
  const load = obj(r['load'], 'load');
  time(load['startedAt'], 'load.startedAt');
  str(load['url'], 'load.url');
  for (const f of ['requests', 'failed', 'durationSeconds'] as const) num(load[f], `load.${f}`);
  const latency = obj(load['latencyMs'], 'load.latencyMs');
  latency['p99'] = numOrNull(latency['p99'], 'load.latencyMs.p99');
  list(load['timeline'], 'load.timeline').forEach((s, i) => {
    const f = `load.timeline[${i}]`;
    const sec = obj(s, f);
    if (num(sec['second'], `${f}.second`) !== i) bad(`${f}.second`, String(i), sec['second']);
    num(sec['sent'], `${f}.sent`);
    num(sec['failed'], `${f}.failed`);
    sec['p99'] = numOrNull(sec['p99'], `${f}.p99`);
    for (const [k, n] of Object.entries(obj(sec['split'], `${f}.split`))) num(n, `${f}.split.${k}`);
  });
  list(r['snapshots'], 'snapshots').forEach((s, i) => {
    time(obj(s, `snapshots[${i}]`)['seenAt'], `snapshots[${i}].seenAt`);
    obj((s as Record<string, unknown>)['status'], `snapshots[${i}].status`);
  });
  list(r['events'], 'events').forEach((e, i) => {
    const ev = obj(e, `events[${i}]`);
    time(ev['at'], `events[${i}].at`);
    str(ev['reason'], `events[${i}].reason`);
    str(ev['message'], `events[${i}].message`);
  });
  return r as unknown as Recording;
}
