// Regression rows for what the safety simulation (test/sim) and the safety issue found: each
// row failed before its fix. Fixtures are frozen, so a planner that mutates its input fails too.
import { describe, expect, it } from 'vitest';
import { deepFreeze } from '../runtime/store.ts';
import type { BlueGreenServiceStatus } from '../api/types.ts';
import { bgs, iso, observed, rev, T0, template, type World } from './fixtures.ts';
import { desiredActiveService, desiredPreviewService } from './desired.ts';
import { plan } from './plan.ts';
import type { Action, Observed, Plan } from './types.ts';

const V1 = 'orders:v1';
const V2 = 'orders:v2';
const metric = { name: 'errors', query: 'rate(x{color="{{color}}"}[1m])', max: 0.01 };
const prometheus = { address: 'http://prom:9090' };

function line(a: Action): string {
  switch (a.kind) {
    case 'applyDeployment':
      return `apply ${a.color} ${a.object.spec!.template.spec!.containers[0]!.image}`;
    case 'scaleDeployment':
      return `scale ${a.color} x${a.replicas}`;
    case 'adoptDeployment':
      return `adopt ${a.color}`;
    case 'keepTemplate':
    case 'dropTemplate':
      return a.kind; // kept copies: their own rows in plan-kept-template.test.ts
    case 'applyService':
      return `${a.role} -> ${a.object.spec!.selector!['bluegreen.dev/color']}`;
    case 'patchServiceSelector':
      return `${a.role} -> ${a.selector['bluegreen.dev/color']}`;
    case 'setRouteWeights':
      return `route ${a.name} ${a.canaryWeight}%`;
  }
}
/** The writes that touch Deployments and Services (kept template copies have their own table). */
const objectWrites = (p: Plan) =>
  p.waves
    .flat()
    .filter((a) => a.kind !== 'keepTemplate' && a.kind !== 'dropTemplate')
    .map(line);
const writes = (o: Observed) => objectWrites(plan(deepFreeze(o)));

/** v2 with auto-promotion after a one-round pre-promotion analysis. */
const autoWithPre = {
  template: template(V2),
  promotion: { auto: true },
  analysis: { prometheus, prePromotion: { count: 1, metrics: [metric] } },
};

/** A concluded one-round pre-promotion run of green at v2, as status records it. */
function preRun(phase: 'Successful' | 'Failed', startedMs: number): NonNullable<BlueGreenServiceStatus['analysis']> {
  const passed = phase === 'Successful' ? 1 : 0;
  return {
    stage: 'PrePromotion',
    color: 'green',
    revision: rev(V2),
    phase,
    startedAt: iso(startedMs),
    successful: passed,
    failed: 1 - passed,
    inconclusive: 0,
    rounds: 1,
    passedRounds: passed,
    measurements: [],
  };
}

/** Green (v2) promoted 60 s ago; blue (v1) still runs for the rollback window. */
const promotedGreen: BlueGreenServiceStatus = {
  activeColor: 'green',
  previousColor: 'blue',
  lastSwitchTime: iso(T0 - 60_000),
  lastSwitchReason: 'AutoPromotion',
  colors: {
    green: { revision: rev(V2), images: [V2], replicas: 3, readyEndpoints: 3 },
    blue: { revision: rev(V1), images: [V1], replicas: 3, readyEndpoints: 3 },
  },
};
const afterPromotion = (greenReady: number): World => ({
  blue: { image: V1, replicas: 3 },
  green: { image: V2, replicas: 3, ready: greenReady },
  active: 'green',
  preview: 'green',
});

describe('Given the live colour loses ready endpoints after a promotion (safety item 1)', () => {
  it('When the previous colour still runs and activeColor is unset, Then traffic goes back and the revision is aborted', () => {
    const o = observed(bgs({ template: template(V2), scaleDownDelaySeconds: 20 }, promotedGreen), afterPromotion(1));
    const p = plan(deepFreeze(o));
    expect(objectWrites(p)).toEqual(['active -> blue']);
    expect(p.switched?.reason).toBe('AutoRollback');
    expect(p.status.abortedRevision).toBe(rev(V2));
    expect(p.status.conditions?.find((c) => c.type === 'Degraded')?.reason).toBe('ActiveUnavailable');
  });

  it('When the user pinned the live colour, Then the selector stays, blue is kept and status says Degraded', () => {
    const o = observed(
      bgs({ template: template(V2), scaleDownDelaySeconds: 20, activeColor: 'green' }, promotedGreen),
      afterPromotion(1),
    );
    expect(writes(o)).toEqual([]);
    expect(plan(o).status.phase).toBe('Degraded');
  });

  it('When green is merely scaling up (no drop), Then blue is not scaled down yet and nothing is degraded', () => {
    const status = {
      ...promotedGreen,
      colors: { ...promotedGreen.colors, green: { ...promotedGreen.colors!.green!, readyEndpoints: 2 } },
    };
    const o = observed(bgs({ template: template(V2), scaleDownDelaySeconds: 20 }, status), afterPromotion(2));
    expect(writes(o)).toEqual([]);
    expect(plan(o).status.phase).toBe('Healthy');
  });
});

