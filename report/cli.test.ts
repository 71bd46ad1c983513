// `npm run report`: bad input stops before any load or cluster call with exit code 2 and names
// the option; --from-recording renders a saved recording with no cluster at all.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const cli = path.join(here, 'cli.ts');
const dir = mkdtempSync(path.join(tmpdir(), 'report-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], { timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stdout, stderr }),
    );
  });
}

const ok = ['--namespace', 'shop', '--name', 'orders', '--target', 'http://127.0.0.1:1/'];

describe('report CLI input', () => {
  it.each([
    [['--name', 'orders', '--target', 'http://x/'], '--namespace is required'],
    [['--namespace', 'shop', '--target', 'http://x/'], '--name is required'],
    [['--namespace', 'shop', '--name', 'orders'], '--target is required'],
    [['--namespace', 'shop', '--name', 'orders', '--target', 'orders:80'], '--target must be an absolute http(s) URL'],
    [[...ok, '--duration', '0'], '--duration must be a number > 0, got "0"'],
    [[...ok, '--rate', 'fast'], '--rate must be a number > 0, got "fast"'],
    [[...ok, '--header', 'no-colon'], `--header must look like 'Name: value', got "no-colon"`],
    [[...ok, '--bogus'], "Unknown option '--bogus'"],
  ])('%j is refused: %s', async (args, message) => {
    const r = await run(...args);
    expect(r.stderr).toContain(message);
    expect(r.code).toBe(2);
  });

  it('Given a saved recording, When --from-recording, Then the report is written with no cluster', async () => {
    const out = path.join(dir, 'again.html');
    const r = await run('--from-recording', path.join(here, 'fixtures/real-release.recording.json'), '--out', out);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('1446 requests, 0 failed');
    expect(readFileSync(out, 'utf8')).toContain('<div class="chart" id="chart-rps">');
  });

  it('Given a recording with a bad field, Then it fails naming the file and the field', async () => {
    const bad = path.join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ format: 'v0' }));
    const r = await run('--from-recording', bad, '--out', path.join(dir, 'x.html'));
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(`report failed: ${bad}.format must be "bluegreen-release-recording/v1", got "v0"`);
  });
});
