// A BlueGreenService restored from a backup (docs/disaster-recovery.md): no status, and the
// Deployments and Services it finds were orphaned when the lost object was deleted with
// --cascade=orphan (no owner references). Status is rebuilt from what runs, nothing moves, and
// the Deployments get their owner reference back — and nothing else.
import type { V1Deployment } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { type Color } from '../api/constants.ts';
import { keptTemplateName } from '../api/names.ts';
import type { BlueGreenServiceSpec } from '../api/types.ts';
import { deepFreeze } from '../runtime/store.ts';
import { bgs, observed, template, type World } from './fixtures.ts';
import { deploymentRevision } from './observe.ts';
import { plan } from './plan.ts';
import type { Action, Observed } from './types.ts';

const V1 = 'orders:v1';
const V2 = 'orders:v2';

function line(a: Action): string {
  switch (a.kind) {
    case 'applyDeployment':
      return `apply ${a.color} ${a.object.spec!.template.spec!.containers[0]!.image}`;
    case 'scaleDeployment':
      return `scale ${a.color} x${a.replicas}`;
    case 'adoptDeployment':
      return `adopt ${a.name} -> ${a.owner.kind}/${a.owner.name} ${a.owner.uid} controller=${a.owner.controller}`;
    case 'applyService':
      return `${a.role} -> ${a.object.spec!.selector!['bluegreen.dev/color']}`;
    case 'patchServiceSelector':
      return `${a.role} -> ${a.selector['bluegreen.dev/color']}`;
    case 'keepTemplate':
      return `keep ${a.object.metadata!.name!}`;
    case 'dropTemplate':
      return `drop ${a.name}`;
    case 'setRouteWeights':
      return `route ${a.name} ${a.canaryWeight}%`;
  }
}

type Owners = 'orphaned' | 'owned' | 'foreign controller';

/** The observed world with each Deployment's owner references as a restore leaves them. */
function restored(spec: Partial<BlueGreenServiceSpec>, world: World, owners: Owners): Observed {
  const o = observed(bgs(spec), world);
  const colors = { ...o.colors };
  for (const c of ['blue', 'green'] as Color[]) {
    const dep = colors[c].deployment;
    if (!dep || owners === 'owned') continue;
    const copy: V1Deployment = structuredClone(dep);
    copy.metadata!.ownerReferences =
      owners === 'orphaned'
        ? undefined
        : [
            {
              apiVersion: 'bluegreen.dev/v1alpha1',
              kind: 'BlueGreenService',
              name: 'orders',
              uid: 'uid-lost',
              controller: true,
            },
          ];
    colors[c] = { ...colors[c], deployment: copy };
  }
  return deepFreeze({ ...o, colors });
}

const adopt = (color: Color) => `adopt orders-${color} -> BlueGreenService/orders uid-orders controller=true`;

interface Row {
  name: string;
  spec: Partial<BlueGreenServiceSpec>;
  world: World;
  owners: Owners;
  writes: string[];
  phase: string;
  active: Color;
}

