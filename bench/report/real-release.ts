// Records one real release on the local cluster's real node with the release reporter
// (report/recorder.ts) and writes its report: the source of the browser test's fixture
// (report/fixtures/real-release.recording.json) and of the numbers in bench/results/report-*.md.
//
// In its own namespace, with its own operator process (WATCH_NAMESPACE): the sample auth
// service as a BlueGreenService with Prometheus pre-promotion analysis and auto-promotion;
// 20 req/s at the active Service from the reporter (keep-alive), 10 req/s at the preview (the
// analysis needs traffic on the colour under test); release v2, auto-promotion after the
// analysis, then a manual rollback while the old colour still runs.
//
//   BLUEGREEN_CLUSTER_DIR=/path/.cluster node bench/report/real-release.ts [--out=DIR] [--fixture]
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ensureCluster, repoRoot } from '../../test/cluster/harness.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { startLoad } from '../../clusterkit/load.ts';
import { startOperator } from '../../clusterkit/operator-process.ts';
import { waitForServiceAnswer } from '../../clusterkit/service-probe.ts';
import { waitFor } from '../../clusterkit/wait.ts';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- sample manifests not yet in clusterkit/
import { authBgs, authTemplate, errorRateAnalysis } from '../../test/support/samples.ts';
import { loadReportAssets } from '../../report/assets.ts';
import { buildReportModel } from '../../report/model.ts';
import { recordRelease } from '../../report/recorder.ts';
import { renderReportHtml } from '../../report/render.ts';
import { flag, say } from '../operator/lib.ts';

const out = path.resolve(repoRoot, flag('out', 'test-artifacts/real-release'));
const asFixture = process.argv.includes('--fixture');
const cluster = await ensureCluster({ nodes: 'real' });
const kube = new TestKube(cluster.kubeconfig);
const ns = `report-${Date.now().toString(36)}`;
await kube.createNamespace(ns);
say(`namespace ${ns}`);
const operator = startOperator({
  kubeconfig: cluster.kubeconfig,
  namespace: ns,
  name: 'op-report',
  port: Number(flag('operator-port', '18271')),
  env: { LEADER_ELECTION: 'false', LOG_LEVEL: 'info' },
});
process.on('exit', () => operator.child.kill('SIGKILL'));
const name = 'auth';
const stop = new AbortController();
let preview: ReturnType<typeof startLoad> | undefined;

try {
  await kube.createBgs(
    authBgs(
      ns,
      name,
      'v1',
      {},
      {
        replicas: 2,
        previewReplicas: 1,
        scaleDownDelaySeconds: 60,
        promotion: { auto: true },
        analysis: errorRateAnalysis(cluster.prometheusUrl, 2),
      },
    ),
  );
  const status = async () => (await kube.getBgs(ns, name)).status ?? {};
  await waitFor(async () => ({ done: (await status()).phase === 'Healthy', seen: (await status()).message }), {
    what: `${name} Healthy`,
    timeoutMs: 240_000,
    intervalMs: 500,
  });
  const ip = async (svc: string) => (await kube.getService(ns, svc)).spec!.clusterIP!;
  const activeUrl = `http://${await ip(name)}/.well-known/jwks.json`;
  const previewUrl = `http://${await ip(`${name}-preview`)}/.well-known/jwks.json`;
  await waitForServiceAnswer(activeUrl, { what: 'the active Service to answer' });
  say(`${name} Healthy on blue; recording at ${activeUrl}`);

  const t0 = Date.now();
  const recording = recordRelease({
    kc: kube.kc,
    namespace: ns,
    name,
    generator: {
      url: activeUrl,
      profile: { startRate: 20, stages: [{ durationSeconds: 300, rate: 20 }] },
      keepAlive: true,
      maxConnections: 0,
      timeoutMs: 5_000,
      maxInFlight: 10_000,
      splitHeader: 'X-Color',
    },
    signal: stop.signal,
    log: (line) => say(`  bgs: ${line}`),
  });
  const after = (ms: number, what: string) =>
    waitFor(async () => ({ done: Date.now() >= ms, seen: Date.now() }), { what, timeoutMs: ms - Date.now() + 5_000 });

  await after(t0 + 5_000, '5 s of steady load before the release');
  await kube.patchBgsSpec(ns, name, { template: authTemplate('v2') });
  say('released v2');
  await waitFor(async () => ({ done: (await status()).previewColor === 'green', seen: (await status()).message }), {
    what: 'the preview Service on green',
    timeoutMs: 120_000,
  });
  await waitForServiceAnswer(previewUrl, { what: 'the preview Service to answer' });
  preview = startLoad(previewUrl, { concurrency: 2, ratePerLoop: 5 });
  await waitFor(
    async () => ({ done: (await kube.serviceColor(ns, name)) === 'green', seen: (await status()).message }),
    {
      what: 'auto-promotion to green',
      timeoutMs: 180_000,
      intervalMs: 250,
    },
  );
  say('switched to green');
  await after(Date.now() + 10_000, '10 s on green');
  await kube.patchBgsSpec(ns, name, { activeColor: 'blue' });
  say('rollback: activeColor blue');
  await waitFor(
    async () => ({ done: (await kube.serviceColor(ns, name)) === 'blue', seen: (await status()).message }),
    {
      what: 'rolled back to blue',
      timeoutMs: 60_000,
      intervalMs: 250,
    },
  );
  await after(Date.now() + 8_000, '8 s after the rollback');
  stop.abort();
  const rec = await recording;
  const renderStart = performance.now();
  const model = buildReportModel(rec);
  const html = renderReportHtml(model, await loadReportAssets());
  const renderMs = performance.now() - renderStart;
  mkdirSync(out, { recursive: true });
  const json = `${JSON.stringify(rec, null, 1)}\n`;
  writeFileSync(path.join(out, 'report.html'), html);
  writeFileSync(path.join(out, 'report.recording.json'), json);
  if (asFixture) {
    mkdirSync(path.join(repoRoot, 'report/fixtures'), { recursive: true });
    writeFileSync(path.join(repoRoot, 'report/fixtures/real-release.recording.json'), json);
  }
  say(
    JSON.stringify(
      {
        machine: `${os.availableParallelism()} CPUs, load ${os.loadavg()[0]!.toFixed(1)}`,
        loadSeconds: rec.load.durationSeconds,
        requests: rec.load.requests,
        failed: rec.load.failed,
        byColor: model.summary.byColor,
        snapshots: rec.snapshots.length,
        events: rec.events.length,
        markers: model.markers.map((m) => `${m.t}s ${m.kind} ${m.label}`),
        recordingBytes: Buffer.byteLength(json),
        htmlBytes: Buffer.byteLength(html),
        renderMs: Math.round(renderMs * 10) / 10,
      },
      null,
      1,
    ),
  );
} finally {
  stop.abort();
  await preview?.stop();
  await operator.stop();
  await kube.deleteNamespace(ns);
}
