// Benchmark: what filling the operator's four informer caches costs in memory, by page size of
// the initial lists (GUIDE §6 memory goal; issue 13 item 3). No cluster needed: a loopback
// fake API server serves N BlueGreenServices, 2N Deployments, 4N Services and 4N EndpointSlices
// shaped like the ones on a real cluster (managedFields of two managers included, which the
// informers drop as each page arrives), honouring limit/continue, and holds watches open.
//
//   npx node bench/operator/list-memory.ts [--n=1000] [--runs=3] [--page-sizes=500,100,100000] [--node-args='...']
//
// Each run is a fresh child process (node --expose-gc) that starts the operator's informers
// (the same paths, selectors and slimming as controller/informers.ts; no workers, no writes)
// and reports: time to sync, peak RSS (VmHWM), RSS and V8 heap total right after sync and
// 10 s later, and heap used after a full GC (the live cache). A page size >= 4N is one page
// per list: every raw object of a list alive at once, as before the lists were paged.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { commandLine, flag, intFlag, say, summarize, summaryHeader, summaryRow, writeResult } from './lib.ts';

const NS = 'bench';

if (process.argv.includes('--child')) await child();
else await parent();

async function parent(): Promise<void> {
  const N = intFlag('n', 1000);
  const RUNS = intFlag('runs', 3);
  const pageSizes = flag('page-sizes', `500,100,${4 * N}`)
    .split(',')
    .map(Number);
  const nodeArgs = flag('node-args', '').split(' ').filter(Boolean);
  const loadBefore = os.loadavg();
  const server = await fakeApiServer(N);
  const { port } = server.address() as AddressInfo;
  say(`fake API server on :${port} with ${N} BGS, ${2 * N} Deployments, ${4 * N} Services, ${4 * N} EndpointSlices`);
  const results = new Map<number, ChildReport[]>(pageSizes.map((p) => [p, []]));
  for (let round = 1; round <= RUNS; round++) {
    for (const pageSize of pageSizes) {
      const r = await runChild(`http://127.0.0.1:${port}`, pageSize, nodeArgs);
      results.get(pageSize)!.push(r);
      say(
        `round ${round}/${RUNS} page size ${pageSize}: synced in ${r.syncMs.toFixed(0)} ms (CPU ${r.cpuMs.toFixed(0)} ms), RSS before ${r.before.rss.toFixed(1)}, peak ${r.peakRss.toFixed(1)} MiB, ` +
          `RSS ${r.rssSynced.toFixed(1)} -> ${r.rssLater.toFixed(1)} MiB, heap total ${r.heapTotalLater.toFixed(1)} MiB, live ${r.heapLive.toFixed(1)} MiB; ` +
          `after full GC: heap total ${r.heapTotalAfterGc.toFixed(1)}, RSS ${r.rssAfterGc.toFixed(1)} MiB`,
      );
    }
  }
  server.close();
  const rows: string[] = [];
  const label = (p: number) => (p >= 4 * N ? `one page per list (limit ${p})` : `limit ${p}`);
  for (const [p, xs] of results) {
    rows.push(summaryRow(`${label(p)}: RSS before listing (MiB)`, summarize(xs.map((x) => x.before.rss))));
    rows.push(summaryRow(`${label(p)}: heap used before listing (MiB)`, summarize(xs.map((x) => x.before.heapUsed))));
    rows.push(summaryRow(`${label(p)}: list -> synced (ms)`, summarize(xs.map((x) => x.syncMs)), 0));
    rows.push(summaryRow(`${label(p)}: CPU list -> synced (ms)`, summarize(xs.map((x) => x.cpuMs)), 0));
    rows.push(summaryRow(`${label(p)}: peak RSS (MiB)`, summarize(xs.map((x) => x.peakRss))));
    rows.push(summaryRow(`${label(p)}: RSS at sync (MiB)`, summarize(xs.map((x) => x.rssSynced))));
    rows.push(summaryRow(`${label(p)}: RSS 10 s later (MiB)`, summarize(xs.map((x) => x.rssLater))));
    rows.push(summaryRow(`${label(p)}: V8 heap total 10 s later (MiB)`, summarize(xs.map((x) => x.heapTotalLater))));
    rows.push(summaryRow(`${label(p)}: heap used after full GC (MiB)`, summarize(xs.map((x) => x.heapLive))));
    rows.push(
      summaryRow(`${label(p)}: V8 heap total after full GC (MiB)`, summarize(xs.map((x) => x.heapTotalAfterGc))),
    );
    rows.push(summaryRow(`${label(p)}: RSS 2 s after full GC (MiB)`, summarize(xs.map((x) => x.rssAfterGc))));
    rows.push(
      summaryRow(`${label(p)}: peak RSS - RSS before (MiB)`, summarize(xs.map((x) => x.peakRss - x.before.rss))),
    );
    rows.push(
      summaryRow(`${label(p)}: RSS 10 s later - before (MiB)`, summarize(xs.map((x) => x.rssLater - x.before.rss))),
    );
    rows.push(
      summaryRow(
        `${label(p)}: live cache (heap after GC - before) (MiB)`,
        summarize(xs.map((x) => x.heapLive - x.before.heapUsed)),
      ),
    );
  }
  const bytes = server.bytesPerKind;
  writeResult(
    { kubernetesVersion: 'none (loopback fake API server)' },
    `list-memory-${N}${
      nodeArgs.length
        ? `-${nodeArgs
            .join('')
            .replace(/[^a-z0-9]+/gi, '-')
            .replace(/^-+|-+$/g, '')}`
        : ''
    }`,
    `Informer caches: memory while filling them, by list page size (N = ${N})`,
    commandLine('list-memory.ts'),
    [
      '## What was measured',
      '',
      `A loopback fake API server serves ${N} BlueGreenServices, ${2 * N} Deployments, ${4 * N} Services and ${4 * N} EndpointSlices`,
      `(JSON per object: ${Object.entries(bytes)
        .map(([k, v]) => `${k} ${(v / 1024).toFixed(1)} KiB`)
        .join(', ')}; managedFields of two managers on each), pages by limit/continue and`,
      'holds watches open. Each run is a fresh child process that starts the four informers of the operator (same paths,',
      'label selectors and per-object slimming as controller/informers.ts; no work queue, no writes) and waits until all four',
      `synced. ${RUNS} runs per page size, round-robin.${nodeArgs.length ? ` Node arguments: \`${nodeArgs.join(' ')}\`.` : ''}`,
      '',
      summaryHeader,
      ...rows,
    ].join('\n'),
    loadBefore,
  );
}

interface ChildReport {
  /** After the imports and a full GC, before the first list: the probe's own fixed cost. */
  before: { rss: number; heapTotal: number; heapUsed: number };
  syncMs: number;
  /** CPU time (user + system, all threads: GC helpers included) from the first list to synced. */
  cpuMs: number;
  peakRss: number;
  rssSynced: number;
  rssLater: number;
  heapTotalLater: number;
  heapLive: number;
  heapTotalAfterGc: number;
  /** 2 s after the full GC: what an explicit GC after the initial sync would give back. */
  rssAfterGc: number;
}

function runChild(server: string, pageSize: number, nodeArgs: string[]): Promise<ChildReport> {
  return new Promise((resolve, reject) => {
    const c = spawn(
      process.execPath,
      [
        ...nodeArgs,
        '--expose-gc',
        fileURLToPath(import.meta.url),
        '--child',
        `--server=${server}`,
        `--page-size=${pageSize}`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString('utf8')));
    c.on('exit', (code) => {
      const line = out.trim().split('\n').at(-1) ?? '';
      if (code !== 0) reject(new Error(`child exited ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(line) as ChildReport);
    });
  });
}

