// Runs a sample service as a real child process (Node 24, type stripping), as in a container.
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Env } from '../src/kit/config.ts';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const NODE_24 = fileURLToPath(new URL('../../node_modules/node/bin/node', import.meta.url));

/** The Node binary to use: this one if it is Node >= 24, else the project's pinned Node 24. */
export const nodeBinary = Number(process.versions.node.split('.')[0]) >= 24 ? process.execPath : NODE_24;

export interface Child {
  proc: ChildProcess;
  stdout: string[];
  stderr: string[];
  exited: Promise<number | null>;
  /** Resolves with the port from the "listening" log line, or rejects with what was seen. */
  port: Promise<number>;
}

export function spawnService(service: string, env: Env): Child {
  const proc = spawn(nodeBinary, [MAIN, service], { env: { PATH: process.env['PATH'], ...env }, stdio: 'pipe' });
  const stdout: string[] = [];
  const stderr: string[] = [];
  const exited = new Promise<number | null>((resolve) => proc.once('exit', (code) => resolve(code)));
  const port = new Promise<number>((resolve, reject) => {
    let buffered = '';
    proc.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let nl: number;
      while ((nl = buffered.indexOf('\n')) >= 0) {
        const line = buffered.slice(0, nl);
        buffered = buffered.slice(nl + 1);
        stdout.push(line);
        try {
          const entry = JSON.parse(line) as { msg?: string; port?: number };
          if (entry.msg === 'listening' && entry.port) resolve(entry.port);
        } catch {
          // not a log line
        }
      }
    });
    proc.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
    void exited.then((code) =>
      reject(
        new Error(`child exited (${code}) before listening; stderr: ${stderr.join('')}; stdout: ${stdout.join('\n')}`),
      ),
    );
  });
  port.catch(() => undefined);
  return { proc, stdout, stderr, exited, port };
}

/** Polls `check` until it returns true or the deadline passes; the error says what was last seen. */
export async function waitFor(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
  describe = () => '',
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}; seen: ${describe()}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
