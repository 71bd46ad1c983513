// README.md, CONTRIBUTING.md, SECURITY.md, CHANGELOG.md and docs/**/*.md stay true to the repository a newcomer checks them against: every
// path they name exists, every npm script they give is in package.json, every measured number
// README quotes beside a bench/results file is written in that file, and README's sample image
// is the one sample-services/deploy runs. Each rule also runs on planted drift, so a loosened
// extractor fails here instead of letting a drifted doc through.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  type Doc,
  type Finding,
  markdownDocs,
  missingPaths,
  missingScripts,
  quotes,
  repoOnDisk,
  unsupportedQuotes,
} from '../support/doc-references.ts';

const root = path.resolve(import.meta.dirname, '../..');
const repo = repoOnDisk(root);
const docs = markdownDocs(root);
const readme = docs.find((d) => d.file === 'README.md')!;
const read = (rel: string) => readFileSync(path.join(root, rel), 'utf8');
const show = (findings: Finding[]) => findings.map((f) => `${f.where}: ${f.reference}`);

describe('Given the root Markdown files and docs/**/*.md', () => {
  it('Then they are all read (README, CONTRIBUTING, SECURITY, CHANGELOG and the docs, ADRs included)', () => {
    expect(docs.length).toBeGreaterThan(12);
    expect(docs.map((d) => d.file)).toEqual(
      expect.arrayContaining([
        'README.md',
        'CONTRIBUTING.md',
        'SECURITY.md',
        'CHANGELOG.md',
        'docs/adr/0018-own-kube-transport.md',
      ]),
    );
  });

  it('Then every repository path they name exists (links, written-out paths, operator/src layer files)', () => {
    expect(show(docs.flatMap((d) => missingPaths(d, repo)))).toEqual([]);
  });

  it('Then every npm script they tell the reader to run is in package.json', () => {
    expect(show(docs.flatMap((d) => missingScripts(d, repo)))).toEqual([]);
  });

  it('Then every measured number README quotes beside a bench/results file is written in that file', () => {
    expect(quotes(readme, repo).length, 'README cites bench/results in its "What we measured" table').toBeGreaterThan(
      5,
    );
    expect(show(unsupportedQuotes(readme, repo, read))).toEqual([]);
  });

  it('Then the sample image README shows is the one sample-services/deploy runs', () => {
    const deployDir = path.join(root, 'sample-services/deploy');
    const deployed = readdirSync(deployDir)
      .filter((f) => f.endsWith('.yaml'))
      .flatMap((f) => [...read(`sample-services/deploy/${f}`).matchAll(/image: (bluegreen\/sample-services:\S+)/g)])
      .map((m) => m[1]);
    expect(new Set(deployed).size, 'sample-services/deploy runs one image').toBe(1);
    const shown = [...readme.text.matchAll(/bluegreen\/sample-services:[\w.-]+/g)].map((m) => m[0]);
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown)).toEqual(new Set(deployed));
  });
});

// Planted drift: each rule must report a wrong reference and accept the right one.
const planted = (text: string, file = 'docs/planted.md'): Doc => ({ file, text });

describe('Given a doc with planted drift', () => {
  it.each([
    ['a written-out path', 'See test/unit/no-such-file.test.ts for details.', 'test/unit/no-such-file.test.ts'],
    ['a relative link', 'See [the ADR](adr/0099-no-such-adr.md).', 'docs/adr/0099-no-such-adr.md'],
    ['an ADR by number', 'Decided in docs/adr/0098.', 'docs/adr/0098'],
    [
      'a file of an operator layer',
      'The writers live in `k8s/no-such-writer.ts`.',
      'operator/src/k8s/no-such-writer.ts',
    ],
    ['a results pattern', 'Written to `bench/results/no-such-bench-<date>.md`.', 'bench/results/no-such-bench-*.md'],
  ])('When it names %s that does not exist, the path check reports it', (_, text, reference) => {
    expect(missingPaths(planted(text), repo).map((f) => f.reference)).toEqual([reference]);
  });

  it('When the same kinds of paths exist, the path check reports nothing', () => {
    const text = [
      'See test/unit/docs-consistency.test.ts and [the ADR](adr/0018-own-kube-transport.md), docs/adr/0018,',
      '`k8s/writers.ts`, `bench/results/keepalive-cutover-<date>.md`, operator/dist/main.mjs (built),',
      'and paths that are not ours: /app/main.mjs, .cluster/logs/, github.com/org/test/x, [site](https://x.test/a).',
    ].join('\n');
    expect(show(missingPaths(planted(text), repo))).toEqual([]);
  });

  it.each([
    ['npm run no-such-script', 'no-such-script'],
    ['sudo npm run -s cluster:upp -- --nodes=kwok', 'cluster:upp'],
    ['npm -w sample-services run no-such-script', 'sample-services: no-such-script'],
  ])('When it runs `%s`, the script check reports %s', (command, reference) => {
    expect(missingScripts(planted(`\`${command}\``), repo).map((f) => f.reference)).toEqual([reference]);
  });

  it('When it runs scripts that exist (or no script at all), the script check reports nothing', () => {
    const text = '`npm ci && npm test`, `npm run -s lint`, `sudo npm run cluster:up -- --nodes=kwok`, `npm install`';
    expect(show(missingScripts(planted(text), repo))).toEqual([]);
  });

  const row = (measured: string) =>
    planted(
      [
        `| idle RSS at N = 1,000 ([run 3](bench/results/compare-1000-2026-12-02-same-run-3.md)) | ${measured} |`,
        '| same runs: release, Argo Rollouts v1.10.2 | 193.1 vs 195.1 s |',
      ].join('\n'),
      'README.md',
    );

  it('When a quoted number is not in the cited file (126.8 for 126.9), the quote check reports it', () => {
    expect(show(unsupportedQuotes(row('126.8 / 124.8 MiB (0.80×)'), repo, read))).toEqual([
      'README.md:1: 126.8 (not in bench/results/compare-1000-2026-12-02-same-run-3.md)',
    ]);
  });

  it('When a "same runs" row quotes a number its run lacks, the quote check reports it', () => {
    const doc = planted(row('126.9 MiB').text.replace('193.1 vs', '193.2 vs'), 'README.md');
    expect(show(unsupportedQuotes(doc, repo, read))).toEqual([
      'README.md:2: 193.2 (not in bench/results/compare-1000-2026-12-02-same-run-3.md)',
    ]);
  });

  it('When every quoted number is in the cited file, versions and plain counts aside, it reports nothing', () => {
    expect(show(unsupportedQuotes(row('126.9 / 124.8 MiB (0.80×, 0.66×), 159.3 vs 188.8'), repo, read))).toEqual([]);
  });
});
