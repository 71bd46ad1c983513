// The plugin's boundary rules (eslint.boundaries.js), checked against planted violations like
// test/unit/lint-boundaries.test.ts checks the operator's: a loosened pattern fails a row here.
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

async function violations(file: string, source: string): Promise<number> {
  const [result] = await eslint.lintText(source, { filePath: file });
  return result?.messages.length ?? 0;
}

describe('Given the plugin boundary rules', () => {
  it.each([
    ['render reads the cluster', 'cli/src/render/x.ts', "import { readRelease } from '../kube/reads.ts';"],
    ['a model does I/O', 'cli/src/model/x.ts', "import { readFileSync } from 'node:fs';"],
    ['a model loads client-node', 'cli/src/model/x.ts', "import { KubeConfig } from '@kubernetes/client-node';"],
    [
      'render reaches the transport',
      'cli/src/render/x.ts',
      "import { open } from '../../../operator/src/runtime/transport.ts';",
    ],
    [
      'shipped code imports test objects',
      'cli/src/kube/x.ts',
      "import { canaryRelease } from '../../testing/canary.ts';",
    ],
  ])('%s is reported', async (_what, file, source) => {
    expect(await violations(file, source)).toBeGreaterThan(0);
  });

  it.each([
    [
      'render uses the pure analysis formatting',
      'cli/src/render/x.ts',
      "import { formatValue } from '../../../report/markers.ts';",
    ],
    [
      'a model uses the api defaults',
      'cli/src/model/x.ts',
      "import { resolveSpec } from '../../../operator/src/api/defaults.ts';",
    ],
    ['kube/ reads', 'cli/src/kube/x.ts', "import { request } from 'node:http';"],
  ])('%s is allowed', async (_what, file, source) => {
    expect(await violations(file, source)).toBe(0);
  });
});
