// The safety simulation in the unit tier: fast-check generates configurations and sequences
// of hostile events; the real planner and reconciler run against the simulated cluster; the
// invariants (test/sim/invariants.ts) are judged after every step. A failure prints the seed,
// the path and the shrunk sequence: re-run it with SIM_SEED=<seed> SIM_PATH=<path>.
// The long soak is `npm run sim -- --runs=N` (results in bench/results/).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { runScenario } from './run.ts';
import { commandArb, configArb } from './scenario.ts';

const RUNS = Number(process.env['SIM_RUNS'] ?? 100);

export const safetyProperty = fc.asyncProperty(
  configArb,
  fc.array(commandArb, { minLength: 20, maxLength: 80, size: 'max' }),
  async (cfg, commands) => {
    const outcome = await runScenario(cfg, commands);
    if (outcome.violations.length > 0) throw new Error(outcome.violations.join('\n'));
  },
);

describe('Given a simulated cluster that attacks the operator', () => {
  it(`When ${RUNS} generated scenarios run, Then no safety invariant is ever violated`, async () => {
    // A fixed seed keeps `npm test` deterministic (CI must not turn red on a new random case);
    // `npm run sim` explores new seeds and every violation it finds gets a regression row.
    // 20261201 again: with canary configurations in the generator (docs/adr/0012) its stream
    // met the live-Deployment-deleted class, fixed since by kept templates (docs/adr/0016).
    const seed = Number(process.env['SIM_SEED'] ?? 20261201);
    const path = process.env['SIM_PATH'];
    const details = await fc.check(safetyProperty, {
      numRuns: RUNS,
      seed,
      ...(path ? { path } : {}),
    });
    const violation = details.errorInstance instanceof Error ? details.errorInstance.message : '';
    expect(details.failed, `${violation}\n${fc.defaultReportMessage(details) ?? ''}`).toBe(false);
  }, 600_000);
});
