import { defineConfig } from 'vitest/config';
import LateToolsLast from './test/support/late-tools-last.ts';

// Four tiers (see docs/testing.md), cheapest first:
//   unit         co-located *.test.ts and test/unit: nothing but Node, seconds;
//   tools        test/tools: our real external tools (helm, actionlint, promtool) on the chart,
//                workflows and PromQL; a missing tool fails (test/tools/tool.sh builds them);
//   integration  and e2e: test/ against the local cluster, brought up by their globalSetup.
// No test may skip in CI or inside `npm test`: test/support/no-skip-reporter.ts fails the run.
export default defineConfig({
  test: {
    reporters: ['default', './test/support/no-skip-reporter.ts'],
    sequence: { sequencer: LateToolsLast },
    projects: [
      {
        test: {
          name: 'unit',
          include: [
            'operator/src/**/*.test.ts',
            'sample-services/src/**/*.test.ts',
            'test/unit/**/*.test.ts',
            'test/sim/**/*.test.ts',
            'loadtest/**/*.test.ts',
            'report/**/*.test.ts',
            'cli/**/*.test.ts',
          ],
          testTimeout: 20_000,
        },
      },
      {
        test: {
          name: 'tools',
          include: ['test/tools/**/*.test.ts'],
          testTimeout: 60_000,
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
