// The command line, kubectl's way: `kubectl bluegreen COMMAND [NAME] [flags]`, with -n/--namespace,
// -A/--all-namespaces, --context and --kubeconfig as kubectl spells them. Parsed by node:util's
// parseArgs (strict: an unknown flag is a usage error, exit 2). PURE.
import { parseArgs } from 'node:util';
import { CliError, EXIT } from './exit.ts';

export const COMMANDS = [
  'get',
  'list',
  'promote',
  'rollback',
  'abort',
  'set',
  'history',
  'completion',
  'version',
  'help',
] as const;
export type Command = (typeof COMMANDS)[number];

export const USAGE = `kubectl bluegreen: releases of BlueGreenServices (bluegreen.dev/v1alpha1, short name bgs)

usage: kubectl bluegreen COMMAND [NAME] [flags]

  get NAME [-w]                 the object as a tree: colours, pods, analysis rounds, canary step,
                                conditions, last Events; -w redraws on every change (Ctrl-C ends)
  list [-A]                     one line per BlueGreenService (-A: every namespace)
  promote NAME [--force]        switch to the preview colour (spec.activeColor); refuses while the
                                preview is not ready or its analysis failed, unless --force
  rollback NAME                 switch back to the previous colour
  abort NAME                    pin traffic to the stable colour mid-canary or mid-analysis
  set image NAME CONTAINER=IMAGE ...   a new template: the image of the named container(s)
  history NAME                  revisions released and what became of them (Events, kept templates)
  completion bash|zsh           shell completion script
  version

flags:
  -n, --namespace NS            default: the context's namespace, else "default"
  -A, --all-namespaces          list only
      --context NAME            a kubeconfig context other than the current one
      --kubeconfig FILE         default: $KUBECONFIG, else ~/.kube/config
  -w, --watch                   get only
      --force                   promote/rollback/abort: past the safety checks --force may override
      --force-conflicts         take a field over from a server-side apply owner (a GitOps agent)
      --dry-run                 print the server-side apply request instead of sending it
      --no-color                no colour (also when NO_COLOR is set or stdout is not a terminal)
      --request-timeout D       deadline of one API request: 10s (default), 500ms, 1m

Writes are server-side apply with field manager "kubectl-bluegreen". Exit codes: 0 done or nothing
to do, 1 API error, 2 usage, 3 not found, 4 refused by a safety check, 5 field owned by another
applier. Docs: docs/cli.md.
`;

export interface Flags {
  namespace?: string | undefined;
  allNamespaces: boolean;
  context?: string | undefined;
  kubeconfig?: string | undefined;
  watch: boolean;
  force: boolean;
  forceConflicts: boolean;
  dryRun: boolean;
  noColor: boolean;
  requestTimeoutMs: number;
  help: boolean;
}

export interface Invocation {
  command: Command;
  args: string[];
  flags: Flags;
}

/** Which flags each command accepts besides the connection flags; anything else is a usage error. */
const OWN_FLAGS: Partial<Record<Command, (keyof Flags)[]>> = {
  get: ['watch'],
  list: ['allNamespaces'],
  promote: ['force', 'forceConflicts', 'dryRun'],
  rollback: ['force', 'forceConflicts', 'dryRun'],
  abort: ['force', 'forceConflicts', 'dryRun'],
  set: ['forceConflicts', 'dryRun'],
};
const EXCLUSIVE: (keyof Flags)[] = ['watch', 'allNamespaces', 'force', 'forceConflicts', 'dryRun'];

export function parseInvocation(argv: readonly string[]): Invocation {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      allowPositionals: true,
      options: {
        namespace: { type: 'string', short: 'n' },
        'all-namespaces': { type: 'boolean', short: 'A', default: false },
        context: { type: 'string' },
        kubeconfig: { type: 'string' },
        watch: { type: 'boolean', short: 'w', default: false },
        force: { type: 'boolean', default: false },
        'force-conflicts': { type: 'boolean', default: false },
        'dry-run': { type: 'boolean', default: false },
        'no-color': { type: 'boolean', default: false },
        'request-timeout': { type: 'string', default: '10s' },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', default: false },
      },
    });
  } catch (err) {
    throw new CliError(EXIT.usage, (err as Error).message);
  }
  const v = parsed.values;
  const flags: Flags = {
    namespace: v.namespace,
    allNamespaces: v['all-namespaces'],
    context: v.context,
    kubeconfig: v.kubeconfig,
    watch: v.watch,
    force: v.force,
    forceConflicts: v['force-conflicts'],
    dryRun: v['dry-run'],
    noColor: v['no-color'],
    requestTimeoutMs: parseDuration(v['request-timeout']),
    help: v.help,
  };
  const [word, ...args] = parsed.positionals;
  const command: Command = v.version ? 'version' : word === undefined || v.help ? 'help' : asCommand(word);
  for (const flag of EXCLUSIVE)
    if (flags[flag] && !(OWN_FLAGS[command] ?? []).includes(flag))
      throw new CliError(EXIT.usage, `${command} does not take --${kebab(flag)}`);
  return { command, args, flags };
}

function asCommand(word: string): Command {
  if ((COMMANDS as readonly string[]).includes(word)) return word as Command;
  if (word === 'retry')
    throw new CliError(
      EXIT.usage,
      'retry is not available yet: releasing an aborted revision again needs an operator lever (docs/cli.md)',
    );
  if (word === 'report')
    throw new CliError(
      EXIT.usage,
      'report is not a plugin command: the release report records load while it happens (npm run report, docs/release-report.md)',
    );
  throw new CliError(EXIT.usage, `unknown command "${word}" (see kubectl bluegreen help)`);
}

const kebab = (flag: string) => flag.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

/** "10s", "500ms", "1m" or plain seconds, as kubectl's --request-timeout; must be > 0. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)(ms|s|m)?$/.exec(text.trim());
  const ms = m ? Number(m[1]) * { ms: 1, s: 1000, m: 60_000 }[(m[2] ?? 's') as 'ms' | 's' | 'm'] : NaN;
  if (!(ms > 0)) throw new CliError(EXIT.usage, `--request-timeout must be a duration > 0 such as 10s, got "${text}"`);
  return ms;
}

/** The NAME argument a command needs, or a usage error saying so. */
export function nameArg(inv: Invocation, index = 0): string {
  const name = inv.args[index];
  if (!name) throw new CliError(EXIT.usage, `${inv.command} needs a NAME (see kubectl bluegreen help)`);
  return name;
}
