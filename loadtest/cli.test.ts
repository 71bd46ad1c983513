// Bad input to `npm run loadtest` stops before any load with exit code 2 and names the option.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const cli = path.join(path.dirname(fileURLToPath(import.meta.url)), 'cli.ts');

function run(...args: string[]): Promise<{ code: number; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [cli, ...args], (err, _stdout, stderr) =>
      resolve({ code: err ? ((err as { code?: number }).code ?? -1) : 0, stderr }),
    );
  });
}

describe('loadtest CLI input', () => {
  it.each([
    [['nope', '--url', 'http://127.0.0.1:1/'], 'unknown scenario "nope"'],
    [['constant'], 'give --url or --service'],
    [['constant', '--url', 'not a url'], '--url must be an absolute http(s) URL, got "not a url"'],
    [['constant', '--service', 'a/b/c'], '--service must look like [namespace/]name[:port], got "a/b/c"'],
    [['constant', '--url', 'http://x/', '--service', 'ns/a'], 'give --url or --service, not both'],
    [['constant', '--url', 'http://x/', '--rate-scale=-2'], '--rate-scale must be a number > 0, got "-2"'],
    [['constant', '--url', 'http://x/', '--rate-scale', '0'], '--rate-scale must be a number > 0, got "0"'],
    [['constant', '--url', 'http://x/', '--bogus'], "Unknown option '--bogus'"],
    [['constant', '--url', 'http://x/', '--p99', 'fast'], '--p99 must be a number >= 0, got "fast"'],
  ])('%j is refused: %s', async (args, message) => {
    const r = await run(...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
