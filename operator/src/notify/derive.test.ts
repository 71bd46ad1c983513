// Which notifications a transition carries, as tables: the stored status, the status written and
// the plan's Events in; the events out. Each row also checks the reverse: the same status again
// (a resync) carries nothing.
import { describe, expect, it } from 'vitest';
import type { BlueGreenService, BlueGreenServiceStatus, Condition } from '../api/types.ts';
import { deriveNotifications } from './derive.ts';
import type { Transition } from './record.ts';

const T0 = '2026-12-08T10:00:00.000Z';
const T1 = '2026-12-08T10:01:00.000Z';

function bgs(status: BlueGreenServiceStatus, steps = 0): BlueGreenService {
  return {
    apiVersion: 'bluegreen.dev/v1alpha1',
    kind: 'BlueGreenService',
    metadata: { name: 'orders', namespace: 'shop', uid: 'uid-1', generation: 2 },
    spec: {
      template: { spec: { containers: [{ name: 'app', image: 'app:v2' }] } },
      service: { ports: [{ port: 80 }] },
      ...(steps > 0
        ? { canary: { steps: Array.from({ length: steps }, (_, i) => ({ setWeight: (i + 1) * 10 })) } }
        : {}),
    },
    status,
  };
}

function cond(type: string, status: Condition['status'], reason: string, message = '', at = T0): Condition {
  return { type, status, reason, message, lastTransitionTime: at };
}

const healthy: BlueGreenServiceStatus = {
  phase: 'Healthy',
  activeColor: 'blue',
  updateRevision: 'r1',
  stableRevision: 'r1',
  lastSwitchTime: T0,
  lastSwitchReason: 'InitialDeploy',
  colors: { blue: { revision: 'r1', images: ['app:v1'], replicas: 2, readyEndpoints: 2 } },
  conditions: [cond('Degraded', 'False', 'AsExpected'), cond('Progressing', 'False', 'Steady')],
};
const release = { revision: 'r2', color: 'green' as const, startedAt: T1 };
const started: BlueGreenServiceStatus = { ...healthy, phase: 'Progressing', updateRevision: 'r2', release };
const ready = { ...started, release: { ...release, readyAt: T1 } };
const awaiting: BlueGreenServiceStatus = {
  ...ready,
  phase: 'AwaitingPromotion',
  conditions: [cond('Degraded', 'False', 'AsExpected'), cond('Progressing', 'True', 'AwaitingPromotion')],
};
const run = {
  stage: 'PrePromotion' as const,
  revision: 'r2',
  color: 'green' as const,
  phase: 'Running' as const,
  startedAt: T1,
  successful: 1,
  failed: 0,
  inconclusive: 0,
  rounds: 1,
  measurements: [{ metric: 'errors', phase: 'Successful' as const, value: 0, at: T1 }],
};
const badRound = {
  ...run,
  failed: 1,
  rounds: 2,
  measurements: [
    ...run.measurements,
    { metric: 'errors', phase: 'Failed' as const, value: 0.2, message: 'value 0.2 is above max 0.01', at: T1 },
  ],
};
const promoted: BlueGreenServiceStatus = {
  ...healthy,
  activeColor: 'green',
  previousColor: 'blue',
  updateRevision: 'r2',
  lastSwitchTime: T1,
  lastSwitchReason: 'AutoPromotion',
  colors: { ...healthy.colors, green: { revision: 'r2', images: ['app:v2'], replicas: 2, readyEndpoints: 2 } },
};
const degradedNow = (reason: string, message: string) =>
  [cond('Degraded', 'True', reason, message, T1), cond('Progressing', 'False', reason)] satisfies Condition[];
const event = (reason: string, message = `${reason} message`) => ({ reason, message });

interface Row {
  name: string;
  prev: BlueGreenServiceStatus;
  next: BlueGreenServiceStatus;
  events?: { reason: string; message: string }[];
  steps?: number;
  expected: string[];
}

