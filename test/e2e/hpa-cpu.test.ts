// Autoscaling under real CPU pressure on the real node: a CPU-based HPA (autoscaling/v2) on a
// BlueGreenService's scale subresource, fed by metrics-server. The same request rate scales it
// only when the requests burn CPU (the kit's GET /work?ms=N), and a release while it is scaled
// up keeps the scaled count on both colours: the preview is brought to spec.replicas (what the
// HPA wrote, not the manifest's 2) and fully ready before the switch, and the previous colour
// keeps its pods for the rollback window (docs/api.md, replicas and previewReplicas).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster } from '../cluster/harness.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { failures, startLoad, type LoadRun } from '../../clusterkit/load.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import { waitForServiceAnswer } from '../../clusterkit/service-probe.ts';
import { waitFor } from '../../clusterkit/wait.ts';
import { formatTimeline, goDurationMs, podMetrics, sampleHpa, type HpaSample } from '../support/hpa-timeline.ts';
import { buildSampleImage, sampleImageTagged } from '../support/images.ts';
import { authTemplate } from '../support/samples.ts';
import { bgsManifest } from '../../clusterkit/bgs.ts';
import type { BlueGreenServiceSpec } from '../../operator/src/api/types.ts';

// Its own tag: the /work route is newer than what other checkouts build as the shared one.
const IMAGE = sampleImageTagged('cpu-work');
const ns = `hpa-cpu-${Date.now().toString(36)}`;
const name = 'auth';
const TARGET_UTILIZATION = 50;
const WORK_MS = 25;
/** 4 loops x 5 req/s: the same rate on both routes. */
const RATE = { concurrency: 4, ratePerLoop: 5 };

let kube: TestKube;
let operator: OperatorProcess;
const samples: HpaSample[] = [];
let phase = 'setup';
let sampling = true;
let sampler: Promise<void> | undefined;
const t0 = Date.now();

/** The auth template on the image with /work, 100m CPU requested (the HPA's 100 %), no CPU limit. */
function cpuTemplate(version: string): BlueGreenServiceSpec['template'] {
  const t = authTemplate(version, { CPU_WORK_MAX_MS: '200' });
  const c = t.spec!.containers[0]!;
  c.image = IMAGE;
  c.resources = { requests: { cpu: '100m', memory: '64Mi' }, limits: { memory: '256Mi' } };
  return t;
}

const bgsStatus = async () => (await kube.getBgs(ns, name)).status ?? {};

beforeAll(async () => {
  const cluster = await ensureCluster({ nodes: 'real' });
  await Promise.all([installCrds(cluster), buildSampleImage(IMAGE)]);
  kube = new TestKube(cluster.kubeconfig);
  await kube.createNamespace(ns);
  operator = startOperator({
    kubeconfig: cluster.kubeconfig,
    namespace: ns,
    name: 'op-hpa-cpu',
    port: 18433,
    env: { LEADER_ELECTION: 'false' },
  });
  await kube.createBgs(
    bgsManifest(ns, name, cpuTemplate('v1'), { replicas: 2, scaleDownDelaySeconds: 30, promotion: { auto: true } }),
  );
  await waitFor(async () => ({ done: (await bgsStatus()).phase === 'Healthy', seen: (await bgsStatus()).message }), {
    what: 'auth Healthy on blue',
    timeoutMs: 240_000,
  });
  await kube.req('POST', `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers`, {
    metadata: { name },
    spec: {
      scaleTargetRef: { apiVersion: 'bluegreen.dev/v1alpha1', kind: 'BlueGreenService', name },
      minReplicas: 2,
      maxReplicas: 4,
      metrics: [
        {
          type: 'Resource',
          resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: TARGET_UTILIZATION } },
        },
      ],
    },
  });
  sampler = (async () => {
    while (sampling) {
      samples.push(await sampleHpa(kube, ns, name, phase).catch((err: unknown) => errorSample(err)));
      await new Promise((r) => setTimeout(r, 3_000)); // sampling interval of the printed timeline
    }
  })();
});

function errorSample(err: unknown): HpaSample {
  return { at: Date.now(), phase: `${phase}: ${String(err).slice(0, 60)}`, podCpu: {}, blue: '?', green: '?' };
}

afterAll(async () => {
  sampling = false;
  await sampler;
  console.log(`CPU HPA timeline (image ${IMAGE}):\n${formatTimeline(samples, t0)}`);
  await operator?.stop();
  await kube?.deleteNamespace(ns);
});

/**
 * Waits until metrics-server has measured a whole window that started after `since` for every
 * pod of the active colour, and the HPA has then had three syncs (15 s each) to act on it.
 */
async function hpaSawLoadSince(since: number): Promise<void> {
  const measured = await waitFor(
    async () => {
      const m = await podMetrics(kube, ns);
      const active = m.items.filter((p) => p.metadata.name.startsWith(`${name}-blue-`));
      const starts = active.map((p) => Date.parse(p.timestamp) - goDurationMs(p.window));
      return { done: active.length > 0 && starts.every((s) => s >= since), seen: Math.min(...starts, Date.now()) };
    },
    { what: 'a metrics-server window measured entirely under this load', timeoutMs: 180_000, intervalMs: 2_000 },
  );
  await waitFor(async () => ({ done: samples.some((s) => s.at >= measured + 45_000), seen: samples.at(-1) }), {
    what: 'three HPA syncs after that window',
    timeoutMs: 120_000,
    intervalMs: 1_000,
  });
}

