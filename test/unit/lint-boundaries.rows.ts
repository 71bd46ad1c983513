// Planted rows for eslint.boundaries.js, one (at least) for every pattern: each row names the
// pattern it stands for, plants a file and a source, and says whether lint fails or passes on
// it. test/unit/lint-boundaries.test.ts checks the outcome with the whole config AND the
// opposite outcome with that one pattern removed, so a row cannot pass by accident.
import type { PatternKey } from '../support/lint-patterns.ts';

export interface PlantedRow extends PatternKey {
  lint: 'fails' | 'passes';
  file: string;
  source: string;
}

type Cells = [where: string, pattern: string, lint: PlantedRow['lint'], file: string, source: string];

const FILES = 'files';
const IGNORES = 'ignores';
const IMPORTS = '@typescript-eslint/no-restricted-imports';
const ALLOW = 'layers/allowed-imports';
const GLOBALS = 'no-restricted-globals';
const PROPERTIES = 'no-restricted-properties';
const SYNTAX = 'no-restricted-syntax';

const PLANNER = 'operator/src/planner/x.ts';
const API = 'operator/src/api/x.ts';
const RUNTIME = 'operator/src/runtime/x.ts';
const ANALYSIS_IO = 'operator/src/analysis/x.ts'; // not on the pure list: what a new provider is
const K8S = 'operator/src/k8s/x.ts';
const NOTIFY = 'operator/src/notify/x.ts';
const METRICS = 'operator/src/metrics/x.ts';
const CONTROLLER = 'operator/src/controller/x.ts';
const CLUSTERKIT = 'clusterkit/x.ts';
const REPORT_MODEL = 'report/model.ts';
const REPORT_RECORDER = 'report/recorder.ts';

function block(name: string, cells: Cells[]): PlantedRow[] {
  return cells.map(([where, pattern, lint, file, source]) => ({ block: name, where, pattern, lint, file, source }));
}

/** The pure analysis modules, as eslint.boundaries.js lists them. */
const pureAnalysis = ['address', 'evaluate', 'history', 'prometheus-response', 'template', 'types', 'web-response'].map(
  (m) => `operator/src/analysis/${m}.ts`,
);
const importAll = (from: string, module: string) => `import * as m from '${relativeTo(from, module)}';`;
function relativeTo(from: string, module: string): string {
  const fromDir = from.split('/').slice(0, -1);
  const to = module.split('/');
  let common = 0;
  while (common < fromDir.length && fromDir[common] === to[common]) common++;
  const up = fromDir.length - common;
  return (up === 0 ? './' : '../'.repeat(up)) + to.slice(common).join('/');
}

/** One import per test-only glob, each matching that glob and no other boundary glob. */
const testOnlySamples: [string, string][] = [
  ['**/test/**', '../../../test/support/wait.ts'],
  ['**/bench/**', '../../../bench/operator/lib.ts'],
  ['**/testing/**', '../../testing/leaseclient.ts'],
  ['**/*.test.ts', './x.test.ts'],
  ['**/fixtures.ts', './fixtures.ts'],
  ['**/fixtures/**', './fixtures/state.ts'],
  ['**/clusterkit/**', '../../../clusterkit/kube.ts'],
];
const noTestCode = (file: string): Cells[] =>
  testOnlySamples.map(([glob, specifier]) => [IMPORTS, glob, 'fails', file, `import * as m from '${specifier}';`]);

const plannerImports = block('boundaries/planner-imports', [
  [FILES, 'operator/src/planner/**/*.ts', 'fails', PLANNER, "import { applyObject } from '../k8s/writers.ts';"],
  [IGNORES, '**/*.test.ts', 'passes', 'operator/src/planner/x.test.ts', "import { it } from 'vitest';"],
  [ALLOW, 'operator/src/planner/', 'passes', PLANNER, "import { plan } from './plan.ts';"],
  [ALLOW, 'operator/src/api/', 'passes', PLANNER, "import { LABELS } from '../api/constants.ts';"],
  ...pureAnalysis.map((m): Cells => [ALLOW, m, 'passes', PLANNER, importAll(PLANNER, m)]),
  [ALLOW, '@kubernetes/client-node', 'passes', PLANNER, "import type { V1Deployment } from '@kubernetes/client-node';"],
  [ALLOW, 'node:crypto', 'passes', PLANNER, "import { createHash } from 'node:crypto';"],
  [ALLOW, 'jsonpath-rfc9535', 'passes', PLANNER, "import { query } from 'jsonpath-rfc9535';"],
]);

