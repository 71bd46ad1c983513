// The GitHub Actions workflows that build, test, release and deploy the chart and images:
// actionlint (the real binary, which also type-checks expressions and job outputs) must accept
// them, and the deploy workflow must keep its contract (dispatch inputs, release + rollback).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** actionlint from $ACTIONLINT, the build cache (test/cluster/build/versions.sh) or PATH. */
function findActionlint(): string | undefined {
  const version = /ACTIONLINT_VERSION=(\S+)/.exec(
    readFileSync(path.join(root, 'test/cluster/build/versions.sh'), 'utf8'),
  )?.[1];
  const candidates = [
    process.env['ACTIONLINT'],
    `/var/cache/bluegreen-operator/actionlint-${version}/bin/actionlint`,
    `/var/cache/bluegreen-operator/actionlint-${version}/actionlint`,
  ];
  const found = candidates.find((c) => c && existsSync(c));
  if (found) return found;
  return spawnSync('actionlint', ['-version'], { encoding: 'utf8' }).status === 0 ? 'actionlint' : undefined;
}

const actionlint = findActionlint();
if (!actionlint) {
  console.warn(
    'SKIP actionlint: binary not found ($ACTIONLINT, /var/cache/bluegreen-operator/actionlint-*/bin or PATH); build it with test/cluster/build/all.sh actionlint',
  );
}

const workflow = (name: string) => parse(readFileSync(path.join(root, '.github/workflows', name), 'utf8'));

describe('GitHub Actions workflows', () => {
  it.skipIf(!actionlint)('Given .github/workflows, actionlint reports nothing', () => {
    const r = spawnSync(actionlint!, ['-no-color'], { cwd: root, encoding: 'utf8', timeout: 60_000 });
    expect(`${r.stdout}${r.stderr}`).toBe('');
    expect(r.status).toBe(0);
  });

  it.skipIf(!actionlint)('When a workflow is broken, actionlint fails (the check above can fail)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'actionlint-'));
    try {
      mkdirSync(path.join(dir, '.github/workflows'), { recursive: true });
      writeFileSync(
        path.join(dir, '.github/workflows/bad.yml'),
        'on: push\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    steps:\n      - run: echo ${{ steps.nope.outputs.x }}\n',
      );
      const r = spawnSync(actionlint!, ['-no-color', '.github/workflows/bad.yml'], {
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

  it('Given ci.yml, unit, image and kind cluster jobs run on pushes and pull requests', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect(Object.keys(ci.jobs)).toEqual(expect.arrayContaining(['unit', 'images', 'cluster']));
    expect(ci.jobs.cluster.strategy.matrix.tier).toEqual(['integration', 'e2e']);
  });

  it('Given release.yml, images go to GHCR and the chart is pushed as an OCI artifact', () => {
    const text = readFileSync(path.join(root, '.github/workflows/release.yml'), 'utf8');
    expect(workflow('release.yml').permissions.packages).toBe('write');
    expect(text).toContain('helm push');
    expect(text).toMatch(/oci:\/\/ghcr\.io\//);
  });

  it('Given deploy.yml, a manual dispatch releases (preview, analysis, promote, verify) or rolls back', () => {
    const deploy = workflow('deploy.yml');
    expect(Object.keys(deploy.on)).toEqual(['workflow_dispatch']);
    expect(deploy.on.workflow_dispatch.inputs.action.options).toEqual(['release', 'rollback']);
    expect(deploy.on.workflow_dispatch.inputs.service.options).toEqual(['auth', 'orders', 'payments', 'notifications']);
    const steps = deploy.jobs.release.steps.map((s: { name?: string }) => s.name ?? '');
    for (const step of [
      'Apply the new image',
      'Wait for the preview',
      'Pre-promotion analysis',
      'Promote',
      'Verify',
      'Roll back after a failed verification',
    ]) {
      expect(
        steps.some((s: string) => s.startsWith(step)),
        step,
      ).toBe(true);
    }
    expect(deploy.jobs.rollback.if).toBe("inputs.action == 'rollback'");
  });

  it('Given the deploy helper script, bash parses it', () => {
    const r = spawnSync('bash', ['-n', path.join(root, '.github/scripts/bluegreen.sh')], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
