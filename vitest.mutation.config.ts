import { defineConfig } from 'vitest/config';

// The test suite mutation testing runs against the planner (stryker.config.json): the unit tier's
// planner tables, the reconciler tests that drive the planner, the status-schema walk and the
// simulation (the contract oracle judges every mutant's behaviour on generated scenarios).
export default defineConfig({
  test: {
    include: [
      'operator/src/planner/**/*.test.ts',
      'operator/src/controller/**/*.test.ts',
      'test/unit/crd-status-schema.test.ts',
      'test/sim/**/*.test.ts',
    ],
    testTimeout: 60_000,
    // Fewer generated scenarios per mutant than the unit tier's 100 (the tables carry most kills);
    // the mutation report says which mutants only the simulation kills.
    env: { SIM_RUNS: process.env['SIM_RUNS'] ?? '30' },
  },
});
