import { describe, expect, it } from 'vitest';
import { buildReportModel, NO_COLOR } from './model.ts';
import { parseRecording } from './recording.ts';
import { at, syntheticRecording } from './testing/synthetic.ts';

describe('recording → report model', () => {
  const model = buildReportModel(syntheticRecording());

  it('Given per-second results, Then each colour gets its responses per second, in blue-green order', () => {
    expect(model.x).toEqual([0.5, 1.5, 2.5, 3.5, 4.5, 5.5, 6.5, 7.5, 8.5, 9.5]);
    expect(model.windowSeconds).toBe(10);
    expect(model.rpsByColor).toEqual([
      { color: 'blue', values: [10, 10, 10, 9, 10, 0, 0, 0, 10, 10] },
      { color: 'green', values: [0, 0, 0, 0, 0, 10, 10, 0, 0, 0] },
    ]);
    expect(model.summary.byColor).toEqual({ blue: 69, green: 20 });
  });

  it('Given failures, Then the error rate is per second in percent and p99 has a gap where nothing succeeded', () => {
    expect(model.errorRatePct).toEqual([0, 0, 0, 10, 0, 0, 0, 100, 0, 0]);
    expect(model.p99Ms).toEqual([5, 6, 7, 8, 9, 10, 11, null, 13, 14]);
    expect(model.summary).toMatchObject({ requests: 100, failed: 11, errorRatePct: 11, p99Ms: 13 });
  });

  it('Given status transitions and Events, Then every moment of the release is marked once, in order', () => {
    expect(model.markers.map((m) => [m.t, m.kind, m.label, m.source])).toEqual([
      [1.2, 'release', 'release abcdef12', 'status'],
      [2.5, 'preview-ready', 'green ready', 'status'],
      [3, 'analysis-round', 'pre #1: error-rate=0', 'status'],
      [4, 'analysis-round', 'pre #2: error-rate=0.0004', 'status'],
      [4, 'analysis-verdict', 'pre-promotion Successful', 'status'],
      [5.1, 'switch', 'switch → green', 'status'],
      [6, 'warning', 'ApplyFailed', 'event'],
      [8, 'rollback', 'rollback → blue', 'status'],
      [8.05, 'release', 'preview again abcdef12', 'status'],
      [8.05, 'preview-ready', 'green ready', 'status'],
      [9, 'scaled-down', 'ScaledDownPreviousColor', 'event'],
    ]);
    // The initial deploy an hour ago and its Event are outside the recorded window.
    expect(model.outside).toBe(2);
    expect(model.summary).toMatchObject({ switches: 1, rollbacks: 1, analysisRounds: 2, finalActive: 'blue' });
    expect(model.summary.colorsAtEnd).toEqual({
      blue: 'aaaa1111 (orders:1.0), 2/2 ready',
      green: 'abcdef123456 (orders:1.1), 2/2 ready',
    });
  });

  it('Given an analysis round, Then its detail names the metric, value and verdict', () => {
    expect(model.markers.find((m) => m.label.startsWith('pre #2'))?.detail).toBe(
      'pre-promotion analysis of green, round 2: error-rate = 0.0004 Successful',
    );
  });

  it('Given successes without the colour header, Then they are shown as their own series, not dropped', () => {
    const rec = syntheticRecording();
    for (const s of rec.load.timeline) s.split = {};
    const m = buildReportModel(rec);
    expect(m.rpsByColor.map((s) => s.color)).toEqual([NO_COLOR]);
    expect(m.rpsByColor[0]!.values).toEqual([10, 10, 10, 9, 10, 10, 10, 0, 10, 10]);
  });

  it('Given an automatic rollback reason, Then the switch is marked as a rollback', () => {
    const rec = syntheticRecording();
    rec.snapshots.push({
      seenAt: at(9.5),
      status: { activeColor: 'green', lastSwitchTime: at(9.4), lastSwitchReason: 'AutoRollback' },
    });
    expect(
      buildReportModel(rec)
        .markers.filter((m) => m.kind === 'rollback')
        .map((m) => m.t),
    ).toEqual([8, 9.4]);
  });
});

describe('reading a recording', () => {
  it('Given a recording written as JSON, Then it reads back with NaN where JSON has null', () => {
    const rec = parseRecording(JSON.parse(JSON.stringify(syntheticRecording())));
    expect(rec.load.timeline[7]!.p99).toBeNaN();
    expect(buildReportModel(rec)).toEqual(buildReportModel(syntheticRecording()));
  });

  it.each([
    [(r: Record<string, unknown>) => (r['format'] = 'v0'), 'recording.format must be'],
    [
      (r: Record<string, unknown>) => delete (r['load'] as Record<string, unknown>)['startedAt'],
      'recording.load.startedAt must be',
    ],
    [
      (r: Record<string, unknown>) => ((r['load'] as { timeline: { sent: unknown }[] }).timeline[4]!.sent = '10'),
      'recording.load.timeline[4].sent must be a number',
    ],
    [
      (r: Record<string, unknown>) => ((r['events'] as { at: unknown }[])[2]!.at = 'yesterday'),
      'recording.events[2].at must be an RFC3339 time',
    ],
  ])('Given a bad field, Then the error names it (%#)', (spoil, message) => {
    const raw = JSON.parse(JSON.stringify(syntheticRecording())) as Record<string, unknown>;
    spoil(raw);
    expect(() => parseRecording(raw)).toThrow(message);
  });
});