const pureCoreImports = block('boundaries/pure-core-imports', [
  [FILES, 'operator/src/api/**/*.ts', 'fails', API, "import type { Plan } from '../planner/types.ts';"],
  ...pureAnalysis.map((m): Cells => [FILES, m, 'fails', m, "import { describeError } from '../runtime/errors.ts';"]),
  [IGNORES, '**/*.test.ts', 'passes', 'operator/src/api/x.test.ts', "import { it } from 'vitest';"],
  [ALLOW, 'operator/src/api/', 'passes', API, "import { LABELS } from './constants.ts';"],
  ...pureAnalysis.map((m): Cells => [ALLOW, m, 'passes', API, importAll(API, m)]),
  [ALLOW, '@kubernetes/client-node', 'passes', API, "import type { V1ObjectMeta } from '@kubernetes/client-node';"],
  [ALLOW, 'node:crypto', 'passes', API, "import { createHash } from 'node:crypto';"],
  [ALLOW, 'jsonpath-rfc9535', 'passes', API, "import { query } from 'jsonpath-rfc9535';"],
]);

const pureCode = block('boundaries/pure-code', [
  [FILES, 'operator/src/planner/**/*.ts', 'fails', PLANNER, 'export const now = Date.now();'],
  [FILES, 'operator/src/api/**/*.ts', 'fails', API, 'export const now = Date.now();'],
  ...pureAnalysis.map((m): Cells => [FILES, m, 'fails', m, 'export const now = Date.now();']),
  [IGNORES, '**/*.test.ts', 'passes', 'operator/src/planner/x.test.ts', 'setTimeout(() => 0, 1);'],
  [GLOBALS, 'fetch', 'fails', PLANNER, "await fetch('http://prometheus:9090');"],
  [GLOBALS, 'setTimeout', 'fails', PLANNER, 'setTimeout(() => 0, 1);'],
  [GLOBALS, 'setInterval', 'fails', PLANNER, 'setInterval(() => 0, 1);'],
  [GLOBALS, 'setImmediate', 'fails', PLANNER, 'setImmediate(() => 0);'],
  [GLOBALS, 'queueMicrotask', 'fails', PLANNER, 'queueMicrotask(() => 0);'],
  [GLOBALS, 'process', 'fails', API, 'export const level = process.env.LOG_LEVEL;'],
  [GLOBALS, 'performance', 'fails', PLANNER, 'export const t = performance.now();'],
  [GLOBALS, 'require', 'fails', PLANNER, "export const fs = require('node:fs');"],
  [GLOBALS, 'console', 'fails', PLANNER, "console.log('planned');"],
  [GLOBALS, 'crypto', 'fails', API, 'export const id = crypto.randomUUID();'],
  [GLOBALS, 'globalThis', 'fails', PLANNER, "await globalThis.fetch('http://prometheus:9090');"],
  [GLOBALS, 'global', 'fails', PLANNER, 'export const t = global.setTimeout;'],
  [PROPERTIES, 'Date.now', 'fails', PLANNER, 'export const now = Date.now();'],
  [PROPERTIES, 'Math.random', 'fails', PLANNER, 'export const jitter = Math.random();'],
  [SYNTAX, "NewExpression[callee.name='Date'][arguments.length=0]", 'fails', PLANNER, 'export const t = new Date();'],
  [SYNTAX, "CallExpression[callee.name='Date']", 'fails', API, 'export const t = Date();'],
  [SYNTAX, 'ImportExpression', 'fails', PLANNER, "export const names = await import('../api/names.ts');"],
]);

const runtime = block('boundaries/runtime', [
  [FILES, 'operator/src/runtime/**/*.ts', 'fails', RUNTIME, "import { LABELS } from '../api/constants.ts';"],
  [IGNORES, '**/*.test.ts', 'passes', 'operator/src/runtime/x.test.ts', "import { f } from '../../testing/lease.ts';"],
  [IMPORTS, '**/api/**', 'fails', RUNTIME, "import { LABELS } from '../api/constants.ts';"],
  [IMPORTS, '**/planner/**', 'fails', RUNTIME, "import { plan } from '../planner/plan.ts';"],
  [IMPORTS, '**/controller/**', 'fails', RUNTIME, "import { Controller } from '../controller/controller.ts';"],
  [IMPORTS, '**/analysis/**', 'fails', RUNTIME, "import { runRound } from '../analysis/round.ts';"],
  [IMPORTS, '**/k8s/**', 'fails', RUNTIME, "import { applyObject } from '../k8s/writers.ts';"],
  [IMPORTS, '**/metrics/**', 'fails', RUNTIME, "import { Metrics } from '../metrics/operator-metrics.ts';"],
  [IMPORTS, '**/server/**', 'fails', RUNTIME, "import { serve } from '../server/http.ts';"],
  ...noTestCode(RUNTIME),
]);

