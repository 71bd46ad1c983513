// Canary steps, replica-weighted (docs/adr/0012): the rows only this router has (the active
// Service on both colours, its share of ready endpoints, narrowing only onto a colour that can
// take the traffic back). The rules every router shares run once per router in
// canary-routers.test.ts. Blue serves v1 (3 pods); the release v2 goes to green.
import { describe, expect, it } from 'vitest';
import type { BlueGreenServiceSpec, BlueGreenServiceStatus, CanaryStatus } from '../api/types.ts';
import {
  bgs,
  iso,
  observed,
  rev,
  summary,
  T0,
  template,
  type World,
  measuringCanary,
  runningCanaryRun,
} from './fixtures.ts';
import { plan } from './plan.ts';

const V1 = 'orders:v1';
const V2 = 'orders:v2';
const metric = { name: 'errors', query: 'x{color="{{color}}"}', max: 0.01 };
const canary: BlueGreenServiceSpec['canary'] = {
  steps: [
    { setWeight: 10, pause: { seconds: 60 } },
    { setWeight: 50, analysis: { intervalSeconds: 10, count: 1, metrics: [metric] } },
  ],
};
const v2 = { template: template(V2), canary, analysis: { prometheus: { address: 'http://prom:9090' } } };
const release = { revision: rev(V2), color: 'green' as const, startedAt: iso(T0 - 120_000), readyAt: iso(T0 - 90_000) };
const stable: BlueGreenServiceStatus = {
  activeColor: 'blue',
  lastSwitchTime: iso(T0 - 3_600_000),
  lastSwitchReason: 'InitialDeploy',
  release,
};
const at = (index: number, canaryReplicas: number, reachedMs?: number): CanaryStatus => ({
  revision: rev(V2),
  color: 'green',
  currentStepIndex: index,
  weight: index === 0 ? 10 : 50,
  canaryReplicas,
  stableReplicas: 3,
  achievedShare: 0,
  ...(reachedMs !== undefined ? { stepReachedAt: iso(reachedMs) } : {}),
});
const blue = { image: V1, replicas: 3 };

interface Row {
  name: string;
  spec?: Partial<BlueGreenServiceSpec>;
  status?: BlueGreenServiceStatus;
  world: World;
  waves: string[];
  phase: string;
  step?: number;
}

