// The plugin end to end in-process: argv in, exit code and output out, over real HTTP to a local
// server standing in for the API server (cli/testing/api-server.ts), through client-node's
// KubeConfig (a kubeconfig file) and the operator's transport.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listOf, startFakeApiServer, TOKEN, type FakeApiServer, type Route } from '../testing/api-server.ts';
import { recordedRelease } from '../testing/recorded.ts';
import { EXIT } from './exit.ts';
import type { Io } from './io.ts';
import { run } from './main.ts';
import { CLI_VERSION } from './version.ts';

const NS = 'report-mx5hrq13';
const BGS_PATH = `/apis/bluegreen.dev/v1alpha1/namespaces/${NS}/bluegreenservices`;

function fakeIo(now: number) {
  let stop: () => void = () => undefined;
  const stopped = new Promise<void>((resolve) => (stop = resolve));
  const io: Io & { stdout: string; stderr: string; stop: () => void } = {
    stdout: '',
    stderr: '',
    out: (t) => void (io.stdout += t),
    err: (t) => void (io.stderr += t),
    isTty: false,
    env: {},
    now: () => now,
    interrupted: () => stopped,
    stop,
  };
  return io;
}

/** Serves recorded snapshot `index`: the object, its Deployments, pods and Events. */
function recordedRoutes(index: number, patch?: Route): Route {
  const { snapshot } = recordedRelease(index);
  return (req) => {
    if (req.method === 'PATCH') return patch?.(req);
    if (req.path === `${BGS_PATH}/auth`) return { status: 200, body: snapshot.bgs };
    if (req.path === BGS_PATH) return listOf([snapshot.bgs]);
    if (req.path.endsWith('/deployments')) return listOf([...snapshot.deployments]);
    if (req.path.endsWith('/pods')) return listOf([...snapshot.pods]);
    if (req.path.endsWith('/events')) return listOf([...snapshot.events]);
    if (req.path.endsWith('/controllerrevisions')) return listOf([]);
    return undefined;
  };
}

let server: FakeApiServer | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function runAgainst(route: Route, argv: string[], index = 5) {
  server = await startFakeApiServer(route);
  const io = fakeIo(recordedRelease(index).now);
  const code = await run([...argv, '--kubeconfig', server.kubeconfig], io);
  return { code, io, requests: server.requests };
}

describe('reads', () => {
  it("get NAME draws the tree from what the API server answered, sending the kubeconfig user's token", async () => {
    const { code, io, requests } = await runAgainst(recordedRoutes(5), ['get', 'auth']);
    expect([code, io.stderr]).toEqual([EXIT.ok, '']);
    expect(io.stdout).toContain('├─ green  preview  revision 22e77c3ff9');
    expect(io.stdout).toContain('round 1  2s ago  error-rate 0 (max 0.05) Successful');
    expect(requests.every((r) => r.headers.authorization === `Bearer ${TOKEN}`)).toBe(true);
    // Scoped to the object: its own name, its label, its Events.
    expect(requests.find((r) => r.path.endsWith('/pods'))!.query.get('labelSelector')).toBe(
      'bluegreen.dev/service=auth',
    );
    expect(requests.find((r) => r.path.endsWith('/events'))!.query.get('fieldSelector')).toBe(
      'involvedObject.kind=BlueGreenService,involvedObject.name=auth',
    );
  });

  it('get of a missing object exits 3 with a message naming it', async () => {
    const { code, io } = await runAgainst(() => undefined, ['get', 'nope']);
    expect([code, io.stderr]).toEqual([EXIT.notFound, `error: bluegreenservice "nope" in ${NS} not found\n`]);
  });

  it('list -A asks for every namespace', async () => {
    const { code, io, requests } = await runAgainst(
      (r) =>
        r.path === '/apis/bluegreen.dev/v1alpha1/bluegreenservices'
          ? listOf([recordedRelease(5).snapshot.bgs])
          : undefined,
      ['list', '-A'],
    );
    expect(code).toBe(EXIT.ok);
    expect(io.stdout.split('\n')[1]).toMatch(/^report-mx5hrq13\s+auth\s+blue\s+green\s+-\s+Analyzing/);
    expect(requests).toHaveLength(1);
  });

  it("an API error other than 404 exits 1 with the server's message", async () => {
    const { code, io } = await runAgainst(
      () => ({
        status: 403,
        body: { kind: 'Status', message: 'bluegreenservices is forbidden: User "me" cannot list', code: 403 },
      }),
      ['list'],
    );
    expect(code).toBe(EXIT.failed);
    expect(io.stderr).toContain('forbidden: User "me" cannot list');
  });
});

