// test/run-all.sh (what `npm test` runs) must run every vitest project, with skipping turned
// into failure, and build every tool the tool tier asks for before that tier runs: otherwise a
// fresh machine's run quietly checks less than a warm one. The GitHub unit job must run the
// pure tiers too.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(import.meta.dirname, '../..');
const runAll = readFileSync(path.join(root, 'test/run-all.sh'), 'utf8');
// Read as text: importing vitest.config.ts would make it part of the type-checked program twice.
const projects = [
  ...readFileSync(path.join(root, 'vitest.config.ts'), 'utf8').matchAll(/^\s+name: '([\w-]+)',$/gm),
].map((m) => m[1]);

/** Tools the tool-tier tests look up through toolPath('...'). */
function toolsUsed(): string[] {
  const dir = path.join(root, 'test/tools');
  const text = readdirSync(dir)
    .filter((f) => f.endsWith('.test.ts'))
    .map((f) => readFileSync(path.join(dir, f), 'utf8'))
    .join('\n');
  return [...new Set([...text.matchAll(/toolPath\('(\w+)'\)/g)].map((m) => m[1]!))].sort();
}

describe('npm test runs every tier with nothing skipped', () => {
  it('Given vitest.config.ts, run-all.sh runs each project', () => {
    expect(projects).toEqual(['unit', 'tools', 'integration', 'e2e']);
    for (const p of projects) expect(runAll, p).toContain(`vitest run --project ${p}`);
  });

  it('Given run-all.sh, skipped tests fail every tier (BLUEGREEN_FAIL_ON_SKIP before the first vitest)', () => {
    const flag = runAll.indexOf('export BLUEGREEN_FAIL_ON_SKIP=1');
    expect(flag).toBeGreaterThan(-1);
    expect(flag).toBeLessThan(runAll.indexOf('vitest run'));
  });

  it('Given the tool tier, run-all.sh ensures each tool it uses first, and before the cluster build', () => {
    const used = toolsUsed();
    expect(used).toEqual(['actionlint', 'chromium', 'helm', 'promtool']);
    const ensure = /tool\.sh ensure ([\w ]+)/.exec(runAll);
    expect(ensure?.[1]?.split(' ').sort()).toEqual(used);
    expect(ensure!.index).toBeLessThan(runAll.indexOf('--project tools'));
    expect(runAll.indexOf('--project tools')).toBeLessThan(runAll.indexOf('cluster:up'));
  });

  it('Given ci.yml, the unit job runs the unit and tool tiers', () => {
    const ci = parse(readFileSync(path.join(root, '.github/workflows/ci.yml'), 'utf8'));
    const runs = (ci.jobs.unit.steps as Array<{ run?: string }>).map((s) => s.run ?? '');
    expect(runs).toContain('npx vitest run --project unit');
    expect(runs).toContain('npx vitest run --project tools');
  });
});
