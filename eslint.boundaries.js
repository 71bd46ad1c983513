// The operator's layers as lint rules (docs/architecture.md). Imports point down only:
//
//   main/config -> controller -> planner -> api
//                  controller -> k8s, analysis, metrics, runtime
//   planner, api and the pure analysis modules: pure, held by ALLOW-lists (what is not listed
//   is refused): no I/O, no clock, no randomness, no client code;
//   runtime: generic (knows nothing of blue/green);
//   shipped source never imports tests, test doubles, benchmarks or the cluster kit;
//   clusterkit/ (the local-cluster kit shared by tests, benchmarks and the demo) drives the
//   operator from outside: from the operator it may import only the API (api/), the
//   operator's own way of talking to an API server (k8s/paths.ts, k8s/request.ts, runtime/)
//   and its build (operator/build/); from test/ only test/cluster/; never bench/ or demo/,
//   which use it, nor the operator's decisions (planner/, controller/, analysis/), its
//   metrics/server or its wiring (main.ts, config.ts).
//
// Every block has a name, and every pattern in it (a `files`/`ignores` glob, an import glob,
// an allow-list entry, a banned global, property or syntax) has a planted row in
// test/unit/lint-boundaries.test.ts that flips when the pattern is removed; a pattern without
// a row fails that test. Kept apart from eslint.config.js so that test needs no type
// information (fast).
//
// In flat config a later block's options for the same rule REPLACE an earlier block's for the
// files both match: that is why the catch-all at the end ignores each folder that has its own
// `no-restricted-imports` block.
import { layersPlugin } from './eslint.layers.js';

/**
 * The pure modules of analysis/ (data and functions, no I/O), listed one by one: a new
 * `analysis/<provider>.ts` does I/O, and the planner cannot import it unless it is added here.
 */
const pureAnalysis = [
  'operator/src/analysis/address.ts',
  'operator/src/analysis/evaluate.ts',
  'operator/src/analysis/history.ts',
  'operator/src/analysis/prometheus-response.ts',
  'operator/src/analysis/template.ts',
  'operator/src/analysis/types.ts',
  'operator/src/analysis/web-response.ts',
];
const testOnly = [
  '**/test/**',
  '**/bench/**',
  '**/testing/**',
  '**/*.test.ts',
  '**/fixtures.ts',
  '**/fixtures/**',
  '**/clusterkit/**',
];
const noTestCode = {
  group: testOnly,
  message: 'shipped source must not import tests, test doubles, benchmarks or the cluster kit.',
};
/** Node I/O for the report's pure modules. A gitignore glob without a slash matches at any depth,
 * so `node:fs` covers `node:fs/promises` too. */
const nodeIo = ['node:http', 'node:https', 'node:net', 'node:fs', 'node:child_process', 'undici'];

/** What every pure module may import besides its own layer: the Kubernetes object types,
 * hashing (api/revision.ts) and RFC 9535 JSONPath evaluation (analysis/web-response.ts, a pure
 * function of a JSON value and a path: ADR 0021). No other package and no other Node built-in. */
const pureModules = [
  { module: '@kubernetes/client-node', typesOnly: true },
  { module: 'node:crypto', names: ['createHash'] },
  { module: 'jsonpath-rfc9535', names: ['query'] },
];
const pureMessage =
  'planner/, api/ and the pure analysis modules import only api/, the pure analysis modules, client-node types, node:crypto hashing and jsonpath-rfc9535 query (docs/architecture.md).';

/** `no-restricted-imports` with type-only imports allowed (types carry no code into the bundle). */
function restrict(...patterns) {
  return ['error', { patterns: patterns.map((p) => ({ ...p, allowTypeImports: true })) }];
}

/** `layers/allowed-imports` (eslint.layers.js): a string is a repository path (`dir/` a folder). */
function allowOnly(entries, message, governs) {
  const allow = entries.map((e) => (typeof e === 'string' ? { path: e } : e));
  return ['error', { allow, message, ...(governs ? { governs } : {}) }];
}

/** Pure code is given its inputs (`now` included): no I/O, clock, timer, randomness or process. */
const impureGlobals = Object.entries({
  fetch: 'network I/O',
  setTimeout: 'a timer',
  setInterval: 'a timer',
  setImmediate: 'a timer',
  queueMicrotask: 'scheduling',
  process: 'the environment, flags and exit',
  performance: 'a clock',
  require: 'loading code past the allow-list',
  console: 'I/O',
  crypto: 'randomness (Web Crypto)',
  globalThis: 'a way around this list (globalThis.fetch)',
  global: 'a way around this list (global.fetch)',
}).map(([name, what]) => ({ name, message: `${name} is ${what}; pure code is given what it needs.` }));