describe('Given the active Service is deleted while a release awaits promotion (safety item 2)', () => {
  const status: BlueGreenServiceStatus = {
    activeColor: 'blue',
    lastSwitchTime: iso(T0 - 3_600_000),
    lastSwitchReason: 'InitialDeploy',
    release: { revision: rev(V2), color: 'green', startedAt: iso(T0 - 60_000), readyAt: iso(T0 - 30_000) },
  };
  it('Then the live blue keeps its template and the Service is re-created for blue', () => {
    const o = observed(bgs({ template: template(V2), previewReplicas: 1 }, status), {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 1 },
      preview: 'green',
    });
    const p = plan(deepFreeze(o));
    expect(objectWrites(p)).toEqual(['active -> blue']);
    expect(p.status.phase).toBe('AwaitingPromotion');
  });

  it('Then, while blue is not ready, nothing points traffic anywhere and blue is not rewritten', () => {
    const o = observed(bgs({ template: template(V2), previewReplicas: 1 }, status), {
      blue: { image: V1, replicas: 3, ready: 1 },
      green: { image: V2, replicas: 1 },
      preview: 'green',
    });
    expect(writes(o)).toEqual([]);
  });
});

describe('Given two BlueGreenServices name one Service nobody controls (safety item 4)', () => {
  it('Then the second one finds it adopted by the first: Invalid, and it writes nothing', () => {
    const shop = observed(bgs({ service: { name: 'shop', ports: [{ port: 80 }] } }), {
      blue: { image: V1, replicas: 3 },
    });
    const adopted = {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'shop', namespace: 'shop', labels: { 'bluegreen.dev/service': 'cart' } },
      spec: { selector: { 'bluegreen.dev/service': 'cart', 'bluegreen.dev/color': 'green' } },
    };
    const p = plan(deepFreeze({ ...shop, activeService: adopted }));
    expect(p.waves).toEqual([]);
    expect(p.status.phase).toBe('Invalid');
    expect(p.status.message).toContain('Service shop serves BlueGreenService cart');
  });
});

describe('Given a plan with a switch, Then traffic moves only after the writes it depends on', () => {
  it('When the target colour Service is missing, it is written in a wave before the active Service', () => {
    const o = observed(bgs({ template: template(V2), activeColor: 'green' }, { activeColor: 'blue' }), {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 3 },
      active: 'blue',
      preview: 'green',
    });
    const p = plan(deepFreeze({ ...o, colorServices: { blue: o.colorServices.blue! } }));
    expect(p.waves.map((w) => w.map((a) => (a.kind === 'applyService' ? a.role : a.kind)))).toEqual([
      ['color'],
      ['active'],
    ]);
  });
});

describe('Given the operator died between an automatic rollback and its status write (safety item 5)', () => {
  it('Then the aborted revision is read back from the active Service and not released again', () => {
    const o = observed(bgs({ template: template(V2), promotion: { auto: true } }, promotedGreen), {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 3 },
    });
    const active = desiredActiveService(bgs({ template: template(V2) }), 'blue', rev(V2));
    const p = plan(deepFreeze({ ...o, activeService: active, previewService: desiredPreviewService(bgs(), 'green') }));
    expect(objectWrites(p)).toEqual([]);
    expect(p.status.abortedRevision).toBe(rev(V2));
    expect(p.status.phase).toBe('Degraded');
    expect(p.switched).toBeUndefined();
  });
});