describe('canary: steps', () => {
  const rows: Row[] = [
    {
      name: 'the pause ran out while the canary had no ready pod (issue 18 item 13, reproduced on the real node): the step does not complete, its clock restarts once the canary serves again',
      spec: v2,
      status: { ...stable, canary: at(0, 1, T0 - 60_000) },
      world: { blue, green: { image: V2, replicas: 1, ready: 0 }, active: 'both', preview: 'green' },
      waves: [],
      phase: 'Progressing',
      step: 0,
    },
  ];
  it.each(rows)('$name', (row) => {
    const p = plan(observed(bgs(row.spec, row.status), row.world));
    expect(summary(p)).toEqual(row.waves);
    expect(p.status.phase).toBe(row.phase);
    expect(p.status.canary?.currentStepIndex).toBe(row.step);
  });

  it('records the replica split and the share the ready endpoints achieve', () => {
    const p = plan(
      observed(bgs(v2, { ...stable, canary: at(0, 1) }), {
        blue,
        green: { image: V2, replicas: 1 },
        active: 'blue',
        preview: 'green',
      }),
    );
    expect(p.status.canary).toMatchObject({ weight: 10, canaryReplicas: 1, stableReplicas: 3, achievedShare: 25 });
    expect(p.status.canary?.stepReachedAt).toBe(iso(T0));
  });

  it('the active Service deleted at an unreached step (contract oracle, seed 777001: it came back on both colours, then flapped): it is re-created on the stable colour alone, and the step waits', () => {
    const p = plan(
      observed(bgs(v2, { ...stable, canary: at(0, 1) }), { blue, green: { image: V2, replicas: 1 }, preview: 'green' }),
    );
    expect(summary(p)).toEqual(['active -> blue']);
    expect(p.status.canary?.stepReachedAt).toBeUndefined();
  });

  it('the decision before the act (contract oracle, seed 777002: a widening whose status write was lost was narrowed as a stranger canary, then widened again): the pass that finds the preview ready records it and widens nothing', () => {
    const { readyAt: _, ...unready } = release;
    const one = { image: V1, replicas: 1 };
    const world: World = { blue: one, green: { image: V2, replicas: 1 }, active: 'blue', preview: 'green' };
    const p = plan(observed(bgs({ ...v2, replicas: 1 }, { ...stable, release: unready }), world));
    expect(summary(p)).not.toContain('active -> both');
    expect(p.status.release?.readyAt).toBe(iso(T0));
    expect(summary(plan(observed(bgs({ ...v2, replicas: 1 }, p.status), world)))).toEqual(['active -> both']);
  });

  it('a canary resumed after status was wiped, its release re-recorded without readiness (contract oracle, seed 990022: it waited for ever), records the readiness and goes on', () => {
    const { readyAt: _, ...unready } = release;
    const one = { image: V1, replicas: 1 };
    const world: World = { blue: one, green: { image: V2, replicas: 1 }, active: 'both', preview: 'green' };
    const p = plan(observed(bgs({ ...v2, replicas: 1 }, { ...stable, release: unready, canary: at(1, 1) }), world));
    expect(p.status.release?.readyAt).toBe(iso(T0));
    const next = plan(observed(bgs({ ...v2, replicas: 1 }, p.status), world));
    expect(next.status.canary?.stepReachedAt).toBe(iso(T0));
  });

  it('the preview Service deleted while the canary colour lost its only ready pod (found by the soak: a step re-created it towards that colour): it is re-created only once green can serve', () => {
    const b = bgs(v2, { ...stable, canary: at(0, 1, T0 - 10_000) });
    const p = plan(observed(b, { blue, green: { image: V2, replicas: 1, ready: 0 }, active: 'both' }));
    expect(summary(p).join(' ')).not.toContain('preview');
    const ready = plan(observed(b, { blue, green: { image: V2, replicas: 1 }, active: 'both' }));
    expect(summary(ready)).toContain('preview -> green');
  });

  it('asks for no measurement in the pass that widens the selector (no canary traffic yet)', () => {
    const p = plan(
      observed(bgs(v2, { ...stable, canary: at(1, 3) }), {
        blue,
        green: { image: V2, replicas: 3 },
        active: 'both',
        preview: 'green',
      }),
    );
    expect(p.measure).toBeUndefined();
    expect(p.requeueAfterMs).toBe(0);
    const next = plan(
      observed(bgs(v2, p.status), { blue, green: { image: V2, replicas: 3 }, active: 'both', preview: 'green' }),
    );
    expect(next.measure).toMatchObject({ stage: 'Canary', color: 'green', revision: rev(V2) });
  });
});

describe('canary: abort', () => {
  const failedRun = (reachedMs: number) => runningCanaryRun(V2, reachedMs);
  const measuring = measuringCanary(V2);

  it('a failed step analysis while the active Service is deleted re-creates it on blue alone (soak seed 20261207)', () => {
    const reached = T0 - 20_000;
    const b = bgs(v2, { ...stable, canary: at(1, 3, reached), analysis: failedRun(reached) });
    const obs = observed(b, { blue, green: { image: V2, replicas: 3 }, preview: 'green' });
    const p = plan({
      ...obs,
      measurements: { ...measuring, measurements: [{ metric: 'errors', phase: 'Failed', value: 0.3, at: iso(T0) }] },
    });
    expect(summary(p)).toEqual(['active -> blue (aborted)']);
    expect(p.status.canary).toMatchObject({ aborted: true });
  });

  it('an abort while blue has no ready pod (its Deployment re-created) keeps both colours until blue can serve', () => {
    const reached = T0 - 20_000;
    const b = bgs({ ...v2, activeColor: 'blue' }, { ...stable, canary: at(0, 1, reached) });
    const p = plan(
      observed(b, { blue: { ...blue, ready: 0 }, green: { image: V2, replicas: 1 }, active: 'both', preview: 'green' }),
    );
    // The selector stays on both colours; only the verdict is written onto the Service.
    expect(summary(p).filter((w) => w.startsWith('active'))).toEqual(['active -> both (aborted)']);
    expect(p.status).toMatchObject({ phase: 'Degraded', abortedRevision: rev(V2) });
    expect(p.status.message).toContain('waiting for a ready pod of blue');
  });
});

