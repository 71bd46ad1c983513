// Keep-alive clients at a blue-green switch, on the real node (GUIDE §6: selector switch ->
// 100 % of responses from the new colour <= 2 s, 0 failed).
//
// For each MAX_CONNECTION_AGE_SECONDS in --ages (0 = the kit's age limit off, i.e. the
// behaviour before ADR 0009), one BlueGreenService of the sample auth service with
// scaleDownDelaySeconds 15 and auto-promotion, under two loads at once: a pooled keep-alive
// client (4 connections x 25 req/s) and a new-connection-per-request client (2 x 10 req/s).
// Each round releases a new version and measures, from the moment the active Service's
// selector was seen switched (polled every 50 ms): when every later response of each client
// came from the new colour, and the failed requests until the old colour's pods are gone.
//
//   npx node bench/keepalive/cutover.ts [--rounds=3] [--ages=0,1]
import os from 'node:os';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ensureCluster, repoRoot } from '../../test/cluster/harness.ts';
import { installCrds } from '../../clusterkit/crd.ts';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- sample image and manifests not yet in clusterkit/
import { buildSampleImage, SAMPLE_IMAGE } from '../../test/support/images.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { failures, startLoad, timeToColor } from '../../clusterkit/load.ts';
import { startOperator } from '../../clusterkit/operator-process.ts';
// eslint-disable-next-line @typescript-eslint/no-restricted-imports -- sample image and manifests not yet in clusterkit/
import { authBgs, authTemplate } from '../../test/support/samples.ts';
import { waitForServiceAnswer } from '../../clusterkit/service-probe.ts';
import { waitFor } from '../../clusterkit/wait.ts';
import { flag, intFlag, say, summarize } from '../operator/lib.ts';

const rounds = intFlag('rounds', 3);
const ages = flag('ages', '0,1').split(',').map(Number);
const scaleDownDelaySeconds = 15;
const loadBefore = os.loadavg();

const cluster = await ensureCluster({ nodes: 'real' });
await Promise.all([installCrds(cluster), buildSampleImage()]);
const kube = new TestKube(cluster.kubeconfig);
const { gitVersion } = await kube.req<{ gitVersion: string }>('GET', '/version');
const ns = `bench-ka-${Date.now().toString(36)}`;
await kube.createNamespace(ns);
const operator = startOperator({
  kubeconfig: cluster.kubeconfig,
  namespace: ns,
  name: 'op-bench-ka',
  port: 18193,
  env: { LEADER_ELECTION: 'false' },
});

interface Round {
  age: number;
  round: number;
  pooledCutOverMs: number | undefined;
  newConnCutOverMs: number | undefined;
  lastOldPooledMs: number | undefined;
  requests: number;
  failed: number;
}
const results: Round[] = [];