async function child(): Promise<void> {
  const { createConnection } = await import('../../operator/src/runtime/connection.ts');
  const { Registry } = await import('prom-client');
  const { createInformer } = await import('../../operator/src/runtime/informer.ts');
  const { slimMetadata, slimEndpointSlice } = await import('../../operator/src/controller/informers.ts');
  const { paths } = await import('../../operator/src/k8s/paths.ts');
  const { LABELS, MANAGED_BY_VALUE } = await import('../../operator/src/api/constants.ts');
  const gc = (globalThis as { gc?: () => void }).gc!;
  const server = flag('server', '');
  const pageSize = intFlag('page-size', 500);
  const conn = createConnection({ server });
  const common = { conn, resyncMs: 3_600_000, registry: new Registry(), pageSize };
  const informers = [
    createInformer({ ...common, name: 'bgs', path: paths.bgs(NS), transform: slimMetadata }),
    createInformer({
      ...common,
      name: 'deployments',
      path: paths.deployments(NS),
      labelSelector: `${LABELS.managedBy}=${MANAGED_BY_VALUE}`,
      transform: slimMetadata,
    }),
    createInformer({
      ...common,
      name: 'services',
      path: paths.services(NS),
      labelSelector: LABELS.service,
      transform: slimMetadata,
    }),
    createInformer({
      ...common,
      name: 'slices',
      path: paths.endpointSlices(NS),
      labelSelector: LABELS.service,
      transform: slimEndpointSlice,
    }),
  ];
  const mib = (b: number) => b / 1048576;
  const status = (field: string) =>
    Number(new RegExp(`${field}:\\s+(\\d+) kB`).exec(readFileSync('/proc/self/status', 'utf8'))?.[1]) / 1024;
  gc();
  gc();
  const before = {
    rss: status('VmRSS'),
    heapTotal: mib(process.memoryUsage().heapTotal),
    heapUsed: mib(process.memoryUsage().heapUsed),
  };
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await Promise.all(informers.map((i) => i.start()));
  const syncMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const rssSynced = status('VmRSS');
  await new Promise((r) => setTimeout(r, 10_000));
  const report: ChildReport = {
    before,
    syncMs,
    cpuMs: (cpu.user + cpu.system) / 1000,
    peakRss: status('VmHWM'),
    rssSynced,
    rssLater: status('VmRSS'),
    heapTotalLater: mib(process.memoryUsage().heapTotal),
    heapLive: 0,
    heapTotalAfterGc: 0,
    rssAfterGc: 0,
  };
  gc();
  gc();
  report.heapLive = mib(process.memoryUsage().heapUsed);
  report.heapTotalAfterGc = mib(process.memoryUsage().heapTotal);
  await new Promise((r) => setTimeout(r, 2_000));
  report.rssAfterGc = status('VmRSS');
  for (const i of informers) i.stop();
  process.stdout.write(`${JSON.stringify(report)}\n`);
  process.exit(0);
}