describe('plan: a BlueGreenService restored without status', () => {
  const rows: Row[] = [
    {
      name: 'v2 live on green, blue scaled down, both orphaned: adopt both, no switch, Healthy',
      spec: { template: template(V2) },
      world: { blue: { image: V1, replicas: 0 }, green: { image: V2, replicas: 3 }, active: 'green', preview: 'green' },
      owners: 'orphaned',
      writes: [adopt('blue'), adopt('green')],
      phase: 'Healthy',
      active: 'green',
    },
    {
      name: 'a release in flight (v2 on the preview colour, not promoted): adopt both, the release waits for promotion again',
      spec: { template: template(V2) },
      world: { blue: { image: V1, replicas: 3 }, green: { image: V2, replicas: 3 }, active: 'blue', preview: 'green' },
      owners: 'orphaned',
      writes: [adopt('blue'), adopt('green')],
      phase: 'AwaitingPromotion',
      active: 'blue',
    },
    {
      name: 'Deployments still owned (the Services were lost instead): nothing to adopt',
      spec: { template: template(V2) },
      world: { blue: { image: V1, replicas: 0 }, green: { image: V2, replicas: 3 }, active: 'green', preview: 'green' },
      owners: 'owned',
      writes: [],
      phase: 'Healthy',
      active: 'green',
    },
    {
      name: 'Deployments controlled by another object (a dangling owner from a kubectl backup): never taken over',
      spec: { template: template(V2) },
      world: { blue: { image: V1, replicas: 0 }, green: { image: V2, replicas: 3 }, active: 'green', preview: 'green' },
      owners: 'foreign controller',
      writes: [],
      phase: 'Healthy',
      active: 'green',
    },
  ];

  it.each(rows)('$name', (row) => {
    const p = plan(restored(row.spec, row.world, row.owners));
    expect(p.waves.flat().map(line).sort()).toEqual(row.writes);
    expect(p.switched).toBeUndefined();
    expect(p.status.phase).toBe(row.phase);
    expect(p.status.activeColor).toBe(row.active);
    expect(p.status.lastSwitchReason).toBe('Observed');
  });

  it('adopts the kept copy of the revision each orphaned Deployment runs, with it', () => {
    const o = restored({ template: template(V2) }, rows[1]!.world, 'orphaned');
    const adopted = plan(o)
      .waves.flat()
      .filter((a) => a.kind === 'adoptDeployment');
    const expected = (['blue', 'green'] as Color[]).map((c) =>
      keptTemplateName(o.bgs, deploymentRevision(o.colors[c].deployment)!),
    );
    expect(adopted.map((a) => a.keptTemplate)).toEqual(expected);
    expect(new Set(expected).size).toBe(2);
  });

  it('a colour no status recorded as serving is never an automatic rollback target (soak seed 20261212)', () => {
    // Status lost (a restore, or a crash during the first deploy): green still runs v2 from a
    // release nobody promoted. When blue then loses its pods, the operator reports it and keeps
    // the selector; it once "rolled back" to green, guessing it had served before.
    const spec = { template: template(V1) };
    const world: World = {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 3 },
      active: 'blue',
      preview: 'blue',
    };
    const first = plan(restored(spec, world, 'owned'));
    const p = plan(observed(bgs(spec, first.status), { ...world, blue: { image: V1, replicas: 3, ready: 0 } }));
    expect(p.switched).toBeUndefined();
    expect(p.status.activeColor).toBe('blue');
    expect(p.status.phase).toBe('Degraded');
    expect(first.status.previousColor).toBeUndefined();
  });
});

describe('plan: restored without status, and the active Service gone too (contract oracle, seeds 881001/881002)', () => {
  it('the colour whose pods serve is kept and its Service restored; the new template goes to the other colour, never onto it', () => {
    const o = restored({ template: template(V2) }, { blue: { image: V1, replicas: 3 } }, 'owned');
    const p = plan(deepFreeze(o));
    const writes = p.waves.flat().map(line);
    expect(writes).not.toContain('apply blue orders:v2');
    expect(writes).toContain('active -> blue');
    expect(p.status.activeColor).toBe('blue');
  });
});

describe('plan: restored without status or active Service, both colours up (contract oracle, seed 881004)', () => {
  it('the colour at another revision than the template served: it is restored, and the one at the template is the release', () => {
    const o = restored(
      { template: template(V2) },
      { blue: { image: V1, replicas: 3 }, green: { image: V2, replicas: 3 } },
      'owned',
    );
    const p = plan(deepFreeze(o));
    const writes = p.waves.flat().map(line);
    expect(writes).not.toContain('apply blue orders:v2');
    expect(writes).toContain('active -> blue');
  });
});

describe('plan: restored without status, the live Deployment deleted too (contract oracle, seed 990001)', () => {
  it('the revision it ran is unknown: nothing is re-created with the unpromoted template; Degraded, LiveTemplateLost', () => {
    const o = restored({ template: template(V2) }, { active: 'blue', preview: 'blue' }, 'owned');
    const p = plan(deepFreeze(o));
    expect(p.waves.flat().map(line)).not.toContain('apply blue orders:v2');
    expect(p.status.conditions?.find((c) => c.type === 'Degraded')?.reason).toBe('LiveTemplateLost');
  });
});

describe('plan: restored without status or active Service while spec.activeColor pins the other colour (contract oracle, seed 990023)', () => {
  it('the pinned colour gets the first deploy; the one that ran is not given traffic, nor rewritten', () => {
    const o = restored({ template: template(V2), activeColor: 'green' }, { blue: { image: V1, replicas: 3 } }, 'owned');
    const writes = plan(deepFreeze(o)).waves.flat().map(line);
    expect(writes).not.toContain('active -> blue');
    expect(writes).not.toContain('apply blue orders:v2');
    expect(writes).toContain('apply green orders:v2');
  });
});
