import { describe, expect, it } from 'vitest';
import type { Measurement } from '../analysis/types.ts';
import type { BlueGreenServiceStatus } from '../api/types.ts';
import { desiredActiveService } from './desired.ts';
import { bgs, iso, observed, rev, T0, template } from './fixtures.ts';
import { plan } from './plan.ts';
import type { Observed } from './types.ts';

const V1 = 'orders:v1';
const V2 = 'orders:v2';
const metric = { name: 'errors', query: 'rate(x{color="{{color}}",rev="{{revision}}"}[1m])', max: 0.01 };
const prometheus = { address: 'http://prom:9090' };
const m = (phase: Measurement['phase'], at = T0): Measurement => ({
  metric: 'errors',
  phase,
  at: iso(at),
  ...(phase === 'Inconclusive' ? { message: 'no data' } : { value: phase === 'Successful' ? 0 : 0.5 }),
});

describe('Given a preview of v2 that is ready and a pre-promotion analysis', () => {
  const readyAt = T0 - 5_000;
  const status: BlueGreenServiceStatus = {
    activeColor: 'blue',
    lastSwitchTime: iso(T0 - 3_600_000),
    release: { revision: rev(V2), color: 'green', startedAt: iso(T0 - 60_000), readyAt: iso(readyAt) },
  };
  const spec = {
    template: template(V2),
    promotion: { auto: true },
    analysis: { prometheus, prePromotion: { intervalSeconds: 10, count: 2, metrics: [metric] } },
  };
  const world = {
    blue: { image: V1, replicas: 3 },
    green: { image: V2, replicas: 3 },
    active: 'blue' as const,
    preview: 'green' as const,
  };
  const withTaken = (obs: Observed, phase: Measurement['phase']): Observed => ({
    ...obs,
    measurements: { stage: 'PrePromotion', color: 'green', revision: rev(V2), measurements: [m(phase)] },
  });

  it('When the first round is due, Then it asks for measurements with the query rendered for green and v2', () => {
    const p = plan(observed(bgs(spec, status), world));
    expect(p.status.phase).toBe('Analyzing');
    expect(p.measure?.metrics[0]!.query).toBe(`rate(x{color="green",rev="${rev(V2)}"}[1m])`);
    expect(p.switched).toBeUndefined();
  });

  it('When a round passes but count is 2, Then it keeps analysing and wakes after intervalSeconds', () => {
    const p = plan(withTaken(observed(bgs(spec, status), world), 'Successful'));
    expect(p.status.analysis).toMatchObject({ phase: 'Running', rounds: 1, successful: 1 });
    expect(p.requeueAfterMs).toBe(10_000);
    expect(p.measure).toBeUndefined();
  });

  it('When the last round passes, Then it promotes green automatically', () => {
    const run = {
      stage: 'PrePromotion' as const,
      color: 'green' as const,
      revision: rev(V2),
      phase: 'Running' as const,
      startedAt: iso(readyAt),
      successful: 1,
      failed: 0,
      inconclusive: 0,
      rounds: 1,
      passedRounds: 1,
      lastRoundAt: iso(T0 - 10_000),
      measurements: [m('Successful', T0 - 10_000)],
    };
    const p = plan(withTaken(observed(bgs(spec, { ...status, analysis: run }), world), 'Successful'));
    expect(p.status.analysis?.phase).toBe('Successful');
    expect(p.switched).toEqual({ from: 'blue', to: 'green', reason: 'AutoPromotion' });
  });

  it.each([
    ['Failed', 'AnalysisFailed'],
    ['Inconclusive', 'AnalysisInconclusive'],
  ] as const)('When a measurement is %s, Then it is Degraded (%s) and never promotes', (phase, reason) => {
    const p = plan(withTaken(observed(bgs(spec, status), world), phase));
    expect(p.status.phase).toBe('Degraded');
    expect(p.status.conditions?.find((c) => c.type === 'Degraded')).toMatchObject({ status: 'True', reason });
    expect(p.switched).toBeUndefined();
    expect(p.waves.flat().filter((a) => a.kind !== 'applyService' || a.role !== 'color')).toEqual([]);
    expect(p.events.map((e) => e.reason)).toContain(reason);
  });

  it('When measurements of an older revision arrive, Then they are ignored (template changed mid-analysis)', () => {
    const obs = observed(bgs(spec, status), world);
    const p = plan({
      ...obs,
      measurements: { stage: 'PrePromotion', color: 'green', revision: 'older', measurements: [m('Failed')] },
    });
    expect(p.status.phase).toBe('Analyzing');
    expect(p.status.analysis).toMatchObject({ revision: rev(V2), failed: 0 });
  });
});

