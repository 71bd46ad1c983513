// Entry of the npm bin and of the single executable (cli/build/sea.ts): runs one command and
// exits with its code once stdout has drained (a pipe must get the whole output). No top-level
// await: the single executable's entry must be a CommonJS script (Node 24's SEA).
import type { Io } from './io.ts';
import { run } from './main.ts';

const io: Io = {
  out: (text) => void process.stdout.write(text),
  err: (text) => void process.stderr.write(text),
  // isTTY is undefined, not false, on a pipe.
  isTty: process.stdout.isTTY ?? false,
  env: process.env,
  now: () => Date.now(),
  interrupted: () =>
    new Promise<void>((resolve) => {
      process.once('SIGINT', () => resolve());
      process.once('SIGTERM', () => resolve());
    }),
};
void run(process.argv.slice(2), io).then((code) => {
  process.stdout.write('', () => process.exit(code));
});
