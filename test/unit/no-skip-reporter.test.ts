// test/support/no-skip-reporter.ts, run for real: a vitest run over a file with one skipped test
// fails under CI=true and a run narrowed with -t is exempt; which environments count as CI. The fixture lives under node_modules/.tmp so it can import
// vitest and no project of ours collects it.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { skipsAreFailures } from '../support/no-skip-reporter.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const reporter = path.join(root, 'test/support/no-skip-reporter.ts');
const vitestBin = path.join(root, 'node_modules/vitest/vitest.mjs');

mkdirSync(path.join(root, 'node_modules/.tmp'), { recursive: true });
const dir = mkdtempSync(path.join(root, 'node_modules/.tmp/no-skip-'));
writeFileSync(
  path.join(dir, 'fixture.test.ts'),
  "import { it } from 'vitest';\nit('runs', () => {});\nit.skip('is skipped', () => {});\n",
);
writeFileSync(
  path.join(dir, 'vitest.config.ts'),
  `export default { test: { include: ['fixture.test.ts'], reporters: ['default', ${JSON.stringify(reporter)}] } };\n`,
);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** One vitest run over the fixture with the given environment; exit code and output. */
function runVitest(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; out: string }> {
  // Inside a vitest worker VITEST_* variables describe this run; the child must start clean.
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !k.startsWith('VITEST') && k !== 'CI' && k !== 'BLUEGREEN_FAIL_ON_SKIP',
    ),
  );
  const child = spawn(process.execPath, [vitestBin, 'run', '--root', dir, ...args], {
    env: { ...base, NO_COLOR: '1', ...env },
  });
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (out += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, out })));
}

describe('no-skip reporter', () => {
  it('Given a skipped test, a CI=true run fails naming it; narrowed with -t it passes', async () => {
    const [ci, filtered] = await Promise.all([runVitest({ CI: 'true' }), runVitest({ CI: 'true' }, ['-t', 'runs'])]);
    expect(ci.out).toContain('FAIL: 1 test(s) skipped');
    expect(ci.out).toContain('fixture.test.ts > is skipped');
    expect(ci.code, ci.out).toBe(1);
    expect(filtered.code, filtered.out).toBe(0);
  }, 60_000);

  it.each([
    [{ CI: 'true' }, true],
    [{ CI: '1' }, true],
    [{ BLUEGREEN_FAIL_ON_SKIP: '1' }, true],
    [{ CI: 'false' }, false],
    [{ CI: '' }, false],
    [{}, false],
  ])('Given the environment %j, skips are failures: %s', (env, expected) => {
    expect(skipsAreFailures(env)).toBe(expected);
  });
});
