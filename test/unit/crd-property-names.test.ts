// A flow-style `description: a, b` in the CRD YAML silently turns "b" into a property name, and
// the API server then refuses the whole CRD ("field not declared in schema"). Every property
// name must look like a field name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

function propertyNames(node: unknown, at: string, out: string[]): string[] {
  if (!node || typeof node !== 'object') return out;
  const o = node as Record<string, unknown>;
  for (const [k, v] of Object.entries(o)) {
    if (k === 'properties' && v && typeof v === 'object') {
      for (const name of Object.keys(v)) out.push(`${at}.${name}`);
    }
    propertyNames(v, `${at}.${k}`, out);
  }
  return out;
}

describe('Given crds/bluegreenservices.yaml', () => {
  it('Then every schema property name is a field name (no description text parsed as a key)', () => {
    const crd = parse(readFileSync('crds/bluegreenservices.yaml', 'utf8')) as unknown;
    const bad = propertyNames(crd, '', []).filter((p) => !/^[A-Za-z][A-Za-z0-9]*$/.test(p.split('.').at(-1) ?? ''));
    expect(bad).toEqual([]);
  });
});
