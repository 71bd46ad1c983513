// The patterns of a boundary config, and the same config with one pattern removed: what
// test/unit/lint-boundaries.test.ts needs to show that every pattern has a planted row, and that
// the row flips when its pattern is gone. A pattern is a `files`/`ignores` glob or one entry of a
// rule's options (an import glob, an allow-list entry, a banned global, property or selector).
import type { Linter } from 'eslint';

/** Where a pattern sits: block name, then `files`, `ignores` or the rule's id, then the pattern. */
export interface PatternKey {
  block: string;
  where: string;
  pattern: string;
}

type Options = any[];

/** How to read and remove the patterns of each rule the boundary config uses. */
interface RuleShape {
  patterns(options: Options): string[];
  without(options: Options, pattern: string): Options;
}

const GOVERNS = 'governs ';
const entryLabel = (e: { path?: string; module?: string }) => e.path ?? e.module ?? '?';
const globalName = (g: string | { name: string }) => (typeof g === 'string' ? g : g.name);
const propertyName = (p: { object: string; property: string }) => `${p.object}.${p.property}`;
const selector = (s: string | { selector: string }) => (typeof s === 'string' ? s : s.selector);

/** One shape for rules whose options are a list of entries, each one pattern. */
function listShape(label: (entry: any) => string): RuleShape {
  return {
    patterns: (options) => options.map(label),
    without: (options, pattern) => options.filter((e) => label(e) !== pattern),
  };
}

const ruleShapes: Record<string, RuleShape> = {
  '@typescript-eslint/no-restricted-imports': {
    patterns: ([o]) => o.patterns.flatMap((p: { group: string[] }) => p.group),
    without: ([o], pattern) => [
      {
        ...o,
        patterns: o.patterns
          .map((p: { group: string[] }) => ({ ...p, group: p.group.filter((g) => g !== pattern) }))
          .filter((p: { group: string[] }) => p.group.length > 0),
      },
    ],
  },
  'layers/allowed-imports': {
    patterns: ([o]) => [...o.allow.map(entryLabel), ...(o.governs ?? []).map((g: string) => GOVERNS + g)],
    without: ([o], pattern) => [
      {
        ...o,
        allow: o.allow.filter((e: { path?: string; module?: string }) => entryLabel(e) !== pattern),
        ...(o.governs ? { governs: o.governs.filter((g: string) => GOVERNS + g !== pattern) } : {}),
      },
    ],
  },
  'no-restricted-globals': listShape(globalName),
  'no-restricted-properties': listShape(propertyName),
  'no-restricted-syntax': listShape(selector),
};

function shapeOf(rule: string): RuleShape {
  const shape = ruleShapes[rule];
  if (!shape) throw new Error(`test/support/lint-patterns.ts does not know the options of ${rule}: add its shape`);
  return shape;
}

function ruleEntries(block: Linter.Config): [string, Options][] {
  return Object.entries(block.rules ?? {}).map(([rule, value]) => {
    const [, ...options] = value as [Linter.RuleSeverity, ...Options];
    return [rule, options];
  });
}

/** Every pattern of every block, in config order. */
export function patternsOf(configs: Linter.Config[]): PatternKey[] {
  return configs.flatMap((block) => {
    const name = block.name ?? '(unnamed)';
    const globs = (where: 'files' | 'ignores') =>
      ((block[where] ?? []) as string[]).map((pattern) => ({ block: name, where, pattern }));
    const options = ruleEntries(block).flatMap(([rule, o]) =>
      shapeOf(rule)
        .patterns(o)
        .map((pattern) => ({ block: name, where: rule, pattern })),
    );
    return [...globs('files'), ...globs('ignores'), ...options];
  });
}

function blockWithout(block: Linter.Config, { where, pattern }: PatternKey): Linter.Config | undefined {
  if (where === 'files' || where === 'ignores') {
    const kept = ((block[where] ?? []) as string[]).filter((p) => p !== pattern);
    // A block whose last `files` glob is gone matches nothing (ESLint refuses an empty list).
    if (where === 'files' && kept.length === 0) return undefined;
    return { ...block, [where]: kept };
  }
  const [severity, ...options] = block.rules![where] as [Linter.RuleSeverity, ...Options];
  return { ...block, rules: { ...block.rules, [where]: [severity, ...shapeOf(where).without(options, pattern)] } };
}

/** The configs with exactly one pattern removed. */
export function configsWithout(configs: Linter.Config[], key: PatternKey): Linter.Config[] {
  return configs.flatMap((block) => {
    if (block.name !== key.block) return [block];
    const kept = blockWithout(block, key);
    return kept ? [kept] : [];
  });
}

export const patternId = (k: PatternKey) => `${k.block} › ${k.where} › ${k.pattern}`;