const rows: Row[] = [
  {
    name: 'a new release',
    prev: healthy,
    next: started,
    events: [event('ReleaseStarted')],
    expected: ['ReleaseStarted'],
  },
  {
    name: 'a release record without its Event (a manual rollback carries the release on)',
    prev: healthy,
    next: started,
    expected: [],
  },
  {
    name: 'the preview gets ready and waits for a person',
    prev: started,
    next: awaiting,
    events: [event('PreviewReady')],
    expected: ['PreviewReady', 'AwaitingPromotion'],
  },
  {
    name: 'a failed round of a run that goes on',
    prev: { ...ready, analysis: run },
    next: { ...ready, analysis: badRound },
    expected: ['AnalysisRoundFailed'],
  },
  {
    name: 'an inconclusive round',
    prev: { ...ready, analysis: run },
    next: {
      ...ready,
      analysis: {
        ...run,
        inconclusive: 1,
        rounds: 2,
        measurements: [...run.measurements, { metric: 'errors', phase: 'Inconclusive', message: 'no data', at: T1 }],
      },
    },
    expected: ['AnalysisRoundInconclusive'],
  },
  {
    name: 'a passing round',
    prev: { ...ready, analysis: run },
    next: { ...ready, analysis: { ...run, successful: 2, rounds: 2 } },
    expected: [],
  },
  {
    name: 'a canary step reached',
    prev: ready,
    next: {
      ...ready,
      canary: {
        revision: 'r2',
        color: 'green',
        currentStepIndex: 0,
        weight: 10,
        canaryReplicas: 1,
        stableReplicas: 2,
        achievedShare: 33.3,
        stepReachedAt: T1,
      },
    },
    events: [event('CanaryStepReached')],
    steps: 2,
    expected: ['CanaryStepReached'],
  },
  {
    name: 'a canary aborted by its analysis (Degraded is said by the abort)',
    prev: {
      ...ready,
      canary: {
        revision: 'r2',
        color: 'green',
        currentStepIndex: 0,
        weight: 10,
        canaryReplicas: 1,
        stableReplicas: 2,
        achievedShare: 33.3,
        stepReachedAt: T1,
      },
    },
    next: {
      ...ready,
      canary: {
        revision: 'r2',
        color: 'green',
        currentStepIndex: 0,
        weight: 10,
        canaryReplicas: 1,
        stableReplicas: 2,
        achievedShare: 0,
        stepReachedAt: T1,
        aborted: true,
      },
      conditions: degradedNow('AnalysisFailed', 'canary of revision r2 aborted at step 1'),
    },
    steps: 2,
    expected: ['CanaryAborted', 'Degraded'],
  },
  {
    name: 'an automatic promotion',
    prev: awaiting,
    next: promoted,
    events: [event('AutoPromotion')],
    expected: ['Promoted'],
  },
  {
    name: 'an automatic rollback',
    prev: promoted,
    next: {
      ...promoted,
      activeColor: 'blue',
      lastSwitchTime: '2026-12-08T10:05:00.000Z',
      lastSwitchReason: 'AutoRollback',
      conditions: degradedNow('RolledBack', 'post-promotion analysis failed'),
    },
    events: [event('AutoRollback')],
    expected: ['RolledBack', 'Degraded'],
  },
  {
    name: 'a manual rollback',
    prev: promoted,
    next: {
      ...promoted,
      activeColor: 'blue',
      lastSwitchTime: '2026-12-08T10:05:00.000Z',
      lastSwitchReason: 'ManualRollback',
    },
    events: [event('ManualRollback')],
    expected: ['RolledBack'],
  },
  {
    name: 'a switch nobody planned to the template revision (crash between patch and status write)',
    prev: awaiting,
    next: { ...promoted, lastSwitchReason: 'Observed' },
    expected: ['Promoted'],
  },
  {
    name: 'the release carried on after a manual rollback (the planner says AwaitingPromotion; the person just decided)',
    prev: promoted,
    next: {
      ...awaiting,
      lastSwitchTime: T1,
      lastSwitchReason: 'ManualRollback',
      release: { ...release, startedAt: T1, readyAt: T1 },
    },
    expected: [],
  },
  {
    name: 'the first deploy (not a promotion)',
    prev: {},
    next: healthy,
    events: [event('InitialDeploy')],
    expected: [],
  },
  {
    name: 'degraded by a deadline',
    prev: started,
    next: { ...started, phase: 'Degraded', conditions: degradedNow('ProgressDeadlineExceeded', 'too slow') },
    expected: ['Degraded'],
  },
  {
    name: 'degraded for another reason',
    prev: { ...started, conditions: degradedNow('ProgressDeadlineExceeded', 'too slow') },
    next: { ...started, conditions: degradedNow('ApplyFailed', 'refused') },
    expected: ['Degraded'],
  },
  {
    name: 'recovered',
    prev: { ...started, conditions: degradedNow('ApplyFailed', 'refused') },
    next: { ...started, conditions: [cond('Degraded', 'False', 'AsExpected', '', T1)] },
    expected: ['Recovered'],
  },
];

describe('deriveNotifications', () => {
  it.each(rows)('Given $name, Then $expected', ({ prev, next, events = [], steps, expected }) => {
    const t: Transition = { bgs: bgs(prev, steps), next, events, nowIso: T1 };
    expect(deriveNotifications(t).map((n) => n.event)).toEqual(expected);
  });

  it.each(rows)(
    'Given $name already stored, When reconciled again (a resync), Then nothing',
    ({ next, events = [], steps }) => {
      expect(deriveNotifications({ bgs: bgs(next, steps), next, events, nowIso: T1 })).toEqual([]);
    },
  );

  it('Given the same transition derived twice (a stale read), Then the keys are equal; another object gets other keys', () => {
    const t: Transition = { bgs: bgs(started), next: awaiting, events: [event('PreviewReady')], nowIso: T1 };
    const again = deriveNotifications({ ...t, nowIso: '2026-12-08T11:00:00.000Z' });
    expect(again.map((n) => n.key)).toEqual(deriveNotifications(t).map((n) => n.key));
    const other = { ...t.bgs, metadata: { ...t.bgs.metadata, uid: 'uid-2' } };
    expect(deriveNotifications({ ...t, bgs: other })[0]!.key).not.toBe(again[0]!.key);
    expect(again[0]!.key).toMatch(/^[0-9a-f]{32}$/);
  });

  it('Given a release awaiting promotion, Then the notification carries the exact command, namespace included', () => {
    const [n] = deriveNotifications({ bgs: bgs(ready), next: awaiting, events: [], nowIso: T1 });
    expect(n).toMatchObject({ event: 'AwaitingPromotion', color: 'green', revision: 'r2' });
    expect(n!.promoteCommand).toBe(
      `kubectl patch bgs orders -n shop --type merge -p '{"spec":{"activeColor":"green"}}'`,
    );
  });

  it("Given a failed round, Then it names the round, the metric's answer and the verdict so far", () => {
    const [n] = deriveNotifications({
      bgs: bgs({ ...ready, analysis: run }),
      next: { ...ready, analysis: badRound },
      events: [],
      nowIso: T1,
    });
    expect(n!.analysis).toEqual({
      stage: 'PrePromotion',
      round: 2,
      verdict: 'Running',
      measurements: [badRound.measurements[1]],
    });
    expect(n!.summary).toBe(
      'pre-promotion analysis of green (revision r2), round 2: errors: value 0.2 is above max 0.01; the analysis goes on',
    );
    expect(n!.severity).toBe('Warning');
  });
});
