// The CRD's status schema is structural: the API server silently PRUNES every status field it
// does not declare. So every status the planner produces, walked through whole releases on its
// own fixtures (test/support/planner-walk.ts), must fit the schema with nothing undeclared, and
// a fully populated status, typed so that tsc demands every field of BlueGreenServiceStatus,
// must fit it too and exercise every declared field. A field added to the status type or
// written by the planner without a schema entry fails here instead of vanishing in a cluster.
import { describe, expect, it } from 'vitest';
import type { Color } from '../../operator/src/api/constants.ts';
import type { BlueGreenServiceStatus } from '../../operator/src/api/types.ts';
import { scenarios, walk } from '../support/planner-walk.ts';
import { crdSchema, schemaErrors, type Schema, unexercisedPaths } from '../support/structural-schema.ts';

const statusSchema: Schema = crdSchema().properties!['status']!;

/** Every optional field made required, recursively (arrays of objects included). */
type Full<T> = T extends readonly (infer U)[] ? Full<U>[] : T extends object ? { [K in keyof T]-?: Full<T[K]> } : T;

const at = '2026-12-01T10:00:00.000Z';
const colorStatus = { revision: 'abc123', images: ['orders:v2'], replicas: 3, readyEndpoints: 3 };
// Keep this populated with EVERY field of the status: tsc fails when the type gains a field the
// example lacks, and the tests below fail when the schema lacks one.
const fullStatus: Full<BlueGreenServiceStatus> & { colors: Record<Color, typeof colorStatus> } = {
  observedGeneration: 4,
  phase: 'Verifying',
  message: 'post-promotion analysis of green running',
  activeColor: 'green',
  previewColor: 'green',
  previousColor: 'blue',
  previousRevision: 'def456',
  ready: '3/3',
  replicas: 3,
  readyReplicas: 3,
  selector: 'bluegreen.dev/service=orders,bluegreen.dev/color=green',
  stableRevision: 'abc123',
  updateRevision: 'abc123',
  abortedRevision: 'def456',
  lastSwitchTime: at,
  lastSwitchReason: 'AutoPromotion',
  release: { revision: 'abc123', color: 'green', startedAt: at, readyAt: at, promotingSince: at },
  analysis: {
    stage: 'PostPromotion',
    revision: 'abc123',
    color: 'green',
    phase: 'Running',
    startedAt: at,
    message: 'round 1 of 3',
    successful: 1,
    failed: 0,
    inconclusive: 0,
    rounds: 1,
    passedRounds: 1,
    lastRoundAt: at,
    measurements: [{ metric: 'error-rate', phase: 'Successful', value: 0.001, message: 'ok', at }],
  },
  canary: {
    revision: 'abc123',
    color: 'green',
    currentStepIndex: 1,
    weight: 50,
    canaryReplicas: 3,
    stableReplicas: 3,
    achievedShare: 50,
    httpRoute: 'orders',
    stepReachedAt: at,
    aborted: false,
  },
  colors: { blue: colorStatus, green: colorStatus },
  conditions: [
    {
      type: 'Ready',
      status: 'False',
      reason: 'PostPromotionAnalysisRunning',
      message: 'a release is in flight',
      lastTransitionTime: at,
      observedGeneration: 4,
    },
  ],
  notifications: {
    pending: [
      {
        key: '0123456789abcdef0123456789abcdef',
        event: 'AnalysisRoundFailed',
        severity: 'Warning',
        occurredAt: at,
        summary:
          'post-promotion analysis of green (revision abc123), round 1: error-rate: value 0.2; the analysis failed',
        reason: 'PostPromotionAnalysisFailed',
        revision: 'abc123',
        color: 'green',
        activeColor: 'green',
        promoteCommand: 'kubectl patch bgs orders -n shop --type merge -p \'{"spec":{"activeColor":"green"}}\'',
        analysis: {
          stage: 'PostPromotion',
          round: 1,
          verdict: 'Failed',
          measurements: [{ metric: 'error-rate', phase: 'Failed', value: 0.2, message: 'above max 0.01', at }],
        },
        canary: { step: 1, steps: 2, weight: 10 },
        providers: ['team-slack'],
      },
    ],
  },
};

describe('CRD status schema and the planner', () => {
  const walks = scenarios.map((s) => ({ name: s.name, statuses: walk(s) }));

  it.each(walks)('Given the walk "$name", every status fits the schema with no field pruned', ({ statuses }) => {
    expect(statuses.length).toBeGreaterThan(0);
    const errors = statuses.flatMap((s, step) => schemaErrors(statusSchema, s, `step ${step}: status`));
    expect([...new Set(errors)]).toEqual([]);
  });

  it('Given all walks, every phase is reached (so the walks cover what the planner writes)', () => {
    const phases = new Set(walks.flatMap((w) => w.statuses.map((s) => s.phase)));
    const documented =
      /Progressing, Analyzing, AwaitingPromotion, Promoting, Verifying, Healthy, Degraded or\s+Invalid/;
    expect(statusSchema.properties!['phase']!.description).toMatch(documented);
    expect([...phases].sort()).toEqual(
      [
        'AwaitingPromotion',
        'Analyzing',
        'Degraded',
        'Healthy',
        'Invalid',
        'Progressing',
        'Promoting',
        'Verifying',
      ].sort(),
    );
    const reached = walks.flatMap((w) => w.statuses);
    for (const path of ['analysis', 'release', 'colors', 'conditions', 'previousColor', 'abortedRevision'])
      expect(
        reached.some((s) => path in s),
        path,
      ).toBe(true);
  });

  it('Given the fully populated status, the schema declares every field', () => {
    expect(schemaErrors(statusSchema, fullStatus, 'status')).toEqual([]);
  });

  it('Given the schema, every declared status field is in the example (so in BlueGreenServiceStatus)', () => {
    expect(unexercisedPaths(statusSchema, fullStatus, 'status')).toEqual([]);
  });

  it('When the planner writes a field the schema lacks, or a malformed condition, the check names it (it can fail)', () => {
    const extra = { ...fullStatus, analysis: { ...fullStatus.analysis, newCounter: 1 } };
    expect(schemaErrors(statusSchema, extra, 'status')).toEqual([
      'status.analysis.newCounter: not in the schema (the API server would prune it silently)',
    ]);
    const badCondition = { ...fullStatus, conditions: [{ type: 'Ready', status: 'Yes', reason: 'not camel' }] };
    expect(schemaErrors(statusSchema, badCondition, 'status')).toEqual([
      'status.conditions[0].lastTransitionTime: required by the schema but missing',
      'status.conditions[0].message: required by the schema but missing',
      'status.conditions[0].status: must be one of ["True","False","Unknown"]',
      expect.stringMatching(/^status\.conditions\[0\]\.reason: must match/),
    ]);
  });
});