export const boundaryConfigs = [
  {
    name: 'boundaries/planner-imports',
    files: ['operator/src/planner/**/*.ts'],
    ignores: ['**/*.test.ts'],
    plugins: { layers: layersPlugin },
    rules: {
      'layers/allowed-imports': allowOnly(
        ['operator/src/planner/', 'operator/src/api/', ...pureAnalysis, ...pureModules],
        pureMessage,
      ),
    },
  },
  {
    // api/ and the pure analysis modules: the same list less planner/ (api never imports the planner).
    name: 'boundaries/pure-core-imports',
    files: ['operator/src/api/**/*.ts', ...pureAnalysis],
    ignores: ['**/*.test.ts'],
    plugins: { layers: layersPlugin },
    rules: {
      'layers/allowed-imports': allowOnly(['operator/src/api/', ...pureAnalysis, ...pureModules], pureMessage),
    },
  },
  {
    name: 'boundaries/pure-code',
    files: ['operator/src/planner/**/*.ts', 'operator/src/api/**/*.ts', ...pureAnalysis],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': ['error', ...impureGlobals],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'pure code reads the `now` it is given, not the clock.' },
        { object: 'Math', property: 'random', message: 'pure code is deterministic: no Math.random.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          // new Date(ms) and new Date(iso) are conversions and fine; without arguments it reads the clock.
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'new Date() reads the clock: use the `now` pure code is given.',
        },
        { selector: "CallExpression[callee.name='Date']", message: 'Date() reads the clock.' },
        { selector: 'ImportExpression', message: 'dynamic import() loads code past the allow-list.' },
      ],
    },
  },
  {
    name: 'boundaries/runtime',
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
    name: 'boundaries/analysis',
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
    // Notifications (docs/adr/0025): derived from what the reconcile records, delivered in the
    // background. They never plan, reconcile or write to the API (the reconciler writes their
    // outbox in status; Events go through the controller's EventSink).
    name: 'boundaries/notify',
    files: ['operator/src/notify/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(noTestCode, {
        group: ['**/planner/**', '**/controller/**', '**/k8s/**', '**/server/**'],
        message: 'notify/ derives and delivers notifications; it does not plan, reconcile or write to the API.',
      }),
    },
  },
  {
    name: 'boundaries/k8s-metrics-server',
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
    name: 'boundaries/bench-demo',
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
    // The local-cluster kit: see the rule in this file's header.
    name: 'boundaries/clusterkit',
    files: ['clusterkit/**/*.ts'],
    plugins: { layers: layersPlugin },
    rules: {
      'layers/allowed-imports': allowOnly(
        [
          'operator/src/api/',
          'operator/src/k8s/paths.ts',
          'operator/src/k8s/request.ts',
          'operator/src/runtime/',
          'operator/build/',
          'test/cluster/',
        ],
        'clusterkit/ drives the operator from outside: its API, its request helper and transport, its build, and test/cluster/ (eslint.boundaries.js).',
        ['operator/', 'test/', 'bench/', 'demo/'],
      ),
    },
  },
  {
    // The release report (docs/adr/0013): recording -> model -> HTML is pure and unit-tested;
    // only the recorder, the assets loader and the CLI touch the cluster, the network or files.
    name: 'boundaries/report-pure',
    files: ['report/recording.ts', 'report/markers.ts', 'report/model.ts', 'report/render.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(noTestCode, {
        group: [...nodeIo, '@kubernetes/client-node', '**/recorder.ts', '**/assets.ts', '**/cli.ts'],
        message: 'report/ recording, markers, model and render are pure: no I/O, no cluster client (docs/adr/0013).',
      }),
    },
  },
  {
    name: 'boundaries/report-io',
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
    name: 'boundaries/cli-pure',
    files: ['cli/src/model/**/*.ts', 'cli/src/render/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': restrict(noTestCode, {
        group: [...nodeIo, '@kubernetes/client-node', '**/kube/**', '**/commands/**', '**/runtime/**', '**/k8s/**'],
        message: 'cli/src/model and cli/src/render are pure: no I/O, no cluster client (docs/adr/0020).',
      }),
    },
  },
  {
    name: 'boundaries/cli',
    files: ['cli/src/**/*.ts'],
    ignores: ['**/*.test.ts', 'cli/src/model/**', 'cli/src/render/**'],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(noTestCode) },
  },
  {
    // Every other shipped module, and planner/ and api/ once more: their allow-list admits their
    // own folder, and this keeps planner/fixtures.ts and *.test.ts out of it.
    name: 'boundaries/shipped-source',
    files: ['operator/src/**/*.ts', 'sample-services/src/**/*.ts'],
    ignores: [
      '**/*.test.ts',
      'operator/src/runtime/**',
      'operator/src/analysis/**',
      'operator/src/notify/**',
      'operator/src/k8s/**',
      'operator/src/metrics/**',
      'operator/src/server/**',
    ],
    rules: { '@typescript-eslint/no-restricted-imports': restrict(noTestCode) },
  },
];