describe('Given auth on 2 pods requesting 100m CPU, with a CPU HPA (target 50 %, 2..4 replicas) on its BlueGreenService', () => {
  let url: string;
  let load: LoadRun | undefined;

  beforeAll(async () => {
    url = `http://${(await kube.getService(ns, name)).spec!.clusterIP!}`;
    await waitForServiceAnswer(`${url}/work?ms=1`, { what: 'GET /work to answer' });
  });

  afterAll(async () => {
    await load?.stop();
  });

  it('When 20 req/s hit a cheap route, Then CPU stays under the target and nothing is scaled', async () => {
    phase = 'cheap';
    const since = Date.now();
    load = startLoad(`${url}/.well-known/jwks.json`, RATE);
    await hpaSawLoadSince(since);
    const seen = samples.filter((s) => s.phase === 'cheap');
    const done = await load.stop();
    load = undefined;
    console.log(`cheap route: ${done.length} requests, ${failures(done).length} failed`);
    const measured = seen.filter((s) => s.utilization !== undefined);
    expect(measured.length, 'the HPA reported CPU utilisation').toBeGreaterThan(0);
    expect(Math.max(...measured.map((s) => s.utilization!))).toBeLessThan(TARGET_UTILIZATION);
    expect(seen.map((s) => s.specReplicas)).toEqual(seen.map(() => 2));
    expect(done.length).toBeGreaterThan(500);
  });

  it(`When the same 20 req/s burn ${WORK_MS} ms of CPU each, Then the HPA scales it up and the active colour follows`, async () => {
    phase = 'cpu';
    load = startLoad(`${url}/work?ms=${WORK_MS}`, RATE);
    const scaled = await waitFor(
      async () => {
        const [bgs, d] = await Promise.all([kube.getBgs(ns, name), kube.getDeployment(ns, `${name}-blue`)]);
        const want = bgs.spec.replicas ?? 0;
        return {
          done: want > 2 && d.spec?.replicas === want && d.status?.readyReplicas === want,
          seen: { spec: want, blue: `${d.spec?.replicas}/${d.status?.readyReplicas}`, last: samples.at(-1) },
        };
      },
      { what: 'the HPA to scale auth up and blue to follow', timeoutMs: 300_000, intervalMs: 1_000 },
    );
    console.log(`scaled up: ${JSON.stringify(scaled)}`);
    const over = samples.filter((s) => s.phase === 'cpu' && (s.utilization ?? 0) > TARGET_UTILIZATION);
    expect(over.length, 'the HPA measured CPU above its target').toBeGreaterThan(0);
  });

  it('When a release happens while scaled up, Then green is brought to the scaled count before the switch and blue keeps its pods', async () => {
    phase = 'release';
    const before = (await kube.getBgs(ns, name)).spec.replicas!;
    const from = load!.samples.length;
    await kube.patchBgsSpec(ns, name, { template: cpuTemplate('v2') });
    // Watched every 250 ms: what green and blue run at the first moment the selector says green.
    const atSwitch = await waitFor(
      async () => {
        const [color, bgs, green, blue] = await Promise.all([
          kube.serviceColor(ns, name),
          kube.getBgs(ns, name),
          kube.getDeployment(ns, `${name}-green`).catch(() => undefined),
          kube.getDeployment(ns, `${name}-blue`),
        ]);
        const seen = {
          color,
          specReplicas: bgs.spec.replicas!,
          green: { spec: green?.spec?.replicas, ready: green?.status?.readyReplicas },
          blue: { spec: blue.spec?.replicas, ready: blue.status?.readyReplicas },
          message: bgs.status?.message,
        };
        return { done: color === 'green', seen };
      },
      { what: 'the release to switch to green', timeoutMs: 300_000, intervalMs: 250 },
    );
    await waitFor(async () => ({ done: (await bgsStatus()).phase === 'Healthy', seen: (await bgsStatus()).message }), {
      what: 'Healthy on green',
      timeoutMs: 120_000,
    });
    const during = load!.samples.slice(from);
    console.log(
      `release at ${before} replicas; at the switch: ${JSON.stringify(atSwitch)}; ${during.length} requests, ${failures(during).length} failed`,
      failures(during).slice(0, 3),
    );
    expect(before).toBeGreaterThan(2);
    // The scaled count, on both colours, at the moment traffic moved.
    expect(atSwitch.green.spec).toBe(atSwitch.specReplicas);
    expect(atSwitch.green.ready).toBeGreaterThanOrEqual(atSwitch.specReplicas);
    expect(atSwitch.specReplicas).toBeGreaterThanOrEqual(before);
    expect(atSwitch.blue.spec).toBeGreaterThanOrEqual(before);
    expect(failures(during)).toEqual([]);
  });
});
