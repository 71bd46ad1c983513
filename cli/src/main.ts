// The plugin's wiring: the only module that reads the command line and knows every command.
// `run` returns the exit code instead of exiting, so tests drive it in-process (main.test.ts);
// bin.ts is the executable's entry.
import { parseInvocation, USAGE, type Invocation } from './args.ts';
import { getWatch } from './commands/get-watch.ts';
import { getOnce, history, list } from './commands/read.ts';
import { write } from './commands/write.ts';
import { candidates, completionOutput, completionScript } from './completion.ts';
import { CliError, EXIT, type ExitCode } from './exit.ts';
import type { Io } from './io.ts';
import { asCliError, connect, type Kube } from './kube/client.ts';
import { listBgs } from './kube/reads.ts';
import { styleFor } from './render/style.ts';
import { CLI_VERSION } from './version.ts';

export async function run(argv: readonly string[], io: Io): Promise<ExitCode> {
  try {
    if (argv[0] === '__complete') {
      io.out(completionOutput(await candidates(argv.slice(1), (ns) => namesFor(argv.slice(1), ns))));
      return EXIT.ok;
    }
    await dispatch(parseInvocation(argv), io);
    return EXIT.ok;
  } catch (err) {
    const e = err instanceof CliError ? err : asCliError(err, 'request');
    io.err(`error: ${e.message}\n`);
    return e instanceof CliError ? e.code : EXIT.failed;
  }
}

async function dispatch(inv: Invocation, io: Io): Promise<void> {
  const style = styleFor(io.isTty, io.env, inv.flags.noColor);
  switch (inv.command) {
    case 'help':
      return io.out(USAGE);
    case 'version':
      return io.out(`kubectl-bluegreen ${CLI_VERSION}\n`);
    case 'completion':
      try {
        return io.out(completionScript(inv.args[0] ?? ''));
      } catch (err) {
        throw new CliError(EXIT.usage, (err as Error).message);
      }
    case 'get':
      return inv.flags.watch ? getWatch(inv, kubeOf(inv), io, style) : getOnce(inv, kubeOf(inv), io, style);
    case 'list':
      return list(inv, kubeOf(inv), io, style);
    case 'history':
      return history(inv, kubeOf(inv), io, style);
    case 'promote':
    case 'rollback':
    case 'abort':
    case 'set':
      return write(inv, kubeOf(inv), io);
  }
}

function kubeOf(inv: Invocation): Kube {
  const { kubeconfig, context, namespace, requestTimeoutMs } = inv.flags;
  return connect({ kubeconfig, context, namespace, requestTimeoutMs });
}

/** Names for completion; any failure (no cluster, no permission) completes nothing. */
async function namesFor(words: readonly string[], namespace: string | undefined): Promise<string[]> {
  try {
    const ctx = words.findIndex((w) => w === '--context');
    const kube = connect({ context: ctx >= 0 ? words[ctx + 1] : undefined, namespace, requestTimeoutMs: 2000 });
    return (await listBgs(kube, kube.namespace)).map((b) => b.metadata.name ?? '').filter(Boolean);
  } catch {
    return [];
  }
}
