// Every PromQL expression we ship (test/support/promql-expressions.ts) and the example alert
// rules file, checked by the real promtool. Tool tier: promtool must exist (test/tools/tool.sh),
// a missing one fails.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { allExprs, rulesFile } from '../support/promql-expressions.ts';
import { toolPath } from '../support/tools.ts';

const promtool = toolPath('promtool');

/** promtool check rules on a file; '' when it passes, else its output. */
function checkRules(file: string): string {
  const r = spawnSync(promtool, ['check', 'rules', file], { encoding: 'utf8', timeout: 60_000 });
  return r.status === 0 ? '' : `${r.stdout}${r.stderr}`;
}

/** A rules file with each expression as a recording rule, so promtool parses all of them at once. */
function asRecordingRules(dir: string, exprs: Array<{ expr: string }>): string {
  const file = path.join(dir, 'rules.yml');
  const rules = {
    groups: [{ name: 'syntax', rules: exprs.map((e, i) => ({ record: `check:expr_${i}`, expr: e.expr })) }],
  };
  writeFileSync(file, stringify(rules));
  return file;
}

describe('PromQL under promtool', () => {
  it('Given every expression, promtool parses it', () => {
    expect(allExprs.length).toBeGreaterThan(10);
    const dir = mkdtempSync(path.join(tmpdir(), 'promql-'));
    try {
      const out = checkRules(asRecordingRules(dir, allExprs));
      const failing = out === '' ? '' : `${out}\n${allExprs.map((e, i) => `expr_${i} = ${e.where}`).join('\n')}`;
      expect(failing).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('When an expression is broken, promtool says so (the check above can fail)', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'promql-'));
    try {
      expect(checkRules(asRecordingRules(dir, [{ expr: 'sum(rate(http_requests_total[1m])' }]))).not.toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('Given the example alert rules file, promtool accepts it as is', () => {
    expect(checkRules(rulesFile)).toBe('');
  });
});
