// The long soak of the safety simulation: `npm run sim -- --runs=N [--seed=S]`. Runs the same
// property as the unit tier with more cases, counts generated steps, and writes the result
// (seed, runs, steps, violations, machine, versions) to bench/results/.
// A failure saves the shrunk counterexample as JSON; `--replay=<file>` runs it alone with a
// trace of every write, event and Prometheus answer, and `--trace` does so right after a failure.
import fc from 'fast-check';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import os from 'node:os';
import { execFileSync } from 'node:child_process';
import { runScenario } from './run.ts';
import { commandArb, configArb } from './scenario.ts';

const arg = (name: string) => process.argv.find((a) => a.startsWith(`--${name}=`))?.split('=')[1];
const replay = arg('replay');
if (replay) {
  const [cfg, cmds] = JSON.parse(readFileSync(replay, 'utf8'));
  const o = await runScenario(cfg, cmds, console.log);
  process.exit(o.violations.length > 0 ? 1 : 0);
}
const runs = Number(arg('runs') ?? 2000);
const seed = Number(arg('seed') ?? Date.now() % 2 ** 31);
let steps = 0;
let crashes = 0;
let switches = 0;
let routeWrites = 0;
let routed = 0;
const phases = new Map<string, number>();
const started = Date.now();
const property = fc.asyncProperty(
  configArb,
  fc.array(commandArb, { minLength: 20, maxLength: 80, size: 'max' }),
  async (cfg, cmds) => {
    const o = await runScenario(cfg, cmds);
    steps += o.steps;
    crashes += o.crashes;
    switches += o.switches;
    routeWrites += o.routeWrites;
    if (cfg.canary?.gateway) routed++;
    phases.set(o.finalPhase ?? 'none', (phases.get(o.finalPhase ?? 'none') ?? 0) + 1);
    if (o.violations.length > 0) throw new Error(o.violations.join('\n'));
  },
);
const details = await fc.check(property, { numRuns: runs, seed });
const seconds = (Date.now() - started) / 1000;
if (details.failed && details.counterexample) {
  const file = path.join(os.tmpdir(), `sim-counterexample-${seed}.json`);
  writeFileSync(file, JSON.stringify(details.counterexample));
  console.log(`counterexample saved: npm run sim -- --replay=${file}`);
  if (process.argv.includes('--trace')) await runScenario(...details.counterexample, console.log);
}
const commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
const verdict = details.failed
  ? `FAILED: ${details.errorInstance instanceof Error ? details.errorInstance.message : ''}\n${fc.defaultReportMessage(details) ?? ''}`
  : 'passed: 0 invariant violations';
const report = `# Safety simulation soak

- command: \`npm run sim -- --runs=${runs} --seed=${seed}\`
- operator commit: ${commit}; date ${new Date().toISOString()}
- machine: ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, load average ${os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' ')}; Node ${process.version}; fast-check ${fc.__version}
- scenarios: ${details.numRuns} (of ${runs}); generated steps (commands): ${steps}; plus the settling phase of each scenario
- operator crashes injected and recovered: ${crashes}; active Service writes: ${switches}
- gateway canary scenarios (HTTPRoute weights, docs/adr/0017): ${routed}; HTTPRoute writes: ${routeWrites}
- final phases: ${[...phases].map(([p, n]) => `${p} ${n}`).join(', ')}
- wall time: ${seconds.toFixed(0)} s

Result: ${verdict}
`;
const out = arg('out');
if (out) writeFileSync(out, report);
console.log(report);
process.exit(details.failed ? 1 : 0);