describe('Given an automatic rollback (safety item 10)', () => {
  const rolledBack: BlueGreenServiceStatus = {
    activeColor: 'blue',
    previousColor: 'green',
    lastSwitchTime: iso(T0 - 60_000),
    lastSwitchReason: 'AutoRollback',
    abortedRevision: rev(V2),
  };
  const world: World = {
    blue: { image: V1, replicas: 3 },
    green: { image: V2, replicas: 3 },
    activeService: desiredActiveService(bgs({ template: template(V2) }), 'blue', rev(V2)),
    preview: 'green',
  };
  it('When scaleDownDelaySeconds has passed, Then the failed colour is scaled to 0 and the preview follows blue', () => {
    const o = observed(bgs({ template: template(V2), scaleDownDelaySeconds: 30 }, rolledBack), world);
    expect(writes(o)).toEqual(['scale green x0', 'preview -> blue']);
  });
  it('When it has not, Then the failed colour stays up for inspection', () => {
    const o = observed(bgs({ template: template(V2), scaleDownDelaySeconds: 300 }, rolledBack), world);
    expect(writes(o)).toEqual([]);
  });
});

describe('Given a new template while the live revision is still verified (safety item 9)', () => {
  const V3 = 'orders:v3';
  const verifying: BlueGreenServiceStatus = {
    ...promotedGreen,
    analysis: {
      stage: 'PostPromotion',
      color: 'green',
      revision: rev(V2),
      phase: 'Running',
      startedAt: iso(T0 - 60_000),
      successful: 1,
      failed: 0,
      inconclusive: 0,
      rounds: 1,
      passedRounds: 1,
      lastRoundAt: iso(T0 - 5_000),
      measurements: [],
    },
  };
  const post = {
    analysis: {
      prometheus: { address: 'http://prometheus:9090' },
      postPromotion: { count: 3, intervalSeconds: 10, metrics: [{ name: 'e', query: 'up', max: 1 }] },
    },
  };
  it('Then blue (the rollback target) is kept as it is and the verification goes on', () => {
    const o = observed(bgs({ template: template(V3), ...post }, verifying), afterPromotion(3));
    const p = plan(deepFreeze(o));
    expect(objectWrites(p)).toEqual([]);
    expect(p.status.phase).toBe('Verifying');
    expect(p.status.message).toContain(`revision ${rev(V3)} is released after it`);
    expect(p.status.analysis?.revision).toBe(rev(V2));
  });
});

describe('Given a new template and activeColor set to the preview in one apply (safety item 6)', () => {
  it('Then the older preview is not switched to as a rollback: it gets the newest template first', () => {
    const V3 = 'orders:v3';
    const status: BlueGreenServiceStatus = {
      activeColor: 'blue',
      lastSwitchTime: iso(T0 - 3_600_000),
      lastSwitchReason: 'InitialDeploy',
      release: { revision: rev(V2), color: 'green', startedAt: iso(T0 - 60_000), readyAt: iso(T0 - 30_000) },
    };
    const o = observed(bgs({ template: template(V3), activeColor: 'green' }, status), {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 3 },
      active: 'blue',
      preview: 'green',
    });
    const p = plan(deepFreeze(o));
    expect(objectWrites(p)).toEqual(['apply green orders:v3']);
    expect(p.switched).toBeUndefined();
    expect(p.status.phase).toBe('Promoting');
  });
});

describe('Given a manual promotion made after progressDeadlineSeconds (safety item 11)', () => {
  it('Then the scale-up of the target is not Degraded: the deadline counts from the promotion', () => {
    const status: BlueGreenServiceStatus = {
      activeColor: 'blue',
      lastSwitchTime: iso(T0 - 3_600_000),
      release: { revision: rev(V2), color: 'green', startedAt: iso(T0 - 3_600_000), readyAt: iso(T0 - 3_500_000) },
    };
    const o = observed(
      bgs({ template: template(V2), previewReplicas: 1, activeColor: 'green', progressDeadlineSeconds: 600 }, status),
      {
        blue: { image: V1, replicas: 3 },
        green: { image: V2, replicas: 1 },
        active: 'blue',
        preview: 'green',
      },
    );
    const p = plan(deepFreeze(o));
    expect(objectWrites(p)).toEqual(['scale green x3']);
    expect(p.status.phase).toBe('Promoting');
    expect(p.status.release?.promotingSince).toBe(iso(T0));
  });
});

