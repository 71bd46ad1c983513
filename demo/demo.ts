// `npm run demo`: the main job. On the embedded local cluster (or your kube context with
// DEMO_KUBECONTEXT=<name>), it builds the images, installs the operator with Helm, deploys the
// four sample services as BlueGreenServices, releases a new version of orders under load with
// Prometheus-gated promotion, prints a timeline, and leaves everything running.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { KubeConfig } from '@kubernetes/client-node';
import { ensureCluster, loadImage, repoRoot } from '../test/cluster/harness.ts';
import { TestKube } from '../clusterkit/kube.ts';
import { failures, percentile, startLoad, timeToColor } from '../clusterkit/load.ts';
import { waitForServiceAnswer } from '../clusterkit/service-probe.ts';
import { waitFor } from '../clusterkit/wait.ts';
import { readSampleManifests, withVersion } from './manifests.ts';
import { startReport } from './report.ts';
import { note, step, elapsedSince } from './timeline.ts';
import { watchRelease } from './watch.ts';

const exec = promisify(execFile);
const sh = async (cmd: string, args: string[]) =>
  (await exec(cmd, args, { maxBuffer: 64 << 20, cwd: repoRoot })).stdout;

async function main(): Promise<void> {
  const context = process.env['DEMO_KUBECONTEXT'];
  step(
    context
      ? `Using your kube context "${context}"`
      : 'Starting the embedded local cluster (first run builds Kubernetes: many minutes)',
  );
  let kubectl = 'kubectl';
  let helm = 'helm';
  let kubeconfigArgs: string[];
  const kc = new KubeConfig();
  let prometheusHint = '';
  if (context) {
    kc.loadFromDefault();
    kc.setCurrentContext(context);
    kubeconfigArgs = ['--context', context];
  } else {
    const cluster = await ensureCluster({ nodes: 'real' });
    kc.loadFromFile(cluster.kubeconfig);
    kubectl = cluster.kubectl;
    helm = cluster.helm;
    kubeconfigArgs = ['--kubeconfig', cluster.kubeconfig];
    prometheusHint = cluster.prometheusUrl;
    note(`cluster ready; KUBECONFIG=${cluster.kubeconfig}`);
  }
  const kube = new TestKube(kc);
  const samples = await readSampleManifests();

  if (!context) {
    step('Building images with buildah (no registry) and importing them into containerd');
    const t = Date.now();
    await sh('sh', ['sample-services/scripts/image-context.sh']);
    await loadImage(
      path.join(repoRoot, 'sample-services/.image-context/Dockerfile'),
      path.join(repoRoot, 'sample-services/.image-context'),
      samples.image,
    );
    note(`${samples.image} built in ${elapsedSince(t)}`);
    const t2 = Date.now();
    await loadImage(path.join(repoRoot, 'Dockerfile'), repoRoot, 'bluegreen/operator:dev');
    note(`bluegreen/operator:dev built in ${elapsedSince(t2)}`);
  }

  step('Installing the operator with Helm');
  const t3 = Date.now();
  await sh(helm, [
    ...kubeconfigArgs.map((a) => a.replace('--context', '--kube-context')),
    'upgrade',
    '--install',
    'bluegreen-operator',
    'charts/bluegreen-operator',
    '--namespace',
    'bluegreen-system',
    '--create-namespace',
    '--set',
    'image.repository=bluegreen/operator', // the image built and loaded above
    '--set',
    'image.tag=dev',
    // A rebuilt image keeps its tag: a changing pod annotation makes the upgrade roll the pods.
    '--set-string',
    `podAnnotations.bluegreen\\.dev/demo-run=${Date.now()}`,
    // On the embedded cluster the CRD may already exist without a release (the test harness
    // applies crds/ itself); our pinned Helm (>= 3.17) adopts it instead of refusing.
    ...(context ? [] : ['--take-ownership']),
    '--wait',
    '--timeout',
    '5m',
  ]);
  note(`operator Ready in ${elapsedSince(t3)} (2 replicas, one leader)`);

  step(`Deploying ${samples.names.join(', ')} as BlueGreenServices`);
  await sh(kubectl, [...kubeconfigArgs, 'apply', '-f', 'sample-services/deploy/']);
  for (const name of samples.names) {
    const t = Date.now();
    await waitFor(
      async () => {
        const s = (await kube.getBgs(samples.namespace, name)).status;
        return { done: s?.phase === 'Healthy', seen: { phase: s?.phase, message: s?.message } };
      },
      { what: `${name} Healthy`, timeoutMs: 300_000, intervalMs: 500 },
    );
    note(`${name}: Healthy on blue (${elapsedSince(t)})`);
  }

  step('Starting steady load on orders (active and preview Services)');
  const ip = async (svc: string) => (await kube.getService(samples.namespace, svc)).spec!.clusterIP!;
  // Healthy says the pods are ready, not that kube-proxy has programmed the new ClusterIPs.
  await waitForServiceAnswer(`http://${await ip('auth')}/healthz`, { what: 'the auth Service to answer' });
  const token = await samples.login(kube);
  const headers = { authorization: `Bearer ${token}` };
  const activeUrl = `http://${await ip('orders')}/orders`;
  const previewUrl = `http://${await ip('orders-preview')}/orders`;
  for (const url of [activeUrl, previewUrl]) await waitForServiceAnswer(url, { headers, what: `${url} to answer` });
  const active = startLoad(activeUrl, { concurrency: 4, ratePerLoop: 20, headers });
  const preview = startLoad(previewUrl, { concurrency: 2, ratePerLoop: 10, headers });
  note('~80 req/s to orders, ~20 req/s to orders-preview, one new TCP connection per request');
  const report = startReport(kc, samples.namespace, 'orders', activeUrl, headers);
  note('+20 req/s to orders on kept-alive connections, recorded for the release report');

  step('Releasing orders 1.1.0: preview → Prometheus analysis → promotion');
  const bgs = await kube.getBgs(samples.namespace, 'orders');
  const from = bgs.status?.activeColor ?? 'blue';
  const to = from === 'blue' ? 'green' : 'blue';
  const released = Date.now();
  await kube.patchBgsSpec(samples.namespace, 'orders', { template: withVersion(bgs.spec.template, '1.1.0') });
  const switchedAt = await watchRelease(kube, samples.namespace, 'orders', to, released);
  await waitFor(
    async () => ({ done: active.samples.some((s) => s.at > switchedAt + 5_000), seen: active.samples.length }),
    { what: '5 s of load after the switch' },
  );
  note(
    `release → traffic on ${to}: ${((switchedAt - released) / 1000).toFixed(1)} s (includes pre-promotion analysis)`,
  );
  note(`new connections on ${to} ${timeToColor(active.samples, switchedAt, to) ?? '?'} ms after the selector switch`);

  step(`Rolling back to ${from} while it still runs (scale-down delay): one field, no pod starts`);
  const rollbackAt = Date.now();
  await kube.patchBgsSpec(samples.namespace, 'orders', { activeColor: from });
  await waitFor(
    async () => ({
      done: (await kube.serviceColor(samples.namespace, 'orders')) === from,
      seen: await kube.serviceColor(samples.namespace, 'orders'),
    }),
    { what: `orders Service back on ${from}`, timeoutMs: 60_000 },
  );
  note(`selector on ${from} after ${elapsedSince(rollbackAt)}`);
  await waitFor(
    async () => ({ done: active.samples.some((s) => s.at > rollbackAt + 5_000), seen: active.samples.length }),
    { what: '5 s of load after the rollback' },
  );
  note(
    `new connections on ${from} ${timeToColor(active.samples, rollbackAt, from) ?? '?'} ms after the edit (end to end)`,
  );
  const all = await active.stop();
  await preview.stop();
  // The report is a by-product: failing to write it is said, not a failed demo.
  const reportFile = await report.finish().catch((err: unknown) => {
    note(`release report not written: ${err instanceof Error ? err.message : String(err)}`);
    return undefined;
  });
  const failed = failures(all);
  step('Result');
  note(
    `${all.length} requests to the active Service during release, promotion and rollback: ${failed.length} failed, p99 ${percentile(
      all.map((s) => s.ms),
      99,
    )} ms`,
  );
  if (failed.length > 0) note(`failures: ${JSON.stringify(failed.slice(0, 5))}`);
  if (reportFile) note(`release report (opens offline in any browser): ${path.relative(process.cwd(), reportFile)}`);

  step('Everything is still running. Try:');
  const k = `${kubectl} ${kubeconfigArgs.join(' ')}`;
  console.log(`  ${k} get bgs -A
  ${k} -n ${samples.namespace} describe bgs orders
  ${k} -n ${samples.namespace} patch bgs orders --type merge -p '{"spec":{"activeColor":"${to}"}}'   # promote 1.1.0 again
  ${k} -n ${samples.namespace} patch bgs orders --type merge -p '{"spec":{"activeColor":null}}'   # let the operator decide
  ${k} -n bluegreen-system logs -l app.kubernetes.io/name=bluegreen-operator --tail=20${prometheusHint ? `\n  Prometheus: ${prometheusHint}` : ''}
  npm run cluster:down   # when you are done`);
  process.exit(failed.length === 0 ? 0 : 1);
}

main().catch((err: unknown) => {
  console.error(`\ndemo failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
