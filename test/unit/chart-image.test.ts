// The chart never defaults to an image name the project does not own: whoever owns the default
// would get the operator's RBAC, Secret reads included. In the repository image.repository is a
// placeholder values.schema.json rejects, so an install must name the image; the chart that
// release.yml publishes defaults to the project's own published image, written by a sed that
// this test runs on values.yaml. helm itself applies the schema in test/tools/chart-render.test.ts.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
const chart = path.join(root, 'charts/bluegreen-operator');
const valuesText = readFileSync(path.join(chart, 'values.yaml'), 'utf8');
const values = parse(valuesText) as { image: { repository: string } };
const imageSchema = (
  JSON.parse(readFileSync(path.join(chart, 'values.schema.json'), 'utf8')) as {
    properties: { image: { required: string[]; properties: { repository: { pattern: string } } } };
  }
).properties.image;
const repositoryPattern = new RegExp(imageSchema.properties.repository.pattern, 'u');

/** The `sed -i "s#FROM#TO#" .../values.yaml` of release.yml's chart job, with OWNER set. */
function releaseSubstitution(owner: string): { from: RegExp; to: string } {
  const release = parse(readFileSync(path.join(root, '.github/workflows/release.yml'), 'utf8')) as {
    jobs: { chart: { steps: Array<{ run?: string }> } };
  };
  const run = release.jobs.chart.steps.map((s) => s.run ?? '').join('\n');
  const sed = /sed -i "s#([^#]+)#([^#]+)#" charts\/bluegreen-operator\/values\.yaml/.exec(run);
  expect(sed, 'release.yml rewrites values.yaml with sed -i "s#...#...#"').not.toBeNull();
  const shell = (s: string) => s.replaceAll('\\$', '$').replaceAll('${OWNER}', owner);
  return { from: new RegExp(shell(sed![1]!), 'gm'), to: shell(sed![2]!) };
}

describe('Given the chart in the repository', () => {
  it('Then image.repository is required and its default is a placeholder the schema rejects', () => {
    expect(imageSchema.required).toContain('repository');
    expect(values.image.repository).toMatch(/^REQUIRED: set image\.repository /);
    expect(repositoryPattern.test(values.image.repository)).toBe(false);
  });

  it.each(['bluegreen/operator', 'localhost:5000/bluegreen-operator', 'registry.internal:443/team/bluegreen-operator'])(
    'Then the schema accepts the repository %s',
    (repository) => expect(repositoryPattern.test(repository)).toBe(true),
  );

  it.each(['', 'bluegreen/operator:0.1.0', 'bluegreen/operator@sha256:0123', 'Bluegreen/Operator', 'a repo'])(
    'Then the schema rejects %j (a tag, a digest, upper case or spaces are not a repository)',
    (repository) => expect(repositoryPattern.test(repository)).toBe(false),
  );
});

describe('Given release.yml packages the chart', () => {
  it("Then its sed replaces exactly the placeholder line with the owner's published image, which the schema accepts", () => {
    const { from, to } = releaseSubstitution('some-owner');
    const published = valuesText.replace(from, to);
    expect(valuesText.match(from)).toHaveLength(1);
    const repository = (parse(published) as typeof values).image.repository;
    expect(repository).toMatch(/\/some-owner\/bluegreen-operator$/);
    expect(repositoryPattern.test(repository)).toBe(true);
    const changed = published.split('\n').filter((line, i) => line !== valuesText.split('\n')[i]);
    expect(changed).toEqual([`  repository: ${repository}`]);
  });
});
