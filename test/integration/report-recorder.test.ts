// `npm run report` against a real API server: the CLI follows a BlueGreenService while it sends
// load at a local server, the test writes the status transitions and an Event an operator would
// (no operator runs in this namespace, so the test controls every moment and its time), flips
// the server's colour at the "switch", and ends the run with Ctrl-C (SIGINT). The recording and
// the report must hold each moment and both colours.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, repoRoot, type ClusterInfo } from '../cluster/harness.ts';
import { kwokBgs } from '../../clusterkit/bgs.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { waitFor } from '../../clusterkit/wait.ts';
import { paths } from '../../operator/src/k8s/paths.ts';
import type { BlueGreenServiceStatus } from '../../operator/src/api/types.ts';
import { buildReportModel } from '../../report/model.ts';
import { parseRecording } from '../../report/recording.ts';

const ns = `report-rec-${Date.now().toString(36)}`;
const name = 'orders';
const dir = mkdtempSync(path.join(tmpdir(), 'report-rec-'));
let cluster: ClusterInfo;
let kube: TestKube;
let server: http.Server;
let color = 'blue';
let cli: ChildProcess | undefined;
let out = '';

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'kwok' });
  await installCrds(cluster);
  kube = new TestKube(cluster.kubeconfig);
  await kube.createNamespace(ns);
  server = http.createServer((_req, res) => {
    res.setHeader('X-Color', color);
    res.end('ok');
  });
  // Longer than the run: Node's 5 s default closes pooled sockets the client's LIFO agent left
  // idle, and a request racing that close fails (most likely the one failed request seen in
  // five runs before this line). This test is about the recorder, not that race.
  server.keepAliveTimeout = 600_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
});

afterAll(async () => {
  cli?.kill('SIGKILL');
  await new Promise<void>((r) => server?.close(() => r()));
  await kube?.deleteNamespace(ns);
  rmSync(dir, { recursive: true, force: true });
});

const patchStatus = (status: BlueGreenServiceStatus) =>
  kube.req('PATCH', `${paths.bgs(ns, name)}/status`, { status }, 'application/merge-patch+json');

/** Waits until the CLI has printed `text` (it logs every distinct status it reads). */
const cliSaid = (text: string) =>
  waitFor(async () => ({ done: out.includes(text), seen: out.slice(-600) }), {
    what: `the report CLI to print "${text}"`,
    timeoutMs: 30_000,
    intervalMs: 50,
  });

describe('Given a BlueGreenService and a service answering with X-Color', () => {
  it('When a release happens during `npm run report` and Ctrl-C ends it, Then the report holds every moment and both colours', async () => {
    const bgs = await kube.createBgs(kwokBgs(ns, name, 'app:v1'));
    await patchStatus({ phase: 'Healthy', activeColor: 'blue' });
    const html = path.join(dir, 'release.html');
    cli = spawn(
      process.execPath,
      [
        path.join(repoRoot, 'report/cli.ts'),
        ...['--namespace', ns, '--name', name, '--kubeconfig', cluster.kubeconfig],
        ...['--target', `http://127.0.0.1:${(server.address() as AddressInfo).port}/`],
        ...['--rate', '20', '--duration', '300', '--poll-ms', '100', '--out', html],
      ],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    cli.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    cli.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<number | null>((r) => cli!.on('exit', (code) => r(code)));
    await cliSaid('Healthy active=blue');
    await cliSaid('load started');

    const release = { revision: 'rev2abcdef', color: 'green' as const, startedAt: new Date().toISOString() };
    await patchStatus({ phase: 'Progressing', release });
    await cliSaid('Progressing active=blue');

    const roundAt = new Date().toISOString();
    await patchStatus({
      phase: 'Analyzing',
      previewColor: 'green',
      release: { ...release, readyAt: roundAt },
      analysis: {
        stage: 'PrePromotion',
        revision: release.revision,
        color: 'green',
        phase: 'Running',
        startedAt: roundAt,
        successful: 1,
        failed: 0,
        inconclusive: 0,
        rounds: 1,
        lastRoundAt: roundAt,
        measurements: [{ metric: 'error-rate', phase: 'Successful', value: 0.001, at: roundAt }],
      },
    });
    await cliSaid('PrePromotion analysis Running, 1 round(s)');

    color = 'green';
    const switched = Date.now();
    const switchedAt = new Date(switched).toISOString();
    // The previous colour is scaled down after the switch; the API server keeps whole seconds.
    const scaledDownAt = new Date(switched + 1_000).toISOString();
    await patchStatus({
      phase: 'Healthy',
      activeColor: 'green',
      previousColor: 'blue',
      previewColor: null as unknown as undefined, // merge patch: remove
      lastSwitchTime: switchedAt,
      lastSwitchReason: 'AutoPromotion',
    });
    await kube.req('POST', paths.events(ns), {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: `${name}.` },
      involvedObject: {
        apiVersion: bgs.apiVersion,
        kind: 'BlueGreenService',
        name,
        namespace: ns,
        uid: bgs.metadata.uid,
      },
      type: 'Normal',
      reason: 'ScaledDownPreviousColor',
      message: 'blue scaled to 0',
      firstTimestamp: scaledDownAt,
      lastTimestamp: scaledDownAt,
      count: 1,
      source: { component: 'report-recorder-test' },
    });
    await cliSaid('Healthy active=green');
    // At least one whole second of green answers before Ctrl-C.
    await cliSaid('"green"');

    cli.kill('SIGINT');
    const code = await waitFor(async () => ({ done: cli!.exitCode !== null, seen: cli!.exitCode }), {
      what: 'the CLI to write the report and exit after SIGINT',
      timeoutMs: 30_000,
    });
    expect(await exited, out).toBe(0);
    expect(code).toBe(0);

    const recording = parseRecording(
      JSON.parse(readFileSync(path.join(dir, 'release.recording.json'), 'utf8')),
      'release.recording.json',
    );
    expect(recording.snapshots.map((s) => s.status.phase)).toEqual(['Healthy', 'Progressing', 'Analyzing', 'Healthy']);
    expect(recording.events.map((e) => e.reason)).toEqual(['ScaledDownPreviousColor']);
    // Ctrl-C ended a 300 s run early; both colours answered.
    expect(recording.load.timeline.length).toBeLessThan(120);
    expect(recording.load.failed, JSON.stringify(recording.load.errors)).toBe(0);
    const model = buildReportModel(recording);
    expect(Object.keys(model.summary.byColor)).toEqual(['blue', 'green']);
    expect(model.markers.map((m) => `${m.kind} ${m.label}`)).toEqual([
      'release release rev2abcd',
      'preview-ready green ready',
      'analysis-round pre #1: error-rate=0.001',
      'switch switch → green',
      'scaled-down ScaledDownPreviousColor',
    ]);
    expect(readFileSync(html, 'utf8')).toContain('AutoPromotion: active Service switched from blue to green');
  });
});
