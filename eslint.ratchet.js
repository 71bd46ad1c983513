// The size ratchet of GUIDE.md §6 for the planner and the reconciler: a function a newcomer
// reads in one screen (at most 60 code lines) with at most 20 paths through it (ESLint's default
// complexity). Errors, and no inline config in these folders, so no comment can switch them off:
// a function over a limit is split into named steps (docs/adr/0024). Planted rows:
// test/unit/lint-ratchet.test.ts.

/** @type {import('eslint').Linter.Config} */
export const ratchetConfig = {
  name: 'ratchet/planner-controller-size',
  files: ['operator/src/planner/**/*.ts', 'operator/src/controller/**/*.ts'],
  ignores: ['**/*.test.ts'],
  linterOptions: { noInlineConfig: true },
  rules: {
    complexity: ['error', 20],
    'max-lines-per-function': ['error', { max: 60, skipBlankLines: true, skipComments: true }],
  },
};
