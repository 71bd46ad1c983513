// Runs the real operator (node operator/src/main.ts on the pinned Node 24) as a child
// process against the local cluster, capturing its JSON logs for assertions.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
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

export function startOperator(opts: {
  kubeconfig: string;
  namespace: string;
  name: string;
  port: number;
  env?: Record<string, string>;
}): OperatorProcess {
  const child = spawn(node24, [path.join(repoRoot, 'operator/src/main.ts')], {
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
