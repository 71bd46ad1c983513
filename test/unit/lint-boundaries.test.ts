// The layering rules of eslint.boundaries.js, checked against planted violations: if a pattern
// is loosened (or a glob stops matching the folder it guards), a row here fails. Lints text in
// memory with only the boundary rules, so it needs no type information and runs in a second.
import { ESLint } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, expect, it } from 'vitest';
import { boundaryConfigs } from '../../eslint.boundaries.js';

const eslint = new ESLint({
  cwd: process.cwd(),
  overrideConfigFile: true,
  overrideConfig: [
    {
      files: ['**/*.ts'],
      languageOptions: { parser: tseslint.parser },
      plugins: { '@typescript-eslint': tseslint.plugin },
    },
    ...boundaryConfigs,
  ],
});

async function violations(file: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath: file });
  return (result?.messages ?? []).map((m) => `${m.ruleId ?? 'parse'}: ${m.message}`);
}

describe('Given the layer boundary rules', () => {
  it.each([
    ['planner imports a writer', 'operator/src/planner/plan.ts', "import { applyObject } from '../k8s/writers.ts';"],
    [
      'planner imports the Prometheus client',
      'operator/src/planner/x.ts',
      "import { PrometheusClient } from '../analysis/prometheus.ts';",
    ],
    [
      'planner imports the runtime clock',
      'operator/src/planner/x.ts',
      "import { realClock } from '../runtime/clock.ts';",
    ],
    ['planner imports node:http', 'operator/src/planner/x.ts', "import { request } from 'node:http';"],
    [
      'planner imports client-node code',
      'operator/src/planner/x.ts',
      "import { KubeConfig } from '@kubernetes/client-node';",
    ],
    [
      'api imports the controller',
      'operator/src/api/x.ts',
      "import { Controller } from '../controller/controller.ts';",
    ],
    ['runtime imports api', 'operator/src/runtime/x.ts', "import { LABELS } from '../api/constants.ts';"],
    [
      'runtime imports the planner',
      'operator/src/runtime/x.ts',
      "import type { Plan } from '../planner/types.ts';\nimport { plan } from '../planner/plan.ts';",
    ],
    [
      'analysis imports the controller',
      'operator/src/analysis/x.ts',
      "import { Reconciler } from '../controller/reconciler.ts';",
    ],
    [
      'k8s imports the controller',
      'operator/src/k8s/x.ts',
      "import { Controller } from '../controller/controller.ts';",
    ],
    [
      'controller imports a test helper',
      'operator/src/controller/x.ts',
      "import { waitFor } from '../../../test/support/wait.ts';",
    ],
    [
      'controller imports planner fixtures',
      'operator/src/controller/x.ts',
      "import { observed } from '../planner/fixtures.ts';",
    ],
    [
      'a sample service imports test doubles',
      'sample-services/src/orders/x.ts',
      "import { start } from '../../testing/stack.ts';",
    ],
    [
      'runtime imports the in-memory Lease client',
      'operator/src/runtime/x.ts',
      "import { InMemoryLeaseClient } from '../../testing/leaseclient.ts';",
    ],
    [
      'a benchmark imports a test helper',
      'bench/operator/x.ts',
      "import { given } from '../../test/support/given.ts';",
    ],
    [
      "a benchmark imports the orders service's internals",
      'bench/sample-services/x.ts',
      "import { ordersRouter } from '../../sample-services/src/orders/service.ts';",
    ],
    ['the report model reads a file', 'report/model.ts', "import { readFile } from 'node:fs/promises';"],
    ['the report renderer calls the recorder', 'report/render.ts', "import { recordRelease } from './recorder.ts';"],
    [
      'the report markers use the cluster client',
      'report/markers.ts',
      "import { KubeConfig } from '@kubernetes/client-node';",
    ],
    ['the report recorder imports a test helper', 'report/recorder.ts', "import { at } from './testing/synthetic.ts';"],
  ])('When %s, Then lint fails', async (_what, file, source) => {
    const found = await violations(file, source);
    expect(found.length, `expected a boundary violation in ${file}`).toBeGreaterThan(0);
    expect(found.every((m) => m.startsWith('@typescript-eslint/no-restricted-imports'))).toBe(true);
  });

  it.each([
    [
      'planner imports api and pure analysis',
      'operator/src/planner/x.ts',
      "import { LABELS } from '../api/constants.ts';\nimport { renderQuery } from '../analysis/template.ts';",
    ],
    [
      'planner imports client-node types only',
      'operator/src/planner/x.ts',
      "import type { V1Deployment } from '@kubernetes/client-node';",
    ],
    [
      'api validates an address purely',
      'operator/src/api/x.ts',
      "import { validatePrometheusAddress } from '../analysis/address.ts';",
    ],
    ['runtime imports runtime', 'operator/src/runtime/x.ts', "import { realClock } from './clock.ts';"],
    [
      'controller imports the planner and writers',
      'operator/src/controller/x.ts',
      "import { plan } from '../planner/plan.ts';\nimport { applyObject } from '../k8s/writers.ts';",
    ],
    ['a unit test imports fixtures', 'operator/src/planner/plan.test.ts', "import { observed } from './fixtures.ts';"],
    [
      'a benchmark uses the cluster kit and the public entry of the sample services',
      'bench/sample-services/x.ts',
      "import { TestKube } from '../../clusterkit/kube.ts';\nimport { ordersApp } from '../../sample-services/src/index.ts';",
    ],
    [
      'the report model uses the markers and the generator types',
      'report/model.ts',
      "import { releaseMarkers } from './markers.ts';\nimport type { RunStats } from '../loadtest/engine/generator.ts';",
    ],
    [
      'a report unit test uses the synthetic recording',
      'report/model.test.ts',
      "import { at } from './testing/synthetic.ts';",
    ],
  ])('When %s, Then lint passes', async (_what, file, source) => {
    expect(await violations(file, source)).toEqual([]);
  });
});