/** Objects shaped like the operator's on a real cluster (see the scale benchmark's namespace). */
function objects(n: number): Record<string, string[]> {
  const t = '2026-12-01T00:00:00Z';
  const name = (i: number) => `s${String(i).padStart(4, '0')}`;
  const meta = (kind: string, nm: string, i: number, labels: Record<string, string>, extra: object = {}) => ({
    name: nm,
    namespace: NS,
    uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}-${kind}`,
    resourceVersion: String(1000 + i),
    generation: 1,
    creationTimestamp: t,
    labels,
    ...extra,
  });
  const managed = (manager: string, operation: string, fields: object, subresource?: string) => ({
    manager,
    operation,
    apiVersion: 'v1',
    time: t,
    fieldsType: 'FieldsV1',
    fieldsV1: fields,
    ...(subresource ? { subresource } : {}),
  });
  const ours = (svc: string, color?: string) => ({
    'app.kubernetes.io/managed-by': 'bluegreen-operator',
    'bluegreen.dev/service': svc,
    ...(color ? { 'bluegreen.dev/color': color } : {}),
  });
  const owner = (svc: string, i: number) => [
    {
      apiVersion: 'bluegreen.dev/v1alpha1',
      kind: 'BlueGreenService',
      name: svc,
      uid: `00000000-0000-4000-8000-${String(i).padStart(12, '0')}-bgs`,
      controller: true,
      blockOwnerDeletion: true,
    },
  ];
  const template = (svc: string, color: string) => ({
    metadata: { labels: { app: svc, ...ours(svc, color), 'bluegreen.dev/revision': '5d8f7c9b6' } },
    spec: {
      containers: [
        {
          name: 'app',
          image: 'registry.example/app:v1',
          ports: [{ containerPort: 8080, protocol: 'TCP' }],
          resources: {},
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
          imagePullPolicy: 'IfNotPresent',
        },
      ],
      nodeSelector: { type: 'kwok' },
      tolerations: [{ key: 'kwok.x-k8s.io/node', operator: 'Exists', effect: 'NoSchedule' }],
      restartPolicy: 'Always',
      terminationGracePeriodSeconds: 30,
      dnsPolicy: 'ClusterFirst',
      securityContext: {},
      schedulerName: 'default-scheduler',
    },
  });
  const f = (keys: string[]) => Object.fromEntries(keys.map((k) => [k, {}]));
  const out: Record<string, string[]> = { bluegreenservices: [], deployments: [], services: [], endpointslices: [] };
  for (let i = 0; i < n; i++) {
    const svc = name(i);
    out['bluegreenservices']!.push(
      JSON.stringify({
        apiVersion: 'bluegreen.dev/v1alpha1',
        kind: 'BlueGreenService',
        metadata: meta(
          'bgs',
          svc,
          i,
          {},
          {
            managedFields: [
              managed('kubectl', 'Update', { 'f:spec': f(['f:replicas', 'f:template', 'f:service', 'f:promotion']) }),
              managed(
                'bluegreen-operator',
                'Apply',
                { 'f:status': f(['f:phase', 'f:activeColor', 'f:conditions', 'f:colors']) },
                'status',
              ),
            ],
          },
        ),
        spec: {
          replicas: 1,
          scaleDownDelaySeconds: 3600,
          promotion: { auto: true },
          service: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
          template: template(svc, 'blue'),
        },
        status: {
          observedGeneration: 1,
          phase: 'Healthy',
          activeColor: 'blue',
          conditions: ['Ready', 'Progressing', 'Degraded', 'SpecValid'].map((type) => ({
            type,
            status: 'True',
            reason: 'Healthy',
            message: 'all replicas ready',
            lastTransitionTime: t,
            observedGeneration: 1,
          })),
          colors: { blue: { revision: '5d8f7c9b6', readyEndpoints: 1 } },
        },
      }),
    );
    for (const color of ['blue', 'green']) {
      out['deployments']!.push(
        JSON.stringify({
          apiVersion: 'apps/v1',
          kind: 'Deployment',
          metadata: meta('dep', `${svc}-${color}`, i, ours(svc, color), {
            annotations: { 'deployment.kubernetes.io/revision': '1', 'bluegreen.dev/revision': '5d8f7c9b6' },
            ownerReferences: owner(svc, i),
            managedFields: [
              managed('bluegreen-operator', 'Apply', {
                'f:metadata': {
                  'f:labels': f(['f:app.kubernetes.io/managed-by', 'f:bluegreen.dev/service', 'f:bluegreen.dev/color']),
                  'f:ownerReferences': f(['k:{"uid":"x"}']),
                },
                'f:spec': {
                  'f:replicas': {},
                  'f:selector': {},
                  'f:template': {
                    'f:metadata': { 'f:labels': f(['f:app', 'f:bluegreen.dev/color', 'f:bluegreen.dev/revision']) },
                    'f:spec': {
                      'f:containers': { 'k:{"name":"app"}': f(['.', 'f:image', 'f:name', 'f:ports']) },
                      'f:nodeSelector': {},
                      'f:tolerations': {},
                    },
                  },
                },
              }),
              managed(
                'kube-controller-manager',
                'Update',
                {
                  'f:metadata': { 'f:annotations': f(['.', 'f:deployment.kubernetes.io/revision']) },
                  'f:status': f([
                    'f:availableReplicas',
                    'f:conditions',
                    'f:observedGeneration',
                    'f:readyReplicas',
                    'f:replicas',
                    'f:updatedReplicas',
                  ]),
                },
                'status',
              ),
            ],
          }),
          spec: {
            replicas: 1,
            selector: { matchLabels: { app: svc, 'bluegreen.dev/color': color } },
            template: template(svc, color),
            strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
            revisionHistoryLimit: 10,
            progressDeadlineSeconds: 600,
          },
          status: {
            observedGeneration: 1,
            replicas: 1,
            updatedReplicas: 1,
            readyReplicas: 1,
            availableReplicas: 1,
            conditions: ['Available', 'Progressing'].map((type) => ({
              type,
              status: 'True',
              lastUpdateTime: t,
              lastTransitionTime: t,
              reason: 'NewReplicaSetAvailable',
              message: `ReplicaSet "${svc}-${color}-5d8f7c9b6" has successfully progressed.`,
            })),
          },
        }),
      );
    }
    for (const [suffix, color] of [
      ['', 'blue'],
      ['-preview', 'blue'],
      ['-blue-endpoints', 'blue'],
      ['-green-endpoints', 'green'],
    ] as const) {
      const svcName = `${svc}${suffix}`;
      const headless = suffix.endsWith('endpoints');
      out['services']!.push(
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Service',
          metadata: meta('svc', svcName, i, ours(svc), {
            ownerReferences: owner(svc, i),
            managedFields: [
              managed('bluegreen-operator', 'Apply', {
                'f:metadata': {
                  'f:labels': f(['f:app.kubernetes.io/managed-by', 'f:bluegreen.dev/service']),
                  'f:ownerReferences': {},
                },
                'f:spec': f(['f:ports', 'f:selector', 'f:type', 'f:publishNotReadyAddresses']),
              }),
            ],
          }),
          spec: {
            ports: [{ name: 'http', protocol: 'TCP', port: 80, targetPort: 8080 }],
            selector: { app: svc, 'bluegreen.dev/color': color },
            clusterIP: headless ? 'None' : `10.96.${(i >> 8) & 255}.${i & 255}`,
            clusterIPs: [headless ? 'None' : `10.96.${(i >> 8) & 255}.${i & 255}`],
            type: 'ClusterIP',
            sessionAffinity: 'None',
            ipFamilies: ['IPv4'],
            ipFamilyPolicy: 'SingleStack',
            internalTrafficPolicy: 'Cluster',
          },
          status: { loadBalancer: {} },
        }),
      );
      out['endpointslices']!.push(
        JSON.stringify({
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          metadata: meta(
            'eps',
            `${svcName}-x7k2p`,
            i,
            {
              ...ours(svc),
              'kubernetes.io/service-name': svcName,
              'endpointslice.kubernetes.io/managed-by': 'endpointslice-controller.k8s.io',
            },
            {
              generateName: `${svcName}-`,
              ownerReferences: [
                {
                  apiVersion: 'v1',
                  kind: 'Service',
                  name: svcName,
                  uid: 'x',
                  controller: true,
                  blockOwnerDeletion: true,
                },
              ],
              annotations: { 'endpoints.kubernetes.io/last-change-trigger-time': t },
              managedFields: [
                managed('kube-controller-manager', 'Update', {
                  'f:addressType': {},
                  'f:endpoints': {},
                  'f:metadata': { 'f:labels': {}, 'f:ownerReferences': {} },
                  'f:ports': {},
                }),
              ],
            },
          ),
          addressType: 'IPv4',
          endpoints: [
            {
              addresses: [`10.244.${(i >> 8) & 255}.${i & 255}`],
              conditions: { ready: true, serving: true, terminating: false },
              nodeName: 'kwok-node-0',
              targetRef: { kind: 'Pod', namespace: NS, name: `${svc}-${color}-5d8f7c9b6-abcde`, uid: 'y' },
            },
          ],
          ports: [{ name: 'http', protocol: 'TCP', port: 8080 }],
        }),
      );
    }
  }
  return out;
}

async function fakeApiServer(n: number) {
  const all = objects(n);
  const bytesPerKind = Object.fromEntries(Object.entries(all).map(([k, v]) => [k, v[0]!.length]));
  const server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://x');
    const kind = url.pathname.split('/').at(-1) ?? '';
    const items = all[kind];
    if (!items) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"kind":"Status","code":404}');
      return;
    }
    if (url.searchParams.get('watch') === 'true') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.flushHeaders();
      return;
    }
    const limit = Number(url.searchParams.get('limit') ?? items.length) || items.length;
    const offset = Number(url.searchParams.get('continue') ?? 0);
    const next = offset + limit < items.length ? String(offset + limit) : undefined;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      `{"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"99999"${next ? `,"continue":"${next}"` : ''}},"items":[${items
        .slice(offset, offset + limit)
        .join(',')}]}`,
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return Object.assign(server, { bytesPerKind });
}