describe('Given green was just promoted to v2 with a post-promotion analysis', () => {
  const switched = T0 - 5_000;
  const postRun = (phase: 'Running'): BlueGreenServiceStatus['analysis'] => ({
    stage: 'PostPromotion',
    color: 'green',
    revision: rev(V2),
    phase,
    startedAt: iso(switched),
    successful: 0,
    failed: 0,
    inconclusive: 0,
    rounds: 0,
    measurements: [],
  });
  const status: BlueGreenServiceStatus = {
    activeColor: 'green',
    previousColor: 'blue',
    lastSwitchTime: iso(switched),
    lastSwitchReason: 'AutoPromotion',
    analysis: postRun('Running'),
  };
  const spec = {
    template: template(V2),
    scaleDownDelaySeconds: 0,
    analysis: { prometheus, postPromotion: { count: 1, metrics: [metric] } },
  };
  const world = {
    blue: { image: V1, replicas: 3 },
    green: { image: V2, replicas: 3 },
    active: 'green' as const,
    preview: 'green' as const,
  };
  const taken = (phase: Measurement['phase']) => ({
    stage: 'PostPromotion' as const,
    color: 'green' as const,
    revision: rev(V2),
    measurements: [m(phase)],
  });

  it('When the analysis is still running, Then blue is kept even with scaleDownDelaySeconds 0', () => {
    const p = plan(observed(bgs(spec, status), world));
    expect(p.status.phase).toBe('Verifying');
    expect(p.waves.flat().filter((a) => a.kind === 'scaleDeployment')).toEqual([]);
  });

  it('When it fails and the operator decides, Then it rolls back to blue and remembers the aborted revision', () => {
    const p = plan({ ...observed(bgs(spec, status), world), measurements: taken('Failed') });
    expect(p.switched).toEqual({ from: 'green', to: 'blue', reason: 'AutoRollback' });
    expect(p.status).toMatchObject({ phase: 'Degraded', abortedRevision: rev(V2), activeColor: 'blue' });
  });

  it('When it fails but the user pinned activeColor green, Then it reports and does not override spec', () => {
    const p = plan({
      ...observed(bgs({ ...spec, activeColor: 'green' }, status), world),
      measurements: taken('Failed'),
    });
    expect(p.switched).toBeUndefined();
    expect(p.status.conditions?.find((c) => c.type === 'Degraded')?.reason).toBe('PostPromotionAnalysisFailed');
  });

  it('When it fails while blue runs the same revision (the user switched between two colours of v2; found by the simulation: it "rolled back" to blue), Then nothing switches and it reports', () => {
    const p = plan({
      ...observed(bgs(spec, status), { ...world, blue: { image: V2, replicas: 3 } }),
      measurements: taken('Failed'),
    });
    expect(p.switched).toBeUndefined();
    expect(p.status.conditions?.find((c) => c.type === 'Degraded')?.reason).toBe('PostPromotionAnalysisFailed');
  });

  it('When it passes, Then blue is scaled down (delay 0)', () => {
    const p = plan({ ...observed(bgs(spec, status), world), measurements: taken('Successful') });
    expect(p.waves.flat()).toContainEqual({ kind: 'scaleDeployment', color: 'blue', name: 'orders-blue', replicas: 0 });
    expect(p.status.phase).toBe('Healthy');
  });

  it('After an automatic rollback, Then the same template is not released again', () => {
    const rolledBack: BlueGreenServiceStatus = {
      activeColor: 'blue',
      previousColor: 'green',
      lastSwitchTime: iso(T0),
      abortedRevision: rev(V2),
    };
    const p = plan(observed(bgs(spec, rolledBack), { ...world, active: 'blue' }));
    expect(p.status.phase).toBe('Degraded');
    expect(p.waves.flat().filter((a) => a.kind === 'applyDeployment')).toEqual([]);
    expect(p.switched).toBeUndefined();
  });
});

