import { describe, expect, it } from 'vitest';
import { recordedRelease } from '../../testing/recorded.ts';
import { CliError, EXIT } from '../exit.ts';
import { decideSetImage, parseAssignments } from './set-image.ts';

const bgs = () => {
  const b = recordedRelease(8).snapshot.bgs;
  const spec = { ...b.spec.template.spec!, initContainers: [{ name: 'migrate', image: 'migrate:1' }] };
  return { ...b, spec: { ...b.spec, template: { ...b.spec.template, spec } } };
};

describe('set image', () => {
  it('parses CONTAINER=IMAGE pairs, registry ports and digests included', () => {
    expect(parseAssignments(['auth=reg.example:5000/auth@sha256:abc', 'migrate=m:2'])).toEqual([
      { container: 'auth', image: 'reg.example:5000/auth@sha256:abc' },
      { container: 'migrate', image: 'm:2' },
    ]);
  });

  it.each([[[]], [['auth']], [['=x:1']], [['auth=']]])('rejects %j as a usage error (exit 2)', (args) => {
    expect(() => parseAssignments(args)).toThrow(CliError);
    try {
      parseAssignments(args);
    } catch (err) {
      expect((err as CliError).code).toBe(EXIT.usage);
    }
  });

  it('replaces the image of the named container, init containers too, every other field kept', () => {
    const d = decideSetImage(bgs(), parseAssignments(['migrate=migrate:2', 'auth=auth:2']));
    expect(d.kind).toBe('set');
    if (d.kind !== 'set') return;
    expect(d.changes.map((c) => c.path.join('.'))).toEqual([
      'spec.template.spec.containers',
      'spec.template.spec.initContainers',
    ]);
    expect(d.changes[0]!.fragment).toEqual({
      spec: { template: { spec: { containers: [{ name: 'auth', image: 'auth:2', args: ['auth'] }] } } },
    });
    expect(d.summary).toContain('migrate: migrate:1 -> migrate:2');
  });

  it('names the containers there are when one is not found (exit 3)', () => {
    expect(() => decideSetImage(bgs(), parseAssignments(['web=x:1']))).toThrow(
      'container "web" not found in spec.template (it has: auth, migrate)',
    );
  });

  it('is a no-op when every image is already as asked: no new revision', () => {
    expect(decideSetImage(bgs(), parseAssignments(['auth=bluegreen/sample-services:e2e'])).kind).toBe('noop');
  });
});
