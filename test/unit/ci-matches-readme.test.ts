// .ci/run must run exactly the test command the README gives users, so what CI proves is
// what a new user runs.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../..');

describe('.ci/run', () => {
  it('runs the README test command verbatim', () => {
    const readme = readFileSync(path.join(root, 'README.md'), 'utf8');
    const ci = readFileSync(path.join(root, '.ci/run'), 'utf8');
    const m = /<!-- test-command -->\s*```(?:sh|bash)?\n([^\n]+)\n```/.exec(readme);
    expect(m, 'README.md must contain a fenced test command after <!-- test-command -->').not.toBeNull();
    const command = m![1]!.trim();
    const lastLine = ci.trim().split('\n').at(-1)!.trim();
    expect(lastLine).toBe(command);
  });
});