const analysis = block('boundaries/analysis', [
  [FILES, 'operator/src/analysis/**/*.ts', 'fails', ANALYSIS_IO, "import { plan } from '../planner/plan.ts';"],
  [IGNORES, '**/*.test.ts', 'passes', 'operator/src/analysis/x.test.ts', "import { f } from '../../testing/x.ts';"],
  [IMPORTS, '**/planner/**', 'fails', ANALYSIS_IO, "import { plan } from '../planner/plan.ts';"],
  [IMPORTS, '**/controller/**', 'fails', ANALYSIS_IO, "import { Reconciler } from '../controller/reconciler.ts';"],
  [IMPORTS, '**/k8s/**', 'fails', ANALYSIS_IO, "import { applyObject } from '../k8s/writers.ts';"],
  [IMPORTS, '**/server/**', 'fails', ANALYSIS_IO, "import { serve } from '../server/http.ts';"],
  ...noTestCode(ANALYSIS_IO),
]);

const notify = block('boundaries/notify', [
  [FILES, 'operator/src/notify/**/*.ts', 'fails', NOTIFY, "import { plan } from '../planner/plan.ts';"],
  [IGNORES, '**/*.test.ts', 'passes', 'operator/src/notify/x.test.ts', "import { f } from '../../testing/x.ts';"],
  [IMPORTS, '**/planner/**', 'fails', NOTIFY, "import { plan } from '../planner/plan.ts';"],
  [IMPORTS, '**/controller/**', 'fails', NOTIFY, "import { Reconciler } from '../controller/reconciler.ts';"],
  [IMPORTS, '**/k8s/**', 'fails', NOTIFY, "import { EventRecorder } from '../k8s/events.ts';"],
  [IMPORTS, '**/server/**', 'fails', NOTIFY, "import { serve } from '../server/http.ts';"],
  ...noTestCode(NOTIFY),
]);

const k8sMetricsServer = block('boundaries/k8s-metrics-server', [
  [FILES, 'operator/src/k8s/**/*.ts', 'fails', K8S, "import { Controller } from '../controller/controller.ts';"],
  [FILES, 'operator/src/metrics/**/*.ts', 'fails', METRICS, "import { Controller } from '../controller/a.ts';"],
  [
    FILES,
    'operator/src/server/**/*.ts',
    'fails',
    'operator/src/server/x.ts',
    "import { C } from '../controller/a.ts';",
  ],
  [IGNORES, '**/*.test.ts', 'passes', 'operator/src/k8s/x.test.ts', "import { C } from '../controller/a.ts';"],
  [IMPORTS, '**/k8s/**', 'fails', METRICS, "import { applyObject } from '../k8s/writers.ts';"],
  [IMPORTS, '**/controller/**', 'fails', K8S, "import { Controller } from '../controller/controller.ts';"],
  [IMPORTS, '**/planner/plan.ts', 'fails', K8S, "import { plan } from '../planner/plan.ts';"],
  ...noTestCode(K8S),
]);

const benchDemo = block('boundaries/bench-demo', [
  [FILES, 'bench/**/*.ts', 'fails', 'bench/operator/x.ts', "import { given } from '../../test/support/given.ts';"],
  [FILES, 'demo/**/*.ts', 'fails', 'demo/x.ts', "import { steps } from '../test/support/steps.ts';"],
  [IMPORTS, '**/test/support/**', 'fails', 'bench/x.ts', "import { steps } from '../test/support/steps.ts';"],
  [IMPORTS, '**/test/unit/**', 'fails', 'bench/x.ts', "import { rows } from '../test/unit/rows.ts';"],
  [IMPORTS, '**/test/integration/**', 'fails', 'bench/x.ts', "import { t } from '../test/integration/t.ts';"],
  [IMPORTS, '**/test/e2e/**', 'fails', 'demo/x.ts', "import { t } from '../test/e2e/t.ts';"],
  [
    IMPORTS,
    '**/sample-services/src/**',
    'fails',
    'bench/s/x.ts',
    "import { o } from '../../sample-services/src/orders/o.ts';",
  ],
  [
    IMPORTS,
    '!**/sample-services/src/index.ts',
    'passes',
    'bench/s/x.ts',
    "import { app } from '../../sample-services/src/index.ts';",
  ],
]);

