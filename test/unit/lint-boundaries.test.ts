// The layering rules of eslint.boundaries.js, checked against planted rows
// (lint-boundaries.rows.ts): every pattern of the config has a row, and each row gives its
// expected outcome with the whole config and the opposite outcome with its pattern removed, so a
// loosened, deleted or no-longer-matching pattern fails here. Lints text in memory with only the
// boundary rules: no type information, a few seconds.
import { Linter } from 'eslint';
import path from 'node:path';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaryConfigs } from '../../eslint.boundaries.js';
import { configsWithout, patternId, patternsOf } from '../support/lint-patterns.ts';
import { escapeRows, plantedRows, type PlantedRow } from './lint-boundaries.rows.ts';

const cwd = process.cwd();
const linter = new Linter({ cwd });
const parser: Linter.Config = {
  files: ['**/*.ts'],
  languageOptions: { parser: tseslint.parser },
  plugins: { '@typescript-eslint': tseslint.plugin },
};

/** The boundary violations in `source` planted at `file`; a parse error throws (it is not a violation). */
function violations(configs: Linter.Config[], file: string, source: string): string[] {
  const messages = linter.verify(source, [parser, ...configs], path.join(cwd, file));
  const fatal = messages.find((m) => m.ruleId === null);
  if (fatal) throw new Error(`${file}: ${fatal.message}`);
  return messages.map((m) => `${m.ruleId}: ${m.message}`);
}

const fails = (found: string[]) => found.length > 0;
const name = (r: PlantedRow) => `${patternId(r)}: ${r.file} ${r.lint} on ${JSON.stringify(r.source)}`;

describe('Given the layer boundary rules', () => {
  it('Then every block has a name of its own (rows and pattern ids refer to it)', () => {
    const names = boundaryConfigs.map((b) => b.name);
    expect(names.every((n) => typeof n === 'string')).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it('Then every pattern of the config has a planted row, and every row a pattern', () => {
    const patterns = patternsOf(boundaryConfigs).map(patternId);
    const rows = new Set(plantedRows.map(patternId));
    expect(patterns.filter((p) => !rows.has(p))).toEqual([]);
    expect([...rows].filter((r) => !patterns.includes(r))).toEqual([]);
  });

  it.each(plantedRows.map((r) => [name(r), r] as const))('When %s, Then the row flips without its pattern', (_, r) => {
    const whole = violations(boundaryConfigs, r.file, r.source);
    expect(fails(whole), `with the whole config: ${whole.join('; ') || 'no violation'}`).toBe(r.lint === 'fails');
    const without = violations(configsWithout(boundaryConfigs, r), r.file, r.source);
    expect(fails(without), `without the pattern: ${without.join('; ') || 'no violation'}`).toBe(r.lint === 'passes');
  });

  it.each(escapeRows)('When %s, Then lint %s', (_what, lint, file, source) => {
    const found = violations(boundaryConfigs, file, source);
    expect(fails(found), found.join('; ') || 'no violation').toBe(lint === 'fails');
  });
});
