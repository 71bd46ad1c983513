// Runs the real operator as a child process against the local cluster, capturing its JSON
// logs for assertions. It runs what the image runs: the bundle operator/build/bundle.ts makes
// from the current source (rebuilt whenever a file it was built from changed), on the pinned
// Node 24. OPERATOR_BUILD=source runs operator/src/main.ts instead (type stripping at load),
// for comparisons such as bench/operator/startup.ts.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { bundleIsFresh } from '../operator/build/bundle.ts';
import { OPERATOR_NODE_FLAGS } from '../operator/build/node-flags.ts';
import { repoRoot } from '../test/cluster/harness.ts';

export interface OperatorProcess {
  child: ChildProcess;
  logs: string[];
  name: string;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

export const node24 = path.join(repoRoot, 'node_modules', '.bin', 'node');

export type OperatorBuild = 'bundle' | 'source';

let bundled: string | undefined;

/** Node arguments that start the operator: the bundle (built on first use) or main.ts. */
export function operatorCommand(build: OperatorBuild = operatorBuildFromEnv()): string[] {
  if (build === 'source') return [path.join(repoRoot, 'operator/src/main.ts')];
  if (bundled === undefined) {
    const outdir = path.join(repoRoot, 'operator/dist');
    // Rebuilt only when a file it was built from changed since (bundleIsFresh), so the test
    // files of one run share one build. A child process because esbuild's plugin API is async
    // and startOperator is not; files are written by rename, so concurrent test workers never
    // read half a file.
    if (!bundleIsFresh(outdir))
      execFileSync(node24, [path.join(repoRoot, 'operator/build/bundle.ts'), outdir], { stdio: 'inherit' });
    bundled = path.join(outdir, 'main.mjs');
  }
  return [...OPERATOR_NODE_FLAGS, bundled];
}

/** How the operator is run, for result files: the command line relative to the repository. */
export function operatorDescription(build: OperatorBuild = operatorBuildFromEnv()): string {
  return build === 'source'
    ? 'node operator/src/main.ts'
    : `node ${OPERATOR_NODE_FLAGS.join(' ')} operator/dist/main.mjs, the bundle of operator/src built by operator/build/bundle.ts`;
}

function operatorBuildFromEnv(): OperatorBuild {
  const v = process.env['OPERATOR_BUILD'] ?? 'bundle';
  if (v !== 'bundle' && v !== 'source') throw new Error(`OPERATOR_BUILD must be bundle or source, got "${v}"`);
  return v;
}

export function startOperator(opts: {
  kubeconfig: string;
  namespace: string;
  name: string;
  port: number;
  env?: Record<string, string>;
  build?: OperatorBuild;
  /** Node/V8 flags before the script (some, e.g. --optimize-for-size, are refused in NODE_OPTIONS). */
  nodeArgs?: string[];
}): OperatorProcess {
  const child = spawn(node24, [...(opts.nodeArgs ?? []), ...operatorCommand(opts.build)], {
    env: {
      ...process.env,
      KUBECONFIG: opts.kubeconfig,
      WATCH_NAMESPACE: opts.namespace,
      LEADER_ELECTION_NAMESPACE: opts.namespace,
      POD_NAME: opts.name,
      PORT: String(opts.port),
      LOG_LEVEL: 'debug',
      ...opts.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    logs,
    name: opts.name,
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