describe('Given green serves v2 and blue still runs v1 after a switch', () => {
  const world = {
    blue: { image: V1, replicas: 3 },
    green: { image: V2, replicas: 3 },
    active: 'green' as const,
    preview: 'green' as const,
  };
  const at = (ms: number): BlueGreenServiceStatus => ({
    activeColor: 'green',
    previousColor: 'blue',
    lastSwitchTime: iso(ms),
    lastSwitchReason: 'ManualPromotion',
  });

  it('When the user sets activeColor back to blue, Then traffic switches back at once (manual rollback)', () => {
    const p = plan(observed(bgs({ template: template(V2), activeColor: 'blue' }, at(T0 - 1_000)), world));
    expect(p.switched).toEqual({ from: 'green', to: 'blue', reason: 'ManualRollback' });
  });

  it.each([
    [10_000, false, 20_000],
    [30_000, true, undefined],
  ])('When %i ms passed of a 30 s scale-down delay, Then scaled down: %s', (elapsed, scaled, requeue) => {
    const p = plan(observed(bgs({ template: template(V2) }, at(T0 - elapsed)), world));
    expect(p.waves.flat().some((a) => a.kind === 'scaleDeployment' && a.color === 'blue' && a.replicas === 0)).toBe(
      scaled,
    );
    expect(p.requeueAfterMs).toBe(requeue);
  });

  it('When the operator restarted between the switch and the status write, Then blue keeps its full delay', () => {
    const lagging: BlueGreenServiceStatus = { activeColor: 'blue', lastSwitchTime: iso(T0 - 3_600_000) };
    const p = plan(observed(bgs({ template: template(V2) }, lagging), world));
    expect(p.waves.flat().filter((a) => a.kind === 'scaleDeployment')).toEqual([]);
    expect(p.status).toMatchObject({ activeColor: 'green', lastSwitchTime: iso(T0) });
  });
});

describe('Given bad input', () => {
  it.each([
    [{ activeColor: 'purple' as never }, 'spec.activeColor'],
    [{ template: { spec: { containers: [] } } }, 'spec.template.spec.containers'],
    [{ analysis: { prePromotion: { metrics: [metric] } } }, 'spec.analysis.prometheus.address'],
    [
      { analysis: { prometheus, prePromotion: { metrics: [{ ...metric, query: 'x{c="{{colour}}"}' }] } } },
      'spec.analysis.prePromotion.metrics[0].query',
    ],
  ])('When spec has %j, Then nothing changes and the condition names %s', (spec, field) => {
    const p = plan(observed(bgs(spec), { blue: { image: V1, replicas: 3 }, active: 'blue' }));
    expect(p.waves.flat()).toEqual([]);
    expect(p.status.phase).toBe('Invalid');
    expect(p.status.conditions?.find((c) => c.type === 'SpecValid')).toMatchObject({
      status: 'False',
      reason: 'InvalidSpec',
    });
    expect(p.status.message).toContain(field);
  });

  it('When the Service is controlled by another object, Then it is a conflict and nothing changes', () => {
    const b = bgs();
    const foreign = desiredActiveService(b, 'blue');
    foreign.metadata!.ownerReferences = [
      { apiVersion: 'apps/v1', kind: 'Deployment', name: 'other', uid: 'x', controller: true },
    ];
    const p = plan(observed(b, { blue: { image: V1, replicas: 3 }, activeService: foreign }));
    expect(p.waves.flat()).toEqual([]);
    expect(p.status.conditions?.find((c) => c.type === 'SpecValid')?.reason).toBe('ServiceConflict');
  });

  it('When an unowned Service exists, Then only its selector is taken over once blue is ready', () => {
    const b = bgs();
    const existing = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'orders', namespace: 'shop' },
      spec: { selector: { app: 'orders' }, ports: [{ port: 80 }] },
    };
    const p = plan(observed(b, { blue: { image: V1, replicas: 3 }, activeService: existing }));
    expect(p.waves.flat()).toContainEqual(
      expect.objectContaining({ kind: 'patchServiceSelector', role: 'active', removeKeys: ['app'], switchTo: 'blue' }),
    );
  });
});