const clusterkit = block('boundaries/clusterkit', [
  [FILES, 'clusterkit/**/*.ts', 'fails', CLUSTERKIT, "import { plan } from '../operator/src/planner/plan.ts';"],
  [ALLOW, 'operator/src/api/', 'passes', CLUSTERKIT, "import { LABELS } from '../operator/src/api/constants.ts';"],
  [ALLOW, 'operator/src/k8s/paths.ts', 'passes', CLUSTERKIT, "import { paths } from '../operator/src/k8s/paths.ts';"],
  [ALLOW, 'operator/src/k8s/request.ts', 'passes', CLUSTERKIT, "import { r } from '../operator/src/k8s/request.ts';"],
  [
    ALLOW,
    'operator/src/runtime/',
    'passes',
    CLUSTERKIT,
    "import { c } from '../operator/src/runtime/defaultconnection.ts';",
  ],
  [ALLOW, 'operator/build/', 'passes', CLUSTERKIT, "import { bundleIsFresh } from '../operator/build/bundle.ts';"],
  [ALLOW, 'test/cluster/', 'passes', CLUSTERKIT, "import { repoRoot } from '../test/cluster/harness.ts';"],
  [ALLOW, 'governs operator/', 'fails', CLUSTERKIT, "import { FakeApiServer } from '../operator/testing/fake.ts';"],
  [ALLOW, 'governs test/', 'fails', CLUSTERKIT, "import { steps } from '../test/support/steps.ts';"],
  [ALLOW, 'governs bench/', 'fails', CLUSTERKIT, "import { lib } from '../bench/operator/lib.ts';"],
  [ALLOW, 'governs demo/', 'fails', CLUSTERKIT, "import { manifests } from '../demo/manifests.ts';"],
]);

const reportPure = block('boundaries/report-pure', [
  ...['recording', 'markers', 'model', 'render'].map((m): Cells => [
    FILES,
    `report/${m}.ts`,
    'fails',
    `report/${m}.ts`,
    "import { readFile } from 'node:fs/promises';",
  ]),
  ...['node:http', 'node:https', 'node:net', 'node:fs', 'node:child_process', 'undici'].map((m): Cells => [
    IMPORTS,
    m,
    'fails',
    REPORT_MODEL,
    `import * as io from '${m}';`,
  ]),
  [IMPORTS, '@kubernetes/client-node', 'fails', REPORT_MODEL, "import { KubeConfig } from '@kubernetes/client-node';"],
  [IMPORTS, '**/recorder.ts', 'fails', REPORT_MODEL, "import { recordRelease } from './recorder.ts';"],
  [IMPORTS, '**/assets.ts', 'fails', REPORT_MODEL, "import { loadAssets } from './assets.ts';"],
  [IMPORTS, '**/cli.ts', 'fails', REPORT_MODEL, "import { main } from './cli.ts';"],
  ...noTestCode(REPORT_MODEL),
]);

const reportIo = block('boundaries/report-io', [
  [FILES, 'report/**/*.ts', 'fails', REPORT_RECORDER, "import { at } from './testing/synthetic.ts';"],
  [IGNORES, '**/*.test.ts', 'passes', 'report/cli.test.ts', "import { at } from './testing/synthetic.ts';"],
  [IGNORES, 'report/testing/**', 'passes', 'report/testing/x.ts', "import { at } from './synthetic.test.ts';"],
  // Without these ignores the I/O block's options would replace the pure block's (last wins).
  ...['recording', 'markers', 'model', 'render'].map((m): Cells => [
    IGNORES,
    `report/${m}.ts`,
    'fails',
    `report/${m}.ts`,
    "import { readFile } from 'node:fs/promises';",
  ]),
  ...noTestCode(REPORT_RECORDER),
]);

const CLI_RENDER = 'cli/src/render/x.ts';
const CLI_COMMAND = 'cli/src/commands/x.ts';