try {
  for (const age of ages) {
    const name = `ka-${String(age).replace('.', 'p')}`;
    const env = { MAX_CONNECTION_AGE_SECONDS: String(age) };
    const bgsStatus = async () => (await kube.getBgs(ns, name)).status ?? {};
    await kube.createBgs(authBgs(ns, name, 'v1', env, { scaleDownDelaySeconds, promotion: { auto: true } }));
    await waitFor(async () => ({ done: (await bgsStatus()).phase === 'Healthy', seen: (await bgsStatus()).message }), {
      what: `${name} Healthy`,
      timeoutMs: 240_000,
    });
    const url = `http://${(await kube.getService(ns, name)).spec!.clusterIP!}/.well-known/jwks.json`;
    await waitForServiceAnswer(url, { what: `${name} answers` });
    const pooled = startLoad(url, { concurrency: 4, ratePerLoop: 25, keepAliveSockets: 4 });
    const fresh = startLoad(url, { concurrency: 2, ratePerLoop: 10 });
    try {
      for (let r = 0; r < rounds; r++) {
        const from = (await bgsStatus()).activeColor!;
        const to = from === 'blue' ? 'green' : 'blue';
        const [p0, f0] = [pooled.samples.length, fresh.samples.length];
        await kube.patchBgsSpec(ns, name, { template: authTemplate(`v${r + 2}`, env) });
        await waitFor(
          async () => ({ done: (await kube.serviceColor(ns, name)) === to, seen: (await bgsStatus()).message }),
          {
            what: `${name} switched to ${to}`,
            timeoutMs: 240_000,
            intervalMs: 50,
          },
        );
        const switchedAt = Date.now();
        await waitFor(
          async () => {
            const pods = await kube.req<{ items: unknown[] }>(
              'GET',
              `/api/v1/namespaces/${ns}/pods?labelSelector=bluegreen.dev/color%3D${from},bluegreen.dev/service%3D${name}`,
            );
            return { done: pods.items.length === 0, seen: `${pods.items.length} ${from} pods` };
          },
          { what: `${from} scaled down`, timeoutMs: (scaleDownDelaySeconds + 120) * 1000, intervalMs: 500 },
        );
        const pw = pooled.samples.slice(p0);
        const fw = fresh.samples.slice(f0);
        const lastOld = pw.filter((s) => s.color === from).at(-1);
        const round: Round = {
          age,
          round: r,
          pooledCutOverMs: timeToColor(pw, switchedAt, to),
          newConnCutOverMs: timeToColor(fw, switchedAt, to),
          lastOldPooledMs: lastOld ? lastOld.at - switchedAt : undefined,
          requests: pw.length + fw.length,
          failed: failures(pw).length + failures(fw).length,
        };
        results.push(round);
        say(JSON.stringify(round));
      }
    } finally {
      await pooled.stop();
      await fresh.stop();
    }
  }
} finally {
  await operator.stop();
  await kube.deleteNamespace(ns);
}

const f = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : '-');
const rows = ages.map((age) => {
  const rs = results.filter((r) => r.age === age);
  const med = (xs: (number | undefined)[]) => summarize(xs.filter((x): x is number => x !== undefined)).p50;
  const max = (xs: (number | undefined)[]) => summarize(xs.filter((x): x is number => x !== undefined)).max;
  return `| ${age === 0 ? '0 (off: before ADR 0009)' : `${age} s`} | ${rs.length} | ${f(med(rs.map((r) => r.pooledCutOverMs)))} (max ${f(max(rs.map((r) => r.pooledCutOverMs)))}) | ${f(med(rs.map((r) => r.newConnCutOverMs)))} (max ${f(max(rs.map((r) => r.newConnCutOverMs)))}) | ${rs.reduce((n, r) => n + r.requests, 0)} | ${rs.reduce((n, r) => n + r.failed, 0)} |`;
});
const file = path.join(repoRoot, 'bench/results', `keepalive-cutover-${new Date().toISOString().slice(0, 10)}.md`);
mkdirSync(path.dirname(file), { recursive: true });
writeFileSync(
  file,
  [
    '# Keep-alive clients at a blue-green switch (real node)',
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM`,
    `- load average before: ${loadBefore.map((x) => x.toFixed(1)).join(' / ')}, after: ${os
      .loadavg()
      .map((x) => x.toFixed(1))
      .join(' / ')} (the shared cluster and other sessions run on the same 2 CPUs)`,
    `- versions: Node ${process.version}, Kubernetes ${gitVersion} (local cluster, real node, kube-proxy iptables), image ${SAMPLE_IMAGE}`,
    `- command: \`npx node bench/keepalive/cutover.ts ${process.argv.slice(2).join(' ')}\``,
    '',
    'Sample auth service, 2 replicas, scaleDownDelaySeconds 15, auto-promotion, no analysis. Loads from the host to the ClusterIP:',
    'pooled = Node http.Agent keep-alive, 4 connections x 25 req/s; new-connection = 2 loops x 10 req/s with `Connection: close`.',
    'Cut-over = from the moment the selector was seen switched (polled every 50 ms) until every later response of that client came',
    "from the new colour. Failed = status >= 500 or a connection error, from the release until the old colour's pods were gone.",
    '',
    '| MAX_CONNECTION_AGE_SECONDS | rounds | pooled keep-alive cut-over ms, median (max) | new-connection cut-over ms, median (max) | requests | failed |',
    '|---|---|---|---|---|---|',
    ...rows,
    '',
    '## Rounds',
    '',
    '```json',
    ...results.map((r) => JSON.stringify(r)),
    '```',
    '',
  ].join('\n'),
);
say(`wrote ${path.relative(repoRoot, file)}`);
