// The operator's layers as lint rules (docs/architecture.md). Imports point down only:
//
//   main/config -> controller -> planner -> api
//                  controller -> k8s, analysis, metrics, runtime
//   planner, api: pure (no I/O); runtime: generic (knows nothing of blue/green);
//   shipped source never imports tests, test doubles or benchmarks.
//
// Kept apart from eslint.config.js so test/unit/lint-boundaries.test.ts can check each rule
// against planted violations without type information (fast).

/** Modules of analysis/ that do I/O; every other analysis module is pure data and functions. */
const analysisIo = ['**/analysis/prometheus.ts', '**/analysis/round.ts'];
const testOnly = ['**/test/**', '**/bench/**', '**/testing/**', '**/*.test.ts', '**/fixtures.ts', '**/fixtures/**'];

const pure = {
  group: ['**/k8s/**', '**/controller/**', '**/runtime/**', '**/server/**', '**/metrics/**', ...analysisIo],
  message: 'planner/ and api/ are pure: no I/O, clocks or clients (docs/architecture.md).',
};
const nodeIo = {
  group: ['node:http', 'node:https', 'node:net', 'node:fs', 'node:fs/*', 'node:child_process', 'undici'],
  message: 'planner/ and api/ are pure: no I/O (docs/architecture.md).',
};
const noTestCode = { group: testOnly, message: 'shipped source must not import tests, test doubles or benchmarks.' };

/** `no-restricted-imports` with type-only imports allowed (types carry no code into the bundle). */
function restrict(...patterns) {
  return ['error', { patterns: patterns.map((p) => ({ ...p, allowTypeImports: true })) }];
}

export const boundaryConfigs = [
  {
    files: ['operator/src/planner/**/*.ts', 'operator/src/api/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(pure, nodeIo, noTestCode, {
        // Types of the Kubernetes objects are fine; the client's runtime code is not.
        group: ['@kubernetes/client-node'],
        message: 'planner/ and api/ may import only types from @kubernetes/client-node.',
      }),
    },
  },
  {
    files: ['operator/src/runtime/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(noTestCode, {
        group: [
          '**/api/**',
          '**/planner/**',
          '**/controller/**',
          '**/analysis/**',
          '**/k8s/**',
          '**/metrics/**',
          '**/server/**',
        ],
        message: 'runtime/ is generic and knows nothing of blue/green: it imports only runtime/ and libraries.',
      }),
    },
  },
  {
    files: ['operator/src/analysis/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(noTestCode, {
        group: ['**/planner/**', '**/controller/**', '**/k8s/**', '**/server/**'],
        message: 'analysis/ measures and evaluates; it does not plan, reconcile or write to the API.',
      }),
    },
  },
  {
    files: ['operator/src/k8s/**/*.ts', 'operator/src/metrics/**/*.ts', 'operator/src/server/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(noTestCode, {
        group: ['**/k8s/**', '**/controller/**', '**/planner/plan.ts'],
        message: 'k8s/, metrics/ and server/ are called by the controller, never the other way round.',
      }),
    },
  },
  {
    // Benchmarks and the demo drive the system from outside: through the local-cluster kit
    // (clusterkit/, test/cluster/), the operator's API types and the sample services' public
    // entry, never through tests or a service's internals.
    files: ['bench/**/*.ts', 'demo/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict({
        group: [
          '**/test/support/**',
          '**/test/unit/**',
          '**/test/integration/**',
          '**/test/e2e/**',
          '**/sample-services/src/**',
          '!**/sample-services/src/index.ts',
        ],
        message:
          'bench/ and demo/ use clusterkit/, test/cluster/ and sample-services/src/index.ts, not tests or service internals.',
      }),
    },
  },
  {
    // The release report (docs/adr/0013): recording -> model -> HTML is pure and unit-tested;
    // only the recorder, the assets loader and the CLI touch the cluster, the network or files.
    files: ['report/recording.ts', 'report/markers.ts', 'report/model.ts', 'report/render.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(noTestCode, {
        group: [...nodeIo.group, '@kubernetes/client-node', '**/recorder.ts', '**/assets.ts', '**/cli.ts'],
        message: 'report/ recording, markers, model and render are pure: no I/O, no cluster client (docs/adr/0013).',
      }),
    },
  },
  {
    files: ['report/**/*.ts'],
    ignores: [
      '**/*.test.ts',
      'report/testing/**',
      'report/recording.ts',
      'report/markers.ts',
      'report/model.ts',
      'report/render.ts',
    ],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(noTestCode) },
  },
  {
    // The kubectl plugin (docs/adr/0020): what it draws and decides (model/, render/) is a pure
    // function of the objects read, golden-tested; only kube/, commands/ and main touch the API.
    files: ['cli/src/model/**/*.ts', 'cli/src/render/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(noTestCode, {
        group: [
          ...nodeIo.group,
          '@kubernetes/client-node',
          '**/kube/**',
          '**/commands/**',
          '**/runtime/**',
          '**/k8s/**',
        ],
        message: 'cli/src/model and cli/src/render are pure: no I/O, no cluster client (docs/adr/0020).',
      }),
    },
  },
  {
    files: ['cli/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'cli/src/model/**', 'cli/src/render/**'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(noTestCode) },
  },
  {
    files: ['operator/src/**/*.ts', 'sample-services/src/**/*.ts'],
    ignores: [
      '**/*.test.ts',
      'operator/src/planner/**',
      'operator/src/api/**',
      'operator/src/runtime/**',
      'operator/src/analysis/**',
      'operator/src/k8s/**',
      'operator/src/metrics/**',
      'operator/src/server/**',
      '**/testing/**',
    ],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(noTestCode) },
  },
];