const cliPure = block('boundaries/cli-pure', [
  [FILES, 'cli/src/model/**/*.ts', 'fails', 'cli/src/model/x.ts', "import { get } from '../kube/client.ts';"],
  [FILES, 'cli/src/render/**/*.ts', 'fails', CLI_RENDER, "import { get } from '../kube/client.ts';"],
  [IGNORES, '**/*.test.ts', 'passes', 'cli/src/render/x.test.ts', "import { get } from '../kube/client.ts';"],
  ...['node:http', 'node:https', 'node:net', 'node:fs', 'node:child_process', 'undici'].map((m): Cells => [
    IMPORTS,
    m,
    'fails',
    CLI_RENDER,
    `import * as io from '${m}';`,
  ]),
  [IMPORTS, '@kubernetes/client-node', 'fails', CLI_RENDER, "import { KubeConfig } from '@kubernetes/client-node';"],
  [IMPORTS, '**/kube/**', 'fails', CLI_RENDER, "import { get } from '../kube/client.ts';"],
  [IMPORTS, '**/commands/**', 'fails', CLI_RENDER, "import { promote } from '../commands/promote.ts';"],
  [IMPORTS, '**/runtime/**', 'fails', CLI_RENDER, "import { w } from '../../../operator/src/runtime/watch.ts';"],
  [IMPORTS, '**/k8s/**', 'fails', CLI_RENDER, "import { p } from '../../../operator/src/k8s/paths.ts';"],
  ...noTestCode(CLI_RENDER),
]);

const cli = block('boundaries/cli', [
  [FILES, 'cli/src/**/*.ts', 'fails', CLI_COMMAND, "import { waitFor } from '../../../test/support/wait.ts';"],
  [
    IGNORES,
    '**/*.test.ts',
    'passes',
    'cli/src/commands/x.test.ts',
    "import { w } from '../../../test/support/wait.ts';",
  ],
  // Without these ignores this block's options would replace the pure block's (last wins).
  [IGNORES, 'cli/src/model/**', 'fails', 'cli/src/model/x.ts', "import { get } from '../kube/client.ts';"],
  [IGNORES, 'cli/src/render/**', 'fails', CLI_RENDER, "import { get } from '../kube/client.ts';"],
  ...noTestCode(CLI_COMMAND),
]);

const shippedSource = block('boundaries/shipped-source', [
  [FILES, 'operator/src/**/*.ts', 'fails', CONTROLLER, "import { waitFor } from '../../../test/support/wait.ts';"],
  [
    FILES,
    'sample-services/src/**/*.ts',
    'fails',
    'sample-services/src/o/x.ts',
    "import { s } from '../../testing/s.ts';",
  ],
  [
    IGNORES,
    '**/*.test.ts',
    'passes',
    'operator/src/controller/x.test.ts',
    "import { o } from '../planner/fixtures.ts';",
  ],
  // Without these ignores this block's options would replace each layer's own (last wins).
  [IGNORES, 'operator/src/runtime/**', 'fails', RUNTIME, "import { LABELS } from '../api/constants.ts';"],
  [IGNORES, 'operator/src/analysis/**', 'fails', ANALYSIS_IO, "import { plan } from '../planner/plan.ts';"],
  [IGNORES, 'operator/src/notify/**', 'fails', NOTIFY, "import { plan } from '../planner/plan.ts';"],
  [IGNORES, 'operator/src/k8s/**', 'fails', K8S, "import { Controller } from '../controller/controller.ts';"],
  [IGNORES, 'operator/src/metrics/**', 'fails', METRICS, "import { Controller } from '../controller/controller.ts';"],
  [IGNORES, 'operator/src/server/**', 'fails', 'operator/src/server/x.ts', "import { C } from '../controller/c.ts';"],
  ...noTestCode(CONTROLLER),
]);

export const plantedRows: PlantedRow[] = [
  ...cliPure,
  ...cli,
  ...plannerImports,
  ...pureCoreImports,
  ...pureCode,
  ...runtime,
  ...analysis,
  ...notify,
  ...k8sMetricsServer,
  ...benchDemo,
  ...clusterkit,
  ...reportPure,
  ...reportIo,
  ...shippedSource,
];

/**
 * Escapes the allow-lists close, and shapes they must keep allowing: no single pattern stands
 * for these (an allow-list refuses by default), so they are checked with the whole config only.
 */