describe('canary: a narrowing that is no abort moves all traffic (issue 18 item 6; contract oracle, seed 990054)', () => {
  const reached = { ...stable, canary: at(0, 1, T0 - 20_000) };
  const degradedBlue = { ...blue, ready: 1 };
  it.each([
    ['a newer template mid-canary', template('orders:v3')],
    ['the template set back to the stable revision', template(V1)],
  ])('%s while blue has 1 of 3 ready pods: both colours stay selected until blue can take all traffic', (_n, t) => {
    const p = plan(
      observed(bgs({ ...v2, template: t }, reached), {
        blue: degradedBlue,
        green: { image: V2, replicas: 1 },
        active: 'both',
        preview: 'green',
      }),
    );
    expect(summary(p).join(' ')).not.toContain('active -> blue');
  });

  it('an abort (failed step, or the pin) still narrows onto one ready stable pod', () => {
    const p = plan(
      observed(bgs({ ...v2, activeColor: 'blue' }, reached), {
        blue: degradedBlue,
        green: { image: V2, replicas: 1 },
        active: 'both',
        preview: 'green',
      }),
    );
    expect(summary(p).join(' ')).toContain('active -> blue (aborted)');
  });
});

describe('canary: no spec.canary', () => {
  it('the release is promoted as before, the Service never selects both colours', () => {
    const b = bgs({ template: template(V2), promotion: { auto: true } }, stable);
    const p = plan(observed(b, { blue, green: { image: V2, replicas: 3 }, active: 'blue', preview: 'green' }));
    expect(summary(p)).toEqual(['active -> green']);
    expect(p.status.canary).toBeUndefined();
  });

  it('spec.canary removed mid-canary, the Service already narrowed (contract oracle, seed 990044: it narrowed "again" every pass, for ever): the canary record ends and the release goes on as blue-green', () => {
    const b = bgs({ template: template(V2) }, { ...stable, canary: at(0, 1, T0 - 30_000) });
    const world: World = { blue, green: { image: V2, replicas: 1 }, active: 'blue', preview: 'green' };
    const p = plan(observed(b, world));
    expect(p.status.canary).toBeUndefined();
    expect(plan(observed(bgs({ template: template(V2) }, p.status), world)).status.message).not.toContain(
      'spec.canary was removed',
    );
  });
});

describe('canary: the pods of the canary colour gone (review of the restart rule)', () => {
  const ready = { ...stable, release: { ...release, readyAt: iso(T0 - 90_000) } };

  it('spec.activeColor pinned to blue while green was scaled to 0: the stop is recorded as an abort, green stays at 0', () => {
    const b = bgs({ ...v2, activeColor: 'blue' }, { ...ready, canary: at(0, 1, T0 - 10_000) });
    const p = plan(observed(b, { blue, green: { image: V2, replicas: 0 }, active: 'both', preview: 'green' }));
    expect(p.status.abortedRevision).toBe(rev(V2));
    expect(p.status.canary).toMatchObject({ aborted: true });
    expect(summary(p).join(' ')).not.toContain('scale green x1');
  });

  it('spec.activeColor set to green after its Deployment was deleted: green is re-created, the old steps are not carried over', () => {
    const b = bgs({ ...v2, activeColor: 'green' }, { ...ready, canary: at(2, 3, T0 - 10_000) });
    const p = plan(observed(b, { blue, active: 'blue', preview: 'green' }));
    expect(summary(p).join(' ')).toContain('apply green');
    expect(p.status.canary).toBeUndefined();
  });

  it('both colours selected for a release that never found green ready (restarted): narrowed, not resumed on the new pods', () => {
    const restarted = {
      ...stable,
      release: { revision: rev(V2), color: 'green' as const, startedAt: iso(T0 - 5_000) },
    };
    const p = plan(
      observed(bgs(v2, restarted), { blue, green: { image: V2, replicas: 1 }, active: 'both', preview: 'green' }),
    );
    expect(summary(p)[0]).toBe('active -> blue');
    expect(p.status.canary).toBeUndefined();
  });
});
