// Test-file order: vitest's own (failed first, then longest first, then larger files first),
// except that the end-to-end files that need a tool npm test builds in the background
// (test/run-all.sh: the Prometheus Operator, Traefik) run last, so on a fresh machine that
// build has the whole run's idle CPU before a test waits for it.
import { BaseSequencer, type TestSpecification } from 'vitest/node';

/** Files (paths from the repository root) that need a late-built tool. */
export const LATE_TOOL_FILES = ['test/e2e/prometheus-operator.test.ts', 'test/e2e/canary-gateway.test.ts'];

export function lateToolFilesLast<T extends { moduleId: string }>(files: readonly T[]): T[] {
  const late = (f: T) => LATE_TOOL_FILES.some((p) => f.moduleId.endsWith(`/${p}`));
  return [...files.filter((f) => !late(f)), ...files.filter(late)];
}

export default class LateToolsLast extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    return lateToolFilesLast(await super.sort(files));
  }
}
