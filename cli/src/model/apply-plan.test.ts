import { describe, expect, it } from 'vitest';
import { recordedRelease } from '../../testing/recorded.ts';
import { CliError, EXIT } from '../exit.ts';
import { CLI_FIELD_MANAGER, planApply } from './apply-plan.ts';
import { activeColorChange } from './levers.ts';
import { project } from './managed-fields.ts';
import type { BlueGreenService, ManagedFieldsEntry } from './objects.ts';
import { decideSetImage } from './set-image.ts';

function withManagedFields(entries: ManagedFieldsEntry[]): BlueGreenService {
  const bgs = recordedRelease(5).snapshot.bgs;
  return {
    ...bgs,
    spec: { ...bgs.spec, activeColor: 'blue' },
    metadata: { ...bgs.metadata, managedFields: entries as never },
  };
}

const appliedSpec: ManagedFieldsEntry = {
  manager: 'argocd-controller',
  operation: 'Apply',
  fieldsV1: { 'f:spec': { 'f:replicas': {}, 'f:template': { 'f:spec': { 'f:containers': {} } } } },
};
const ours: ManagedFieldsEntry = {
  manager: CLI_FIELD_MANAGER,
  operation: 'Apply',
  fieldsV1: { 'f:spec': { 'f:activeColor': {} } },
};
const editedByHand: ManagedFieldsEntry = {
  manager: 'kubectl-edit',
  operation: 'Update',
  fieldsV1: { 'f:spec': { 'f:activeColor': {} } },
};

describe('the server-side apply body', () => {
  it('is the change plus the resourceVersion it was decided on, apiVersion, kind and name', () => {
    const plan = planApply(withManagedFields([]), [activeColorChange('green')], false);
    expect(plan.body).toEqual({
      apiVersion: 'bluegreen.dev/v1alpha1',
      kind: 'BlueGreenService',
      metadata: { name: 'auth', namespace: 'report-mx5hrq13', resourceVersion: '1005' },
      spec: { activeColor: 'green' },
    });
  });

  it('keeps the fields the plugin already owns (an apply that left spec.activeColor out would unpin traffic)', () => {
    const bgs = withManagedFields([ours]);
    const decision = decideSetImage(bgs, [{ container: 'auth', image: 'bluegreen/sample-services:1.4.0' }]);
    if (decision.kind !== 'set') throw new Error('expected a change');
    const { spec } = planApply(bgs, decision.changes, false).body as { spec: Record<string, unknown> };
    expect(spec['activeColor']).toBe('blue');
    expect(spec['template']).toEqual({
      spec: { containers: [{ name: 'auth', image: 'bluegreen/sample-services:1.4.0', args: ['auth'] }] },
    });
  });

  it('refuses a field a GitOps agent owns through server-side apply (exit 5), and takes it with --force-conflicts', () => {
    const bgs = withManagedFields([appliedSpec]);
    const decision = decideSetImage(bgs, [{ container: 'auth', image: 'x:2' }]);
    if (decision.kind !== 'set') throw new Error('expected a change');
    let err: unknown;
    try {
      planApply(bgs, decision.changes, false);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(CliError);
    expect((err as CliError).code).toBe(EXIT.conflict);
    expect((err as CliError).message).toContain('.spec.template.spec.containers is managed by "argocd-controller"');
    expect(planApply(bgs, decision.changes, true).takesOverFrom).toEqual([
      { manager: 'argocd-controller', operation: 'Apply' },
    ]);
  });

  it('takes a field over from an Update owner (kubectl edit/patch would overwrite it too) and says from whom', () => {
    const plan = planApply(withManagedFields([appliedSpec, editedByHand]), [activeColorChange('green')], false);
    expect(plan.takesOverFrom).toEqual([{ manager: 'kubectl-edit', operation: 'Update' }]);
  });
});

describe('project: the part of an object a field set covers', () => {
  const obj = {
    spec: {
      activeColor: 'blue',
      replicas: 3,
      ports: [
        { port: 80, name: 'http' },
        { port: 81, name: 'x' },
      ],
      tags: ['a', 'b'],
    },
  };
  it.each([
    ['a leaf', { 'f:spec': { 'f:activeColor': {} } }, { spec: { activeColor: 'blue' } }],
    ['an atomic list, whole', { 'f:spec': { 'f:ports': {} } }, { spec: { ports: obj.spec.ports } }],
    [
      'a list-map item by key, key kept',
      { 'f:spec': { 'f:ports': { 'k:{"port":81}': { '.': {}, 'f:name': {} } } } },
      { spec: { ports: [{ port: 81, name: 'x' }] } },
    ],
    ['a set item by value', { 'f:spec': { 'f:tags': { 'v:"b"': {} } } }, { spec: { tags: ['b'] } }],
    ['a field the object lacks', { 'f:spec': { 'f:previewReplicas': {} } }, { spec: {} }],
  ])('%s', (_what, set, expected) => {
    expect(project(obj, set)).toEqual(expected);
  });
});
