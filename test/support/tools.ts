// The external tools the tool tier (test/tools/*.test.ts) runs: helm, actionlint, promtool,
// chromium.
// Where each comes from is decided in one place, test/tools/tool.sh (env override, our pinned
// build, PATH); this module only asks it. A missing tool is an error, never a skip: `npm test`
// builds the tools before this tier runs (see test/run-all.sh).
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export type Tool = 'helm' | 'actionlint' | 'promtool' | 'chromium';

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../tools/tool.sh');

/** Absolute path (or PATH name) of the tool; throws with tool.sh's one-line fix when missing. */
export function toolPath(tool: Tool): string {
  const r = spawnSync('bash', [script, 'path', tool], { encoding: 'utf8', timeout: 10_000 });
  if (r.status !== 0) throw new Error(r.stderr.trim() || `test/tools/tool.sh path ${tool} failed (${r.status})`);
  return r.stdout.trim();
}