describe('Given someone ran kubectl set image on a colour (safety item 12)', () => {
  const steady: BlueGreenServiceStatus = { activeColor: 'blue', lastSwitchTime: iso(T0 - 3_600_000) };
  const edited = (o: Observed, color: 'blue' | 'green'): Observed => {
    const dep = structuredClone(o.colors[color].deployment!);
    dep.spec!.template.spec!.containers[0]!.image = 'orders:edited';
    return { ...o, colors: { ...o.colors, [color]: { ...o.colors[color], deployment: dep } } };
  };
  it('When it is the live colour in the steady state, Then its template is repaired', () => {
    const o = observed(bgs({}, steady), { blue: { image: V1, replicas: 3 }, active: 'blue', preview: 'blue' });
    expect(writes(edited(o, 'blue'))).toEqual(['apply blue orders:v1']);
  });
  it('When it is the preview of a release, Then it is not promoted: it is redeployed first', () => {
    const status = {
      ...steady,
      release: { revision: rev(V2), color: 'green' as const, startedAt: iso(T0 - 60_000), readyAt: iso(T0 - 30_000) },
    };
    const o = observed(bgs({ template: template(V2), activeColor: 'green' }, status), {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 3 },
      active: 'blue',
      preview: 'green',
    });
    const p = plan(deepFreeze(edited(o, 'green')));
    expect(p.switched).toBeUndefined();
    expect(objectWrites(p)).toContain('apply green orders:v2');
  });
});

describe('Given an automatic rollback moved the preview off the failed colour (soak seed 20261203)', () => {
  it('When the failed colour recovers inside the scale-down window, Then the preview does not move back to it', () => {
    const aborted: BlueGreenServiceStatus = {
      activeColor: 'blue',
      previousColor: 'green',
      lastSwitchTime: iso(T0 - 5_000),
      lastSwitchReason: 'AutoRollback',
      abortedRevision: rev(V2),
    };
    const b = bgs({ template: template(V2), scaleDownDelaySeconds: 30 }, aborted);
    const o = observed(b, {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 3 },
      activeService: desiredActiveService(b, 'blue', rev(V2)),
      preview: 'blue',
    });
    const p = plan(deepFreeze(o));
    expect(objectWrites(p)).toEqual([]);
    expect(p.status.phase).toBe('Degraded');
  });
});

describe('Given a rolled-back revision whose colour waits to be scaled down (soak seed 20261204)', () => {
  it('When the live colour has lost its ready endpoints, Then the failed colour is not scaled to 0', () => {
    const aborted: BlueGreenServiceStatus = {
      activeColor: 'blue',
      previousColor: 'green',
      lastSwitchTime: iso(T0 - 60_000),
      lastSwitchReason: 'AutoRollback',
      abortedRevision: rev(V2),
    };
    const b = bgs({ template: template(V2), scaleDownDelaySeconds: 0 }, aborted);
    const o = observed(b, {
      blue: { image: V1, replicas: 3, ready: 0 },
      green: { image: V2, replicas: 3 },
      activeService: desiredActiveService(b, 'blue', rev(V2)),
      preview: 'blue',
    });
    expect(objectWrites(plan(deepFreeze(o)))).not.toContain('scale green x0');
  });
});

describe('Given a release abandoned by a revert whose status write was lost, then applied again (soak seed 20261214)', () => {
  it('Then the new pods are not promoted on the old pods’ verdict: the release starts over, in status first', () => {
    const passed: BlueGreenServiceStatus = {
      activeColor: 'blue',
      lastSwitchTime: iso(T0 - 3_600_000),
      // What status still says: the release of v2 had passed and was scaling green up for its switch...
      release: {
        revision: rev(V2),
        color: 'green',
        startedAt: iso(T0 - 60_000),
        readyAt: iso(T0 - 50_000),
        promotingSince: iso(T0 - 40_000),
      },
      analysis: preRun('Successful', T0 - 50_000),
    };
    // ...but the revert to v1 scaled green to 0 before that status write failed.
    const o = observed(bgs(autoWithPre, passed), {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 0 },
      active: 'blue',
      preview: 'blue',
    });
    const p = plan(deepFreeze(o));
    expect(objectWrites(p)).toEqual([]);
    expect(p.switched).toBeUndefined();
    expect(p.status.release).toEqual({ revision: rev(V2), color: 'green', startedAt: iso(T0) });
    expect(p.status.analysis).toBeUndefined();
  });
});