export const escapeRows: [what: string, lint: PlantedRow['lint'], file: string, source: string][] = [
  ['planner imports bare fs', 'fails', PLANNER, "import { readFileSync } from 'fs';"],
  [
    'the report model reads a file (node:fs covers node:fs/promises)',
    'fails',
    REPORT_MODEL,
    "import { readFile } from 'node:fs/promises';",
  ],
  ['planner imports node:dns', 'fails', PLANNER, "import { lookup } from 'node:dns';"],
  ['planner imports node:tls', 'fails', PLANNER, "import { connect } from 'node:tls';"],
  ['planner imports node:os', 'fails', PLANNER, "import { hostname } from 'node:os';"],
  ['planner imports prom-client', 'fails', PLANNER, "import { Counter } from 'prom-client';"],
  ['planner imports pino', 'fails', PLANNER, "import pino from 'pino';"],
  ['planner imports a new analysis provider', 'fails', PLANNER, "import { D } from '../analysis/datadog.ts';"],
  ['planner imports the Prometheus client', 'fails', PLANNER, "import { P } from '../analysis/prometheus.ts';"],
  ['planner imports the analysis round', 'fails', PLANNER, "import { runRound } from '../analysis/round.ts';"],
  ['planner imports the runtime clock', 'fails', PLANNER, "import { realClock } from '../runtime/clock.ts';"],
  ['planner reaches k8s through api/..', 'fails', PLANNER, "import { a } from '../api/../k8s/writers.ts';"],
  ['planner re-exports a writer', 'fails', PLANNER, "export { applyObject } from '../k8s/writers.ts';"],
  ['planner re-exports all of k8s', 'fails', PLANNER, "export * from '../k8s/writers.ts';"],
  ['planner imports its fixtures', 'fails', PLANNER, "import { observed } from './fixtures.ts';"],
  ['planner imports a test', 'fails', PLANNER, "import { rows } from './plan.test.ts';"],
  [
    'planner inline-type-imports client-node',
    'fails',
    PLANNER,
    "import { type V1Pod } from '@kubernetes/client-node';",
  ],
  ['planner imports client-node code', 'fails', PLANNER, "import { KubeConfig } from '@kubernetes/client-node';"],
  ['planner imports randomUUID', 'fails', PLANNER, "import { randomUUID } from 'node:crypto';"],
  ['planner imports all of node:crypto', 'fails', PLANNER, "import * as c from 'node:crypto';"],
  ['api imports all of jsonpath-rfc9535', 'fails', API, "import * as j from 'jsonpath-rfc9535';"],
  ['api imports the JSONPath parser', 'fails', API, "import parse from 'jsonpath-rfc9535/parser';"],
  ['api imports planner types', 'fails', API, "import type { Plan } from '../planner/types.ts';"],
  ['api imports the controller', 'fails', API, "import { Controller } from '../controller/controller.ts';"],
  [
    'a pure analysis module imports the Prometheus client',
    'fails',
    pureAnalysis[1]!,
    "import { P } from './prometheus.ts';",
  ],
  [
    'controller imports the cluster kit',
    'fails',
    CONTROLLER,
    "import { TestKube } from '../../../clusterkit/kube.ts';",
  ],
  [
    'clusterkit imports the controller',
    'fails',
    CLUSTERKIT,
    "import { C } from '../operator/src/controller/controller.ts';",
  ],
  ['clusterkit imports the wiring', 'fails', CLUSTERKIT, "import { loadConfig } from '../operator/src/config.ts';"],
  ['planner converts times', 'passes', PLANNER, 'export const iso = new Date(Date.parse("2026-01-01")).toISOString();'],
  [
    'api hashes a template',
    'passes',
    API,
    "import { createHash } from 'node:crypto';\nexport const h = createHash('sha256');",
  ],
  [
    'clusterkit uses Node and client-node',
    'passes',
    CLUSTERKIT,
    "import http from 'node:http';\nimport { KubeConfig } from '@kubernetes/client-node';",
  ],
  [
    'controller imports the planner and writers',
    'passes',
    CONTROLLER,
    "import { plan } from '../planner/plan.ts';\nimport { a } from '../k8s/writers.ts';",
  ],
  ['runtime imports runtime', 'passes', RUNTIME, "import { realClock } from './clock.ts';"],
  [
    'a planner unit test imports fixtures',
    'passes',
    'operator/src/planner/plan.test.ts',
    "import { observed } from './fixtures.ts';",
  ],
  [
    'a benchmark uses the cluster kit',
    'passes',
    'bench/s/x.ts',
    "import { TestKube } from '../../clusterkit/kube.ts';",
  ],
  [
    'the report model uses markers and generator types',
    'passes',
    REPORT_MODEL,
    "import { m } from './markers.ts';\nimport type { RunStats } from '../loadtest/engine/generator.ts';",
  ],
];
