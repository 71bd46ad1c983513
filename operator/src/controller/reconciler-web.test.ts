// A pre-promotion analysis made of a web check, through the real Reconciler, planner and web
// client: the simulation's in-memory cluster for the Kubernetes side, a local HTTP server
// (127.0.0.1, ephemeral port) for the check. Shows the wiring end to end: the planner renders
// the URL for the colour under analysis, the round routes it to the web client, the verdict
// comes back into status, and the release is promoted (or not).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MetricSpecInput } from '../api/types.ts';
import { NS, SimCluster } from '../../../test/sim/cluster.ts';
import { simBgs, settle, type Config } from '../../../test/sim/scenario.ts';
import { SimOperator } from '../../../test/sim/world.ts';

const cfg: Config = {
  steady: false,
  replicas: 2,
  previewReplicas: undefined,
  auto: true,
  pre: { count: 1, failureLimit: 0, inconclusiveLimit: 0 },
  post: undefined,
  scaleDownDelaySeconds: 30,
  progressDeadlineSeconds: 600,
  rival: false,
  canary: undefined,
};

let server: Server;
let base: string;
const requested: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    requested.push(req.url ?? '');
    const ratio = req.url?.includes('green') ? 0.001 : 0.5;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ slo: { errorRatio: ratio } }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** `shop` steady on blue (app:v1), then released as app:v2 with `metric` as its only pre-promotion metric. */
async function releaseWith(metric: MetricSpecInput): Promise<SimCluster> {
  const cluster = new SimCluster();
  const op = new SimOperator(cluster);
  const steady = { ...cfg, pre: undefined };
  cluster.putBgs(simBgs('shop', steady, { image: 'app:v1', activeColor: undefined, replicas: 2 }));
  for (let i = 0; i < 6; i++) {
    await op.reconcile('shop');
    settle(cluster, op);
  }
  const release = simBgs('shop', cfg, { image: 'app:v2', activeColor: undefined, replicas: 2 });
  release.spec.analysis!.prePromotion!.metrics = [metric];
  cluster.putBgs(release);
  for (let i = 0; i < 8; i++) {
    op.syncAll();
    await op.reconcile('shop');
    settle(cluster, op);
  }
  return cluster;
}

describe('Given a release gated by a web check on the preview colour', () => {
  it('When the check answers a number within bounds, Then the analysis passes and the release is promoted', async () => {
    const cluster = await releaseWith({
      name: 'slo',
      web: { url: `${base}/slo/{{color}}?ns={{namespace}}`, jsonPath: '$.slo.errorRatio' },
      max: 0.01,
    });
    const status = cluster.bgs.get('shop')!.status!;
    expect(status.analysis).toMatchObject({ stage: 'PrePromotion', color: 'green', phase: 'Successful' });
    expect(status.analysis?.measurements[0]).toMatchObject({ metric: 'slo', phase: 'Successful', value: 0.001 });
    expect(status.activeColor).toBe('green');
    expect(requested).toContain(`/slo/green?ns=${NS}`);
    expect(cluster.answers).toEqual([]); // no Prometheus query was sent
  });

  it('When the check answers a number above max, Then the analysis fails and blue stays active', async () => {
    const cluster = await releaseWith({
      name: 'slo',
      web: { url: `${base}/slo/blue-only`, jsonPath: '$.slo.errorRatio' },
      max: 0.01,
    });
    const status = cluster.bgs.get('shop')!.status!;
    expect(status.analysis).toMatchObject({ phase: 'Failed' });
    expect(status.analysis?.measurements[0]?.message).toBe('value 0.5 is above max 0.01');
    expect(status.activeColor).toBe('blue');
  });

  it('When its header Secret is missing, Then the analysis is inconclusive naming header and Secret, and nothing is sent', async () => {
    const before = requested.length;
    const cluster = await releaseWith({
      name: 'slo',
      web: {
        url: `${base}/slo/{{color}}`,
        jsonPath: '$.slo.errorRatio',
        headers: [{ name: 'Authorization', valueFrom: { secretKeyRef: { name: 'slo-token', key: 'token' } } }],
      },
      max: 0.01,
    });
    const status = cluster.bgs.get('shop')!.status!;
    expect(status.analysis?.phase).toBe('Inconclusive');
    expect(status.analysis?.measurements[0]?.message).toContain(
      `web check error: header "Authorization": Secret ${NS}/slo-token not found`,
    );
    expect(status.activeColor).toBe('blue');
    expect(requested.length).toBe(before);
  });
});
