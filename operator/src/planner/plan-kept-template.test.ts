// Kept template copies (ADR 0016): a colour whose Deployment is deleted comes back with the
// revision it ran, never with the newest template. Regression rows for what the safety
// simulation found (seeds 777, 779, -965627370, -1837594791, 161925838 of the 2026-12-02 soaks).
import { describe, expect, it } from 'vitest';
import type { BlueGreenServiceStatus } from '../api/types.ts';
import { bgs, observed, rev, T0, iso, template, type World } from './fixtures.ts';
import { plan } from './plan.ts';
import type { Action, Observed, Plan } from './types.ts';

const V1 = 'orders:v1';
const V2 = 'orders:v2';
const V3 = 'orders:v3';

function line(a: Action): string {
  switch (a.kind) {
    case 'applyDeployment':
      return `apply ${a.color} x${a.object.spec!.replicas} ${a.object.spec!.template.spec!.containers[0]!.image}`;
    case 'keepTemplate':
      return `keep ${a.object.metadata!.name!}`;
    case 'dropTemplate':
      return `drop ${a.name}`;
    case 'adoptDeployment':
      return `adopt ${a.color}`;
    case 'scaleDeployment':
      return `scale ${a.color} x${a.replicas}`;
    case 'applyService':
    case 'patchServiceSelector':
      return a.role === 'color' ? 'color service' : `${a.role} service`;
    case 'setRouteWeights':
      return `route ${a.name} ${a.canaryWeight}%`;
  }
}
const waves = (p: Plan) => p.waves.map((w) => w.map(line).sort().join(' & '));

/** Blue serves v1; a release of v2 waits on green for a manual promotion. */
const awaiting: BlueGreenServiceStatus = {
  activeColor: 'blue',
  previousColor: 'green',
  lastSwitchTime: iso(T0 - 600_000),
  colors: {
    blue: { revision: rev(V1), images: [V1], replicas: 3, readyEndpoints: 3 },
    green: { revision: rev(V2), images: [V2], replicas: 1, readyEndpoints: 1 },
  },
  release: { revision: rev(V2), color: 'green', startedAt: iso(T0 - 60_000), readyAt: iso(T0 - 30_000) },
};
const blueDeleted: World = { green: { image: V2, replicas: 1 }, active: 'blue', preview: 'green' };
const withKept = (o: Observed, image: string): Observed => ({
  ...o,
  keptTemplates: [{ revision: rev(image), template: template(image) }],
});

describe('Given the live Deployment is deleted while a release awaits promotion', () => {
  const b = bgs({ template: template(V2), previewReplicas: 1 }, awaiting);

  it('When its template is kept, Then it is re-created with the revision it ran (v1), not the release (v2)', () => {
    const p = plan(withKept(observed(b, blueDeleted), V1));
    expect(waves(p)).toEqual(['apply blue x3 orders:v1']);
    expect(p.status.activeColor).toBe('blue');
    expect(p.status.colors?.blue?.revision).toBe(rev(V1));
  });

  it('When no copy is kept, Then nothing is written, the selector stays and status says LiveTemplateLost naming both ways out', () => {
    const p = plan(observed(b, blueDeleted));
    expect(p.waves).toEqual([]);
    expect(p.status.phase).toBe('Degraded');
    expect(p.status.conditions?.find((c) => c.type === 'Degraded')?.reason).toBe('LiveTemplateLost');
    expect(p.status.message).toContain('set spec.activeColor to green');
    // The record of what blue ran survives, so a copy restored later (or the next pass) still knows.
    expect(p.status.colors?.blue).toMatchObject({ revision: rev(V1), replicas: 0 });
  });

  it('When the active Service is deleted too, Then blue is still restored as the live colour (no first deploy of v2)', () => {
    const p = plan(withKept(observed(b, { ...blueDeleted, active: undefined }), V1));
    expect(waves(p)).toEqual(['apply blue x3 orders:v1']);
    expect(p.switched).toBeUndefined();
  });
});

describe('Given templates are kept as releases write them', () => {
  it('When a release writes the idle colour, Then the copy comes in a wave before the Deployment and the replaced revision is dropped after', () => {
    const steady: BlueGreenServiceStatus = { ...awaiting, release: undefined };
    const b = bgs({ template: template(V3), previewReplicas: 1 }, steady);
    const p = plan(
      observed(b, { blue: { image: V1, replicas: 3 }, green: { image: V2, replicas: 0 }, active: 'blue' }),
    );
    expect(waves(p)).toEqual([
      `keep orders-template-${rev(V3)}`,
      'apply green x1 orders:v3',
      `drop orders-template-${rev(V2)}`,
    ]);
  });

  it('When the rollback target was deleted and the user pins it, Then it comes back with its own revision and the switch is a rollback', () => {
    const promoted: BlueGreenServiceStatus = {
      ...awaiting,
      activeColor: 'green',
      previousColor: 'blue',
      colors: {
        green: { revision: rev(V2), images: [V2], replicas: 3, readyEndpoints: 3 },
        blue: { revision: rev(V1), images: [V1], replicas: 3, readyEndpoints: 3 },
      },
      release: undefined,
    };
    const b = bgs({ template: template(V2), activeColor: 'blue' }, promoted);
    const p = plan(withKept(observed(b, { green: { image: V2, replicas: 3 }, active: 'green' }), V1));
    expect(waves(p)).toEqual(['apply blue x3 orders:v1']);
    expect(p.status.release?.revision).toBe(rev(V1));
  });
});

describe('Given an automatic promotion scaling the preview up (safety item 13)', () => {
  it('When the Deployment controller has not observed the scale yet, Then the preview is not scaled back down', () => {
    const scaling: BlueGreenServiceStatus = {
      ...awaiting,
      release: { ...awaiting.release!, promotingSince: iso(T0 - 1_000) },
    };
    const b = bgs({ template: template(V2), previewReplicas: 1, promotion: { auto: true } }, scaling);
    const o = observed(b, {
      blue: { image: V1, replicas: 3 },
      green: { image: V2, replicas: 3, ready: 1 },
      active: 'blue',
      preview: 'green',
    });
    o.colors.green.deployment!.metadata!.generation = 2; // the scale write; status still says generation 1
    const p = plan(o);
    expect(waves(p)).toEqual([]);
    expect(p.status.phase).toBe('Promoting');
  });
});

describe('Given the live colour loses its pods (ActiveUnavailable)', () => {
  it('When the other colour never served (a first deploy, then an abandoned release), Then there is no automatic "rollback" to it', () => {
    const firstDeploy: BlueGreenServiceStatus = { ...awaiting, previousColor: undefined, release: undefined };
    const b = bgs({ template: template(V1) }, firstDeploy);
    const p = plan(
      observed(b, { blue: { image: V1, replicas: 3, ready: 0 }, green: { image: V3, replicas: 3 }, active: 'blue' }),
    );
    expect(p.switched).toBeUndefined();
    expect(p.status.conditions?.find((c) => c.type === 'Degraded')?.reason).toBe('ActiveUnavailable');
  });
});
