// actionlint (the real binary, which also type-checks expressions and job outputs) must accept
// .github/workflows. Tool tier: actionlint must exist (test/tools/tool.sh), a missing one fails.
// The workflows' contracts (jobs, inputs, steps) are checked in test/unit/chart-workflows.test.ts.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { toolPath } from '../support/tools.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const actionlint = toolPath('actionlint');

describe('GitHub Actions workflows under actionlint', () => {
  it('Given .github/workflows, actionlint reports nothing', () => {
    const r = spawnSync(actionlint, ['-no-color'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it('When a workflow is broken, actionlint fails (the check above can fail)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'actionlint-'));
    try {
      mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
      writeFileSync(
        path.join(dir, '.github/workflows/bad.yml'),
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n',
      );
      const r = spawnSync(actionlint, ['-no-color', '.github/workflows/bad.yml'], {
        cwd: dir,
        encoding: 'utf8',
        timeout: 60_000,
      });
      expect(r.status).not.toBe(0);
      expect(r.stdout).toContain('steps.nope');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
