// Entry point of the in-cluster Job: `node job-main.ts` with the GeneratorOptions as JSON in
// LOADTEST_OPTIONS. Prints one progress line per second and, last, one line
// `LOADTEST_RESULT <json>` that the CLI picks out of the pod log.
import { RESULT_MARKER, runLoad, type GeneratorOptions } from './generator.ts';

const raw = process.env['LOADTEST_OPTIONS'];
if (raw === undefined) {
  console.error('LOADTEST_OPTIONS is required: the generator options as JSON');
  process.exit(2);
}
const options = JSON.parse(raw) as GeneratorOptions;
const stats = await runLoad(options, (s) =>
  console.log(`t=${s.second}s target=${s.targetRate}/s sent=${s.sent} failed=${s.failed} p99=${s.p99}ms`),
);
console.log(RESULT_MARKER + JSON.stringify(stats));