describe('writes: one server-side apply under the kubectl-bluegreen field manager', () => {
  const accepted: Route = () => ({ status: 200, body: recordedRelease(5).snapshot.bgs });

  it('promote sends an apply patch of spec.activeColor only, with the resourceVersion it decided on', async () => {
    const { code, io, requests } = await runAgainst(recordedRoutes(5, accepted), ['promote', 'auth']);
    expect([code, io.stderr]).toEqual([EXIT.ok, '']);
    const patch = requests.find((r) => r.method === 'PATCH')!;
    expect(patch.path).toBe(`${BGS_PATH}/auth`);
    expect(patch.headers['content-type']).toBe('application/apply-patch+yaml');
    expect(Object.fromEntries(patch.query)).toEqual({ fieldManager: 'kubectl-bluegreen', force: 'true' });
    expect(JSON.parse(patch.body)).toEqual({
      apiVersion: 'bluegreen.dev/v1alpha1',
      kind: 'BlueGreenService',
      metadata: { name: 'auth', namespace: NS, resourceVersion: '1005' },
      spec: { activeColor: 'green' },
    });
    expect(io.stdout).toContain('bgs/auth: promoting green (revision 22e77c3ff9): spec.activeColor=green');
  });

  it('reads and decides again when the object changed in between (409 on the resourceVersion)', async () => {
    let answered = 0;
    const staleOnce: Route = () =>
      ++answered === 1
        ? {
            status: 409,
            body: {
              kind: 'Status',
              reason: 'Conflict',
              code: 409,
              message:
                'Operation cannot be fulfilled on bluegreenservices.bluegreen.dev "auth": the object has been modified; please apply your changes to the latest version and try again',
            },
          }
        : accepted({} as never);
    const { code, requests } = await runAgainst(recordedRoutes(5, staleOnce), ['abort', 'auth']);
    expect(code).toBe(EXIT.ok);
    expect(requests.map((r) => r.method)).toEqual(['GET', 'PATCH', 'GET', 'PATCH']);
  });

  it('a refused promote writes nothing and exits 4', async () => {
    const { code, io, requests } = await runAgainst(recordedRoutes(2, accepted), ['promote', 'auth'], 2);
    expect(code).toBe(EXIT.refused);
    expect(io.stderr).toBe('error: preview green is not ready yet (0 ready endpoints of 1) (--force does it anyway)\n');
    expect(requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('--dry-run prints the request and sends nothing', async () => {
    const { code, io, requests } = await runAgainst(recordedRoutes(8, accepted), ['rollback', 'auth', '--dry-run'], 8);
    expect(code).toBe(EXIT.ok);
    expect(io.stdout).toContain('"activeColor": "blue"');
    expect(requests.some((r) => r.method === 'PATCH')).toBe(false);
  });

  it('set image with an unknown container exits 3, naming the containers there are', async () => {
    const { code, io } = await runAgainst(recordedRoutes(8, accepted), ['set', 'image', 'auth', 'web=x:1'], 8);
    expect([code, io.stderr]).toEqual([
      EXIT.notFound,
      'error: container "web" not found in spec.template (it has: auth)\n',
    ]);
  });
});

describe('get -w', () => {
  it('redraws when a watched object changes, and ends cleanly when interrupted', async () => {
    const routes = recordedRoutes(5);
    server = await startFakeApiServer(routes);
    const io = fakeIo(recordedRelease(6).now);
    const done = run(['get', 'auth', '-w', '--kubeconfig', server.kubeconfig], io);
    await server.watching(BGS_PATH);
    await server.watching(`/api/v1/namespaces/${NS}/events`);
    const frames = () => io.stdout.split('bluegreenservice/auth').length - 1;
    await expect.poll(frames).toBe(1);
    // The operator's next status write, as the watch delivers it.
    server.push(BGS_PATH, 'MODIFIED', {
      ...recordedRelease(6).snapshot.bgs,
      metadata: { ...recordedRelease(6).snapshot.bgs.metadata, resourceVersion: '2000' },
    });
    await expect.poll(frames).toBe(2);
    expect(io.stdout.slice(io.stdout.lastIndexOf('bluegreenservice/auth'))).toContain(
      'phase      Promoting: scaling green to 2',
    );
    const watch = server.requests.find((r) => r.path === BGS_PATH && r.query.get('watch') === 'true')!;
    expect(watch.query.get('fieldSelector')).toBe('metadata.name=auth');
    io.stop();
    expect(await done).toBe(EXIT.ok);
  });

  it('says under the tree when its watches keep failing, instead of a frame that silently stops changing', async () => {
    server = await startFakeApiServer(recordedRoutes(5));
    const io = fakeIo(recordedRelease(5).now);
    const done = run(['get', 'auth', '-w', '--kubeconfig', server.kubeconfig], io);
    await server.watching(`/api/v1/namespaces/${NS}/events`);
    server.refuseWatches();
    await expect
      .poll(() => io.stdout, { timeout: 15_000 })
      .toMatch(
        /watch: list\/watch failed; retrying: watch .*: 403 watch is forbidden \(retrying; this frame may be stale\)/,
      );
    io.stop();
    expect(await done).toBe(EXIT.ok);
  });
});

describe('the command line', () => {
  it.each([
    [['bogus'], 'error: unknown command "bogus" (see kubectl bluegreen help)\n'],
    [['get'], 'error: get needs a NAME (see kubectl bluegreen help)\n'],
    [['list', '-w'], 'error: list does not take --watch\n'],
    [
      ['promote', 'a', '--request-timeout', 'soon'],
      'error: --request-timeout must be a duration > 0 such as 10s, got "soon"\n',
    ],
    [
      ['retry', 'a'],
      'error: retry is not available yet: releasing an aborted revision again needs an operator lever (docs/cli.md)\n',
    ],
  ])('%j is a usage error (exit 2)', async (argv, message) => {
    const io = fakeIo(0);
    expect(await run(argv, io)).toBe(EXIT.usage);
    expect(io.stderr).toBe(message);
  });

  it("version is cli/package.json's", async () => {
    const pkg = JSON.parse(readFileSync(path.join(import.meta.dirname, '../package.json'), 'utf8')) as {
      version: string;
    };
    const io = fakeIo(0);
    expect(await run(['version'], io)).toBe(EXIT.ok);
    expect([io.stdout, CLI_VERSION]).toEqual([`kubectl-bluegreen ${pkg.version}\n`, pkg.version]);
  });
});
