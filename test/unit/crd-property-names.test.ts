// A flow-style `description: a, b` in the CRD YAML silently turns "b" into a property name, and
// the API server then refuses the whole CRD ("field not declared in schema"). Every property
// name must look like a field name.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/** Every key of the parsed CRD; a CRD has no key with a space in it (descriptions are values). */
function keys(node: unknown, at: string, out: [string, string][]): [string, string][] {
  if (!node || typeof node !== 'object') return out;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    out.push([at, k]);
    keys(v, `${at}.${k}`, out);
  }
  return out;
}

describe('Given crds/bluegreenservices.yaml', () => {
  it('Then no key has a space in it (no description text parsed as a key)', () => {
    const crd = parse(readFileSync('crds/bluegreenservices.yaml', 'utf8')) as unknown;
    const bad = keys(crd, '', [])
      .filter(([, k]) => /\s/.test(k))
      .map(([at, k]) => `${at}: "${k}"`);
    expect(bad).toEqual([]);
  });
});
