// Shell completion. `kubectl-bluegreen __complete WORD... CURRENT` prints the candidates for
// CURRENT one per line and then `:4`, the output format of cobra's __complete command, which is
// also what kubectl (1.26+) expects from a `kubectl_complete-bluegreen` helper on PATH; the
// bash and zsh scripts below call it for `kubectl-bluegreen` typed directly.
import { COMMANDS } from './args.ts';

/** cobra's ShellCompDirectiveNoFileComp: never fall back to file names. */
const NO_FILES = ':4';

const FLAGS = [
  '--namespace',
  '--all-namespaces',
  '--context',
  '--kubeconfig',
  '--watch',
  '--force',
  '--force-conflicts',
  '--dry-run',
  '--no-color',
  '--request-timeout',
  '--help',
];
const TAKES_NAME = new Set(['get', 'promote', 'rollback', 'abort', 'history']);
const TAKES_VALUE = new Set(['-n', '--namespace', '--context', '--kubeconfig', '--request-timeout']);

/**
 * Candidates for the last word of `words` (the words after the program name, the last one being
 * typed). `names` lists BlueGreenService names in a namespace (undefined: the context's); it is
 * called only where a NAME goes.
 */
export async function candidates(
  words: readonly string[],
  names: (namespace: string | undefined) => Promise<string[]>,
): Promise<string[]> {
  const current = words.at(-1) ?? '';
  const before = words.slice(0, -1);
  const prefixed = (list: readonly string[]) => list.filter((c) => c.startsWith(current));
  if (current.startsWith('-')) return prefixed(FLAGS);
  if (TAKES_VALUE.has(before.at(-1) ?? '')) return [];
  const positional = before.filter((w, i) => !w.startsWith('-') && !TAKES_VALUE.has(before[i - 1] ?? ''));
  const [command, ...rest] = positional;
  if (command === undefined) return prefixed(COMMANDS);
  const nsFlag = before.findIndex((w) => w === '-n' || w === '--namespace');
  const namespace = nsFlag >= 0 ? before[nsFlag + 1] : undefined;
  if (command === 'completion') return rest.length === 0 ? prefixed(['bash', 'zsh']) : [];
  if (command === 'set') {
    if (rest.length === 0) return prefixed(['image']);
    return rest.length === 1 ? prefixed(await names(namespace)) : [];
  }
  if (TAKES_NAME.has(command) && rest.length === 0) return prefixed(await names(namespace));
  return [];
}

export function completionOutput(list: readonly string[]): string {
  return [...list, NO_FILES, ''].join('\n');
}

export function completionScript(shell: string): string {
  if (shell === 'bash') return BASH;
  if (shell === 'zsh') return ZSH;
  throw new Error(`completion: unknown shell "${shell}" (bash or zsh)`);
}

const BASH = `# bash completion for kubectl-bluegreen: source <(kubectl-bluegreen completion bash)
_kubectl_bluegreen() {
  local IFS=$'\\n'
  COMPREPLY=($(kubectl-bluegreen __complete "\${COMP_WORDS[@]:1:COMP_CWORD}" 2>/dev/null | grep -v '^:'))
}
complete -o nosort -F _kubectl_bluegreen kubectl-bluegreen
`;

const ZSH = `#compdef kubectl-bluegreen
# zsh completion for kubectl-bluegreen: source <(kubectl-bluegreen completion zsh)
_kubectl_bluegreen() {
  local -a candidates
  candidates=("\${(@f)$(kubectl-bluegreen __complete "\${(@)words[2,CURRENT]}" 2>/dev/null | grep -v '^:')}")
  compadd -Q -- "\${candidates[@]}"
}
if [ "$funcstack[1]" = "_kubectl_bluegreen" ]; then _kubectl_bluegreen "$@"; else compdef _kubectl_bluegreen kubectl-bluegreen; fi
`;
