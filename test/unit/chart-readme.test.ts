// charts/bluegreen-operator/README.md is generated from values.yaml (test/support/chart-readme.ts):
// the checked-in file must be what the generator prints now, and every value must be there.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chartDir, readmePath, renderReadme, valueRows } from '../support/chart-readme.ts';

describe('chart README', () => {
  it('Given values.yaml, the checked-in README is current (else: npm run chart:readme)', () => {
    expect(readFileSync(readmePath, 'utf8'), 'charts/bluegreen-operator/README.md is stale: npm run chart:readme').toBe(
      renderReadme(),
    );
  });

  it('Given values.yaml, every top-level value has a row and every row a description', () => {
    const values = parse(readFileSync(`${chartDir}/values.yaml`, 'utf8')) as Record<string, unknown>;
    const rows = valueRows();
    const topLevel = new Set(rows.map((r) => r.key.split('.')[0]));
    expect(Object.keys(values).filter((k) => !topLevel.has(k))).toEqual([]);
    expect(rows.filter((r) => r.description === '').map((r) => r.key)).toEqual([]);
  });

  it('Given the comment above crds.keep in values.yaml, its row carries it', () => {
    const readme = renderReadme();
    expect(readme).toContain('| `crds.keep` | `true` | Keep the CRD on `helm uninstall`');
  });
});
