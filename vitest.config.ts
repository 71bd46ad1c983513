import { defineConfig } from 'vitest/config';

// Three tiers (see docs/testing.md): unit tests are co-located *.test.ts files and need
// nothing; integration and e2e tests live under test/ and bring up the local cluster
// themselves through their own globalSetup.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'operator/src/**/*.test.ts',
            'sample-services/src/**/*.test.ts',
            'test/unit/**/*.test.ts',
            'test/sim/**/*.test.ts',
          ],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          testTimeout: 180_000,
          hookTimeout: 1_800_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts', 'test/cluster/**/*.test.ts'],
          testTimeout: 600_000,
          hookTimeout: 3_600_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
