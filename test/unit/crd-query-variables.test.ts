// `kubectl explain bgs.spec.analysis.metrics.query` is where users look up what a query may
// reference. The description is prose in crds/ (the single source), so nothing ties it to the
// variables the template engine accepts: this test does, on the chart's copy (what Helm
// installs). A variable added to QUERY_VARIABLES without documenting it fails here.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { QUERY_VARIABLES } from '../../operator/src/analysis/template.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const chartCrd = path.join(root, 'charts/bluegreen-operator/files/crds/bluegreenservices.yaml');

type Properties = Record<string, { description?: string; properties?: Properties }> | undefined;

/** Every `description` of a property named `query`, and of a web check's `url`, anywhere in the schema. */
function queryDescriptions(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) queryDescriptions(n, out);
  else if (node && typeof node === 'object') {
    const obj = node as Record<string, unknown>;
    const properties = obj['properties'] as Properties;
    const query = properties?.['query'];
    if (query) out.push(query.description ?? '');
    const url = properties?.['web']?.properties?.['url'];
    if (url) out.push(url.description ?? '');
    for (const v of Object.values(obj)) queryDescriptions(v, out);
  }
  return out;
}

describe('Given the chart copy of the BlueGreenService CRD', () => {
  const descriptions = queryDescriptions(parse(readFileSync(chartCrd, 'utf8')));

  it('Then it describes the query and the web check URL of every analysis (pre, post, canary steps)', () => {
    expect(descriptions.length).toBe(6);
  });

  it.each(QUERY_VARIABLES)('Then every query and URL description lists the {{%s}} variable', (name) => {
    for (const d of descriptions) expect(d).toContain(`{{${name}}}`);
  });
});
