// A vitest reporter that turns skipped tests into a failed run where skipping is not allowed:
// in CI (CI=true, as GitHub Actions sets it) and inside `npm test` (test/run-all.sh sets
// BLUEGREEN_FAIL_ON_SKIP=1). A skip there means a newcomer's run checks less than it claims,
// e.g. a tool the test needs was not built yet. Elsewhere it only lists the skipped tests.
// A run narrowed with -t (test name pattern) is exempt: vitest reports the tests it filtered
// out as skipped.
import type { Reporter, TestCase, TestModule, Vitest } from 'vitest/node';

/** True for CI=true/1/yes (anything but unset, '', 'false' and '0'). */
function flag(value: string | undefined): boolean {
  return value !== undefined && !['', '0', 'false'].includes(value.toLowerCase());
}

export function skipsAreFailures(env: NodeJS.ProcessEnv = process.env): boolean {
  return flag(env['CI']) || flag(env['BLUEGREEN_FAIL_ON_SKIP']);
}

/** "project > file > suite > test" of every skipped or todo test. */
export function skippedTests(modules: ReadonlyArray<TestModule>): string[] {
  const name = (t: TestCase) =>
    [t.project.name, t.module.relativeModuleId, t.fullName].filter((part) => part !== '').join(' > ');
  return modules.flatMap((m) => [...m.children.allTests()].filter((t) => t.result().state === 'skipped').map(name));
}

export default class NoSkipReporter implements Reporter {
  private filtered = false;

  onInit(vitest: Vitest): void {
    this.filtered = Boolean(vitest.config.testNamePattern);
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const skipped = skippedTests(modules);
    if (skipped.length === 0 || this.filtered) return;
    const list = skipped.map((s) => `  - ${s}`).join('\n');
    if (skipsAreFailures()) {
      console.error(
        `\nFAIL: ${skipped.length} test(s) skipped, and skipping is a failure here (CI or npm test):\n${list}\n`,
      );
      process.exitCode = 1;
    } else {
      console.warn(`\n${skipped.length} test(s) skipped (a failure under CI=true or npm test):\n${list}\n`);
    }
  }
}
