import { existsSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { LATE_TOOL_FILES, lateToolFilesLast } from '../support/late-tools-last.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('end-to-end files that need a late-built tool', () => {
  it('exist (a renamed file would silently lose its place at the end)', () => {
    for (const f of LATE_TOOL_FILES) expect(existsSync(path.join(root, f)), f).toBe(true);
  });

  it('run after every other file, each group in the order vitest chose', () => {
    const ids = ['a', 'test/e2e/canary-gateway.test.ts', 'b', 'test/e2e/prometheus-operator.test.ts', 'c'];
    const sorted = lateToolFilesLast(ids.map((id) => ({ moduleId: `/repo/${id}` })));
    expect(sorted.map((f) => f.moduleId.slice('/repo/'.length))).toEqual([
      'a',
      'b',
      'c',
      'test/e2e/canary-gateway.test.ts',
      'test/e2e/prometheus-operator.test.ts',
    ]);
  });
});
