// The bundle the image runs (operator/build/bundle.ts): it must not pull client-node's KubeConfig,
// Watch and HTTP stack (undici and what comes with it) or its generated API back in (that code,
// kept as source text by V8, was most of the operator's fixed memory: bench/README.md), must not
// ship test code, must load, and its stack traces must name the TypeScript source lines.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleOperator, bytesByInput, type BundleResult } from '../../operator/build/bundle.ts';

const node24 = path.resolve(import.meta.dirname, '../../node_modules/.bin/node');
// On a 2-core machine shared with a Kubernetes build, esbuild has taken up to a minute.
const BUILD_TIMEOUT_MS = 180_000;

const outdir = mkdtempSync(path.join(os.tmpdir(), 'operator-bundle-test-'));
let bundle: BundleResult;
beforeAll(async () => {
  bundle = await bundleOperator(outdir);
}, BUILD_TIMEOUT_MS);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** Inputs matching `pattern` that contribute code to main.mjs. */
function contributing(pattern: RegExp): string[] {
  return [...bytesByInput(bundle.metafile)]
    .filter(([input, bytes]) => bytes > 0 && pattern.test(input))
    .map(([i]) => i);
}

describe('the operator bundle', () => {
  it('holds none of client-node generated API classes, model classes or serializer', () => {
    // ObservableAPI / ObjectParamAPI / PromiseAPI (gen/types), the API classes (gen/apis) and the
    // ~750 model classes with ObjectSerializer (gen/models) are what the root import and the typed
    // API clients load. The HTTP layer (gen/http) and the configuration helpers KubeConfig uses
    // are small and stay.
    expect(contributing(/@kubernetes\/client-node\/dist\/gen\/(apis|types|models)\//)).toEqual([]);
    const generated = contributing(/@kubernetes\/client-node\/dist\/gen\//);
    const generatedBytes = generated.reduce((sum, i) => sum + (bytesByInput(bundle.metafile).get(i) ?? 0), 0);
    expect(generatedBytes).toBeLessThan(32 * 1024);
  });

  it("holds none of client-node's KubeConfig, Watch or HTTP stack, nor what they bring (ADR 0018)", () => {
    // Our own kubeconfig reader and transport (runtime/connection.ts, transport.ts, watch.ts)
    // replace them; each of these cost fixed MiB at start (bench/README.md). Inputs, not only
    // contributing ones: a module in the graph is one careless import away from being kept.
    const inputs = Object.keys(bundle.metafile.inputs);
    const forbidden = [
      /@kubernetes\/client-node\/dist\/(config|watch|index|api)\.js$/,
      /@kubernetes\/client-node\/dist\/gen\/(index|http\/isomorphic-fetch)\.js$/,
      /node_modules\/(undici|openid-client|oauth4webapi|socks|socks-proxy-agent|js-yaml|jsonpath-plus)\//,
    ];
    expect(inputs.filter((input) => forbidden.some((f) => f.test(input)))).toEqual([]);
  });

  it('holds no test code, test doubles or benchmarks', () => {
    expect(contributing(/(\.test\.ts$|\/testing\/|fixtures|^test\/|^bench\/)/)).toEqual([]);
  });

  it('loads in full: a bad argument is reported after every module evaluated', async () => {
    const { code, stderr } = await run([bundle.main, 'not-a-flag'], {}, () => false);
    expect(stderr).toContain('unknown argument "not-a-flag"');
    expect(code).toBe(2);
  }, 60_000);

  it('refuses at start a kubeconfig user it cannot honour, naming the field (ADR 0018)', async () => {
    const kubeconfig = path.join(outdir, 'kubeconfig-exec');
    writeFileSync(
      kubeconfig,
      JSON.stringify({
        clusters: [{ name: 'c', cluster: { server: 'https://127.0.0.1:1' } }],
        users: [{ name: 'u', user: { exec: { command: 'aws', apiVersion: 'client.authentication.k8s.io/v1beta1' } } }],
        contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
        'current-context': 'c',
      }),
    );
    const { code, stderr } = await run([bundle.main], { KUBECONFIG: kubeconfig, WATCH_NAMESPACE: 'ns' }, () => false);
    expect(stderr).toContain('user "u": exec is not supported; the operator supports in-cluster service accounts');
    expect(code).toBe(2);
  }, 60_000);

  describe('against an API server that fails every request', () => {
    let server: Server;
    let kubeconfig: string;
    let metricsPort: number;
    beforeAll(async () => {
      metricsPort = await freePort();
      server = createServer((_req, res) => {
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ kind: 'Status', code: 500, message: 'injected' }));
      });
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      kubeconfig = path.join(outdir, 'kubeconfig');
      writeFileSync(
        kubeconfig,
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Config',
          clusters: [{ name: 'c', cluster: { server: `http://127.0.0.1:${port}`, 'insecure-skip-tls-verify': true } }],
          users: [{ name: 'u', user: { token: 'x' } }],
          contexts: [{ name: 'c', context: { cluster: 'c', user: 'u' } }],
          'current-context': 'c',
        }),
      );
    });
    afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

    it('logs stack traces that name operator/src/*.ts lines (source maps)', async () => {
      const { stdout } = await run(
        ['--enable-source-maps', bundle.main],
        {
          KUBECONFIG: kubeconfig,
          WATCH_NAMESPACE: 'ns',
          LEADER_ELECTION: 'false',
          PORT: String(metricsPort),
          LOG_LEVEL: 'warn',
        },
        (out) => out.includes('list/watch failed'),
      );
      const line = stdout.split('\n').find((l) => l.includes('list/watch failed'));
      expect(line, `no 'list/watch failed' log line in:\n${stdout}`).toBeDefined();
      const stack = (JSON.parse(line!) as { err?: { stack?: string } }).err?.stack ?? '';
      expect(stack).toMatch(/operator\/src\/runtime\/apirequest\.ts:\d+:\d+/);
      expect(stack).not.toContain('main.mjs');
    }, 60_000);
  });
});

async function freePort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

/** Runs node with args until it exits or `done(stdout)` holds (then kills it); 30 s deadline. */
function run(
  args: string[],
  env: Record<string, string>,
  done: (stdout: string) => boolean,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(node24, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(
        new Error(`node ${args.join(' ')} neither exited nor printed what was awaited in 30 s:\n${stdout}${stderr}`),
      );
    }, 30_000);
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString('utf8');
      if (done(stdout)) child.kill('SIGKILL');
    });
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}