describe('Given the preview Deployment of a release that was found ready is deleted', () => {
  it('Then the release starts over (its verdict was for pods that are gone), in status before the Deployment is re-created', () => {
    const ready: BlueGreenServiceStatus = {
      activeColor: 'blue',
      lastSwitchTime: iso(T0 - 3_600_000),
      release: { revision: rev(V2), color: 'green', startedAt: iso(T0 - 60_000), readyAt: iso(T0 - 50_000) },
    };
    const spec = { template: template(V2), analysis: { prometheus, prePromotion: { count: 1, metrics: [metric] } } };
    const o = observed(bgs(spec, ready), { blue: { image: V1, replicas: 3 }, active: 'blue', preview: 'green' });
    const p = plan(deepFreeze(o));
    expect(objectWrites(p)).toEqual([]);
    expect(p.status.release).toEqual({ revision: rev(V2), color: 'green', startedAt: iso(T0) });
    // The next pass, with that status written, re-creates green.
    const next = plan(
      deepFreeze(observed(bgs(spec, p.status), { blue: { image: V1, replicas: 3 }, active: 'blue', preview: 'green' })),
    );
    expect(objectWrites(next)).toContain('apply green orders:v2');
  });
});

describe('Given a release whose preview pods went away, when a restart must not wipe what was decided (review of the restart rule)', () => {
  const ready = (extra: Partial<NonNullable<BlueGreenServiceStatus['release']>> = {}): BlueGreenServiceStatus => ({
    activeColor: 'blue',
    lastSwitchTime: iso(T0 - 3_600_000),
    release: { revision: rev(V2), color: 'green', startedAt: iso(T0 - 60_000), readyAt: iso(T0 - 50_000), ...extra },
  });

  it('When pre-promotion analysis had failed, Then the failed verdict and its release stand', () => {
    const failed: BlueGreenServiceStatus = {
      ...ready(),
      analysis: preRun('Failed', T0 - 50_000),
    };
    const o = observed(bgs(autoWithPre, failed), {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 0 },
      active: 'blue',
      preview: 'blue',
    });
    const p = plan(deepFreeze(o));
    expect(p.status.analysis?.phase).toBe('Failed');
    expect(p.status.release?.readyAt).toBe(iso(T0 - 50_000));
    expect(p.switched).toBeUndefined();
  });

  it('When spec.replicas is 0 (scaled to zero through /scale) and the switch was decided, Then it switches instead of restarting forever', () => {
    const spec = { template: template(V2), replicas: 0, previewReplicas: 1, promotion: { auto: true } };
    const o = observed(bgs(spec, ready({ promotingSince: iso(T0 - 10_000) })), {
      blue: { image: V1, replicas: 0 },
      green: { image: V2, replicas: 0 },
      active: 'blue',
      preview: 'green',
    });
    expect(plan(deepFreeze(o)).switched).toMatchObject({ from: 'blue', to: 'green' });
  });
});

describe('Given a release of v2 reverted (release dropped from status) and v2 applied again at once (soak seed 20261216)', () => {
  it('Then the new release is analysed anew, even when the old verdict started the same millisecond', () => {
    const reverted: BlueGreenServiceStatus = {
      activeColor: 'blue',
      lastSwitchTime: iso(T0 - 3_600_000),
      analysis: preRun('Successful', T0),
    };
    const o = observed(bgs(autoWithPre, reverted), {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 3 },
      active: 'blue',
      preview: 'green',
    });
    const p = plan(deepFreeze(o));
    expect(p.switched).toBeUndefined();
    expect(p.status.analysis?.phase).toBe('Running');
  });
});

describe('Given the live colour pinned while a release waits, and its preview scaled to 0 by hand (soak seed 20261206)', () => {
  it('Then the release starts over, so a round on the old pods never counts for the new ones once the pin is lifted', () => {
    const waiting: BlueGreenServiceStatus = {
      activeColor: 'blue',
      lastSwitchTime: iso(T0 - 3_600_000),
      release: { revision: rev(V2), color: 'green', startedAt: iso(T0 - 60_000), readyAt: iso(T0 - 50_000) },
      analysis: { ...preRun('Successful', T0 - 50_000), phase: 'Running', passedRounds: 1 },
    };
    const o = observed(bgs({ ...autoWithPre, activeColor: 'blue' }, waiting), {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 0 },
      active: 'blue',
      preview: 'blue',
    });
    const p = plan(deepFreeze(o));
    expect(p.status.release).toEqual({ revision: rev(V2), color: 'green', startedAt: iso(T0) });
    expect(p.status.analysis).toBeUndefined();
  });
});

