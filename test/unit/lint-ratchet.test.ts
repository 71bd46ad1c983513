// The size ratchet (eslint.ratchet.js, in eslint.config.js) (GUIDE.md §6): planner and controller functions have at
// most 20 paths (complexity) and 60 code lines, as errors, and no comment in those folders can
// switch the rules off. Planted functions just over and at each limit, linted in memory.
import { Linter } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { ratchetConfig as ratchet } from '../../eslint.ratchet.js';

const cwd = process.cwd();
const linter = new Linter({ cwd });
const parser: Linter.Config = { files: ['**/*.ts'], languageOptions: { parser: tseslint.parser } };

/** A function with `paths` paths through it (complexity) and about `lines` code lines. */
function planted(paths: number, lines: number, disable = ''): string {
  const branches = Array.from({ length: paths - 1 }, (_, i) => `  if (x === ${i}) return ${i};`);
  const filler = Array.from({ length: Math.max(0, lines - branches.length - 3) }, (_, i) => `  x += ${i};`);
  return `${disable}export function f(x: number): number {\n${[...filler, ...branches].join('\n')}\n  return x;\n}\n`;
}

function errors(file: string, source: string): string[] {
  const messages = linter.verify(source, [parser, ratchet], path.join(cwd, file));
  return messages.filter((m) => m.severity === 2).map((m) => `${m.ruleId}: ${m.message}`);
}

describe('Given the size ratchet of the planner and the controller', () => {
  it('Then it is there, as errors, for the planner and the controller', () => {
    expect(ratchet.rules).toMatchObject({
      complexity: ['error', 20],
      'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
    });
  });

  it.each([
    ['operator/src/planner/x.ts', planted(21, 30), ['complexity']],
    ['operator/src/planner/x.ts', planted(20, 30), []],
    ['operator/src/controller/x.ts', planted(21, 30), ['complexity']],
    ['operator/src/planner/x.ts', planted(2, 62), ['max-lines-per-function']],
    ['operator/src/planner/x.ts', planted(2, 60), []],
    ['operator/src/planner/x.ts', planted(21, 30, '// eslint-disable-next-line complexity\n'), ['complexity']],
    ['operator/src/planner/x.test.ts', planted(21, 62), []],
    ['operator/src/k8s/x.ts', planted(21, 62), []],
  ])('When %s holds a planted function, Then lint reports %j', (file, source, rules) => {
    expect(errors(file, source).map((e) => e.split(':')[0])).toEqual(rules);
  });
});
