// The single executable runs where there is no Node: built here (about 35 s on the shared
// 2-core machine, most of it esbuild), then started with PATH an empty directory and no HOME,
// once for its version and once against a local stand-in API server (cli/testing/api-server.ts)
// so client-node's KubeConfig and the transport are proven to work inside the executable.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listOf, startFakeApiServer, type FakeApiServer } from '../testing/api-server.ts';
import { recordedRelease } from '../testing/recorded.ts';
import { buildSea, type SeaResult } from './sea.ts';

const run = promisify(execFile);
const BUILD_TIMEOUT_MS = 240_000;
const outdir = mkdtempSync(path.join(os.tmpdir(), 'kubectl-bluegreen-sea-'));
/** PATH of the runs: a directory with nothing in it, so no `node` can be found (nor anything else). */
const emptyDir = mkdtempSync(path.join(os.tmpdir(), 'kubectl-bluegreen-empty-path-'));
const noNode = { env: { PATH: emptyDir } };
let sea: SeaResult;
let server: FakeApiServer;

beforeAll(async () => {
  sea = await buildSea(outdir);
  server = await startFakeApiServer((r) =>
    r.path.endsWith('/bluegreenservices') ? listOf([recordedRelease(8).snapshot.bgs]) : undefined,
  );
}, BUILD_TIMEOUT_MS);
afterAll(async () => {
  await server.close();
  rmSync(outdir, { recursive: true, force: true });
  rmSync(emptyDir, { recursive: true, force: true });
});

describe('the single executable', () => {
  it('starts with no node on PATH', async () => {
    await expect(run('node', ['--version'], noNode)).rejects.toMatchObject({ code: 'ENOENT' });
    const { stdout } = await run(sea.executable, ['version'], noNode);
    expect(stdout).toBe('kubectl-bluegreen 0.1.0\n');
  });

  it('talks to an API server through the kubeconfig it is given', async () => {
    const { stdout } = await run(sea.executable, ['list', '--kubeconfig', server.kubeconfig], noNode);
    expect(stdout.split('\n')[1]).toMatch(/^auth\s+green\s+-\s+-\s+Healthy\s+2\/2/);
  });

  it('exits with the documented codes', async () => {
    await expect(run(sea.executable, ['bogus'], noNode)).rejects.toMatchObject({ code: 2 });
  });
});
