// The GitHub Actions workflows that build, test, release and deploy the chart and images keep
// their contract (jobs, dispatch inputs, release + rollback). actionlint itself runs in the tool
// tier: test/tools/actionlint.test.ts.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const workflow = (name: string) => parse(readFileSync(path.join(root, '.github/workflows', name), 'utf8'));

describe('GitHub Actions workflows', () => {
  it('Given ci.yml, unit, image and kind cluster jobs run on pushes and pull requests', () => {
    const ci = workflow('ci.yml');
    expect(Object.keys(ci.on)).toEqual(expect.arrayContaining(['push', 'pull_request']));
    expect(Object.keys(ci.jobs)).toEqual(expect.arrayContaining(['unit', 'images', 'cluster']));
    expect(ci.jobs.cluster.strategy.matrix.tier).toEqual(['integration', 'e2e']);
  });

  it('Given the kind job, the runner routes the Service and pod ranges of .github/kind/cluster.yaml to the node before the tests', () => {
    const kind = parse(readFileSync(path.join(root, '.github/kind/cluster.yaml'), 'utf8'));
    expect(kind.networking).toEqual({ podSubnet: '10.244.0.0/16', serviceSubnet: '10.96.0.0/16' });
    const steps = workflow('ci.yml').jobs.cluster.steps as Array<{ name?: string; run?: string; uses?: string }>;
    const route = steps.findIndex((s) => s.name?.startsWith('Route Service and pod IPs'));
    expect(route).toBeGreaterThan(steps.findIndex((s) => s.uses?.startsWith('helm/kind-action')));
    expect(route).toBeLessThan(steps.findIndex((s) => s.name === 'End-to-end tests'));
    const script = steps[route]!.run!;
    expect(script).toContain('for key in serviceSubnet podSubnet');
    expect(script).toContain('ip route replace "$cidr" via "$node_ip"');
    // The step checks itself: the kubernetes Service's ClusterIP must answer through the route.
    expect(script).toMatch(/curl -fsSk .*\/livez/);
  });

  it('Given release.yml, images go to GHCR and the chart is pushed as an OCI artifact', () => {
    const text = readFileSync(path.join(root, '.github/workflows/release.yml'), 'utf8');
    expect(workflow('release.yml').permissions.packages).toBe('write');
    expect(text).toContain('helm push');
    expect(text).toMatch(/oci:\/\/ghcr\.io\//);
  });

  it('Given release.yml builds linux/arm64 under emulation, the Dockerfile bundles on the build platform (esbuild is native)', () => {
    const platforms = workflow('release.yml').jobs.images.steps.find((s: { uses?: string }) =>
      s.uses?.startsWith('docker/build-push-action'),
    ).with.platforms as string;
    expect(platforms.split(',')).toContain('linux/arm64');
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const bundleStage = /^FROM (.*) AS build$/m.exec(dockerfile)?.[1];
    expect(bundleStage).toBe('--platform=$BUILDPLATFORM ${BASE_IMAGE}');
    expect(dockerfile).toContain('RUN ["node", "operator/build/bundle.ts", "/app"]');
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