describe('Given any planned state', () => {
  it('When planned again on its own status, Then the status is identical (no write in steady state)', () => {
    const world = { blue: { image: V1, replicas: 3 }, active: 'blue' as const, preview: 'blue' as const };
    const first = plan(observed(bgs({}, { activeColor: 'blue', lastSwitchTime: iso(T0 - 60_000) }), world));
    const second = plan(observed(bgs({}, first.status), { ...world, now: T0 + 60_000 }));
    expect(second.status).toEqual(first.status);
    expect(second.waves.flat()).toEqual([]);
  });
});

describe('Given green holds the v2 release and blue was just re-selected by the user', () => {
  it('Then the preview Service stays on green (no flip-flop of the preview)', () => {
    const world = {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 3 },
      active: 'green' as const,
      preview: 'green' as const,
    };
    const p = plan(
      observed(
        bgs({ template: template(V2), activeColor: 'blue' }, { activeColor: 'green', lastSwitchTime: iso(T0 - 1_000) }),
        world,
      ),
    );
    expect(p.switched?.reason).toBe('ManualRollback');
    expect(p.waves.flat().filter((a) => a.kind === 'applyService' && a.role === 'preview')).toEqual([]);
    expect(p.status.previewColor).toBe('green');
    // The next reconcile continues that release instead of announcing it again.
    const next = plan(
      observed(bgs({ template: template(V2), activeColor: 'blue' }, p.status), {
        ...world,
        active: 'blue',
        now: T0 + 1_000,
      }),
    );
    expect(next.events.map((e) => e.reason)).toEqual([]);
    expect(next.status.phase).toBe('AwaitingPromotion');
  });
});

describe('Given the same revision released again after an earlier, passed analysis', () => {
  it('Then the new release is analysed afresh instead of reusing the old verdict', () => {
    const readyAt = T0 - 1_000;
    const old = {
      stage: 'PrePromotion' as const,
      color: 'green' as const,
      revision: rev(V2),
      phase: 'Successful' as const,
      startedAt: iso(T0 - 3_600_000),
      successful: 2,
      failed: 0,
      inconclusive: 0,
      rounds: 2,
      measurements: [],
    };
    const status: BlueGreenServiceStatus = {
      activeColor: 'blue',
      lastSwitchTime: iso(T0 - 7_200_000),
      analysis: old,
      release: { revision: rev(V2), color: 'green', startedAt: iso(T0 - 30_000), readyAt: iso(readyAt) },
    };
    const spec = {
      template: template(V2),
      promotion: { auto: true },
      analysis: { prometheus, prePromotion: { intervalSeconds: 10, count: 2, metrics: [metric] } },
    };
    const p = plan(
      observed(bgs(spec, status), {
        blue: { image: V1, replicas: 3 },
        green: { image: V2, replicas: 3 },
        active: 'blue',
        preview: 'green',
      }),
    );
    expect(p.status.analysis).toMatchObject({ phase: 'Running', rounds: 0, startedAt: iso(readyAt) });
    expect(p.measure).toBeDefined();
    expect(p.switched).toBeUndefined();
  });
});
