// A small, fully known release recording for unit tests: 10 s of load, blue answers until the
// switch at 5.1 s, green until the rollback at 8 s; a failed request, a second without any
// success, two pre-promotion rounds, and Events that repeat, complete or precede the status.
import type { SecondStats } from '../../loadtest/engine/generator.ts';
import type { BlueGreenServiceStatus } from '../../operator/src/api/types.ts';
import { RECORDING_FORMAT, type Recording } from '../recording.ts';

export const T0 = Date.parse('2026-12-02T02:00:00.000Z');
/** RFC3339 time `s` seconds after the load started. */
export const at = (s: number) => new Date(T0 + s * 1000).toISOString();

function second(i: number): SecondStats {
  const color = i < 5 || i >= 8 ? 'blue' : 'green';
  const failed = i === 3 ? 1 : i === 7 ? 10 : 0;
  const ok = 10 - failed;
  return {
    second: i,
    targetRate: 10,
    sent: 10,
    failed,
    p50: ok ? 2 : Number.NaN,
    p95: ok ? 4 : Number.NaN,
    p99: ok ? 5 + i : Number.NaN,
    split: ok ? { [color]: ok } : {},
  };
}

const base: BlueGreenServiceStatus = {
  phase: 'Healthy',
  activeColor: 'blue',
  lastSwitchTime: at(-3600),
  lastSwitchReason: 'InitialDeploy',
};
const release = { revision: 'abcdef123456', color: 'green' as const, startedAt: at(1.2) };
const round1 = { metric: 'error-rate', phase: 'Successful' as const, value: 0, at: at(3) };
const round2 = { metric: 'error-rate', phase: 'Successful' as const, value: 0.0004, at: at(4) };
const analysis = {
  stage: 'PrePromotion' as const,
  revision: release.revision,
  color: 'green' as const,
  startedAt: at(2.5),
  successful: 1,
  failed: 0,
  inconclusive: 0,
  rounds: 1,
  phase: 'Running' as const,
  measurements: [round1],
};

export function syntheticRecording(): Recording {
  return {
    format: RECORDING_FORMAT,
    namespace: 'shop',
    name: 'orders',
    colorHeader: 'X-Color',
    load: {
      url: 'http://orders.shop.svc/orders',
      keepAlive: true,
      startedAt: at(0),
      durationSeconds: 10,
      requests: 100,
      failed: 11,
      errorRate: 0.11,
      statuses: { '200': 89, '503': 11 },
      errors: {},
      latencyMs: { p50: 2, p90: 4, p95: 4, p99: 13, max: 20 },
      generatorLagMs: { p99: 1, max: 2 },
      split: { blue: 69, green: 20 },
      timeline: Array.from({ length: 10 }, (_, i) => second(i)),
    },
    snapshots: [
      { seenAt: at(0), status: base },
      { seenAt: at(1.3), status: { ...base, phase: 'Progressing', release } },
      { seenAt: at(3.1), status: { ...base, phase: 'Analyzing', release: { ...release, readyAt: at(2.5) }, analysis } },
      {
        // Round 2 and the verdict arrived together: one poll saw both.
        seenAt: at(4.2),
        status: {
          ...base,
          phase: 'Promoting',
          release: { ...release, readyAt: at(2.5) },
          analysis: {
            ...analysis,
            rounds: 2,
            successful: 2,
            phase: 'Successful',
            lastRoundAt: at(4),
            measurements: [round1, round2],
          },
        },
      },
      {
        seenAt: at(5.2),
        status: {
          phase: 'Healthy',
          activeColor: 'green',
          previousColor: 'blue',
          lastSwitchTime: at(5.1),
          lastSwitchReason: 'AutoPromotion',
        },
      },
      {
        seenAt: at(8.1),
        // After the switch back the operator previews the same revision again: a new release record.
        status: {
          phase: 'Analyzing',
          activeColor: 'blue',
          previousColor: 'green',
          lastSwitchTime: at(8),
          lastSwitchReason: 'ManualRollback',
          release: { ...release, startedAt: at(8.05), readyAt: at(8.05) },
          colors: {
            blue: { revision: 'aaaa1111', images: ['orders:1.0'], replicas: 2, readyEndpoints: 2 },
            green: { revision: release.revision, images: ['orders:1.1'], replicas: 2, readyEndpoints: 2 },
          },
        },
      },
    ],
    events: [
      { at: at(-60), type: 'Normal', reason: 'InitialDeploy', message: 'Service orders now serves blue', count: 1 },
      // Same moment as the status's release.startedAt, truncated to the second: a duplicate.
      { at: at(1), type: 'Normal', reason: 'ReleaseStarted', message: 'release abcdef12 on green', count: 1 },
      // Recorded 2.5 s after the status's readyAt (seen on a real cluster): the same moment.
      {
        at: at(5),
        type: 'Normal',
        reason: 'PreviewReady',
        message: 'green is ready at revision abcdef123456',
        count: 1,
      },
      { at: at(6), type: 'Warning', reason: 'ApplyFailed', message: 'conflict on Deployment orders-green', count: 1 },
      { at: at(9), type: 'Normal', reason: 'ScaledDownPreviousColor', message: 'green scaled to 0', count: 1 },
    ],
  };
}