describe('Given an automatic rollback, then the template reverted to the live revision (safety issue 18, item 1)', () => {
  // Blue (v1) serves again after green (v2) was rolled back; the user reverts the template to v1;
  // green still runs v2 inside scaleDownDelaySeconds when a blue pod loses readiness.
  const rolledBack: BlueGreenServiceStatus = {
    activeColor: 'blue',
    previousColor: 'green',
    lastSwitchTime: iso(T0 - 10_000),
    lastSwitchReason: 'AutoRollback',
    abortedRevision: rev(V2),
    colors: {
      blue: { revision: rev(V1), images: [V1], replicas: 3, readyEndpoints: 3 },
      green: { revision: rev(V2), images: [V2], replicas: 3, readyEndpoints: 3 },
    },
  };
  const world: World = {
    blue: { image: V1, replicas: 3, ready: 2 },
    green: { image: V2, replicas: 3 },
    activeService: desiredActiveService(bgs({ template: template(V1) }), 'blue', rev(V2)),
    preview: 'blue',
  };
  it('When blue loses a ready pod, Then traffic never goes to the aborted revision: Degraded, selector kept', () => {
    const o = observed(bgs({ template: template(V1), scaleDownDelaySeconds: 300 }, rolledBack), world);
    const p = plan(deepFreeze(o));
    expect(objectWrites(p)).not.toContain('active -> green');
    expect(p.switched).toBeUndefined();
    expect(p.status.abortedRevision).toBe(rev(V2));
    expect(p.status.conditions?.find((c) => c.type === 'Degraded')?.reason).toBe('ActiveUnavailable');
  });
});

describe('Given status lost, then a failed post-promotion verdict on the live colour (contract oracle, seed 990032)', () => {
  it('Then traffic does not go to the other colour, whose release nobody promoted: Degraded, selector kept', () => {
    const failedPost: NonNullable<BlueGreenServiceStatus['analysis']> = {
      ...preRun('Failed', T0 - 20_000),
      stage: 'PostPromotion',
      color: 'blue',
      revision: rev(V1),
    };
    const post = { count: 1, metrics: [metric] };
    const o = observed(
      bgs(
        { template: template(V1), analysis: { prometheus, postPromotion: post } },
        { activeColor: 'blue', lastSwitchTime: iso(T0 - 20_000), lastSwitchReason: 'Observed', analysis: failedPost },
      ),
      { blue: { image: V1, replicas: 3 }, green: { image: V2, replicas: 3 }, active: 'blue', preview: 'blue' },
    );
    const p = plan(deepFreeze(o));
    expect(objectWrites(p)).not.toContain('active -> green');
    expect(p.switched).toBeUndefined();
  });
});

describe('Given status records blue live but not its revision, and its Deployment and the active Service are gone (contract oracle, seed 990043)', () => {
  it('Then nothing is first-deployed in its place: Degraded, LiveTemplateLost, no write', () => {
    const o = observed(bgs({ template: template(V2), replicas: 0 }, { activeColor: 'blue' }), {});
    const p = plan(deepFreeze(o));
    expect(objectWrites(p)).toEqual([]);
    expect(p.status.conditions?.find((c) => c.type === 'Degraded')?.reason).toBe('LiveTemplateLost');
  });
});

describe('Given the previous colour no longer runs the revision it served (contract oracle, seed 990053)', () => {
  it('When the live colour loses a pod, Then traffic does not go back to it: the rollback target is what served, recorded with the switch', () => {
    const recorded = { ...promotedGreen, previousRevision: rev(V1) };
    const world: World = {
      blue: { image: 'orders:v3', replicas: 3 },
      green: { image: V2, replicas: 3, ready: 1 },
      active: 'green',
      preview: 'green',
    };
    const p = plan(deepFreeze(observed(bgs({ template: template(V2), scaleDownDelaySeconds: 300 }, recorded), world)));
    expect(objectWrites(p)).not.toContain('active -> blue');
    expect(p.switched).toBeUndefined();
  });

  it('When it does still run it, Then the automatic rollback happens as before', () => {
    const recorded = { ...promotedGreen, previousRevision: rev(V1) };
    const p = plan(
      deepFreeze(observed(bgs({ template: template(V2), scaleDownDelaySeconds: 300 }, recorded), afterPromotion(1))),
    );
    expect(p.switched?.reason).toBe('AutoRollback');
  });
});
