// Benchmark: API writes in steady state (GUIDE §6: 0 per resync). N converged
// BlueGreenServices, the operator started with RESYNC_SECONDS=10 (its minimum); we read
// bluegreen_api_writes_total, reconcile and relist counters from /metrics before and after a
// window of >= 60 s, and check independently that no object's resourceVersion moved and no
// Event was created (Events are not counted by bluegreen_api_writes_total).
// Then a "touch" pass changes an annotation on every BGS (a metadata-only edit, no new
// generation) so each is reconciled once more for sure, and counts the writes again.
//
//   npx node bench/operator/steady-writes.ts [--n=100] [--seconds=70] [--port=18192]
import os from 'node:os';
import { kwokBgs, templateWithImage } from '../../clusterkit/bgs.ts';
import type { BlueGreenService } from '../../operator/src/api/types.ts';
import type { TestKube } from '../../clusterkit/kube.ts';
import {
  commandLine,
  connect,
  counterDelta,
  createNamespace,
  deleteNamespace,
  intFlag,
  pool,
  say,
  scrape,
  startBenchOperator,
  saveLogs,
  total,
  waitIdle,
  writeResult,
  type Sample,
  operatorDescription,
} from './lib.ts';

const N = intFlag('n', 100);
const SECONDS = Math.max(60, intFlag('seconds', 70));
const PORT = intFlag('port', 18192);
const RESYNC_SECONDS = 10;
const loadBefore = os.loadavg();
const names = Array.from({ length: N }, (_, i) => `w${String(i).padStart(4, '0')}`);

interface List {
  items: { metadata: { name: string; resourceVersion: string } }[];
  metadata: { resourceVersion: string };
}

/** name -> resourceVersion of everything the operator owns or writes in the namespace. */
async function versions(kube: TestKube, ns: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const paths = {
    BlueGreenService: `/apis/bluegreen.dev/v1alpha1/namespaces/${ns}/bluegreenservices`,
    Deployment: `/apis/apps/v1/namespaces/${ns}/deployments`,
    Service: `/api/v1/namespaces/${ns}/services`,
  };
  for (const [kind, p] of Object.entries(paths)) {
    for (const o of (await kube.req<List>('GET', p)).items)
      out.set(`${kind}/${o.metadata.name}`, o.metadata.resourceVersion);
  }
  return out;
}

const eventCount = async (kube: TestKube, ns: string) =>
  (await kube.req<List>('GET', `/api/v1/namespaces/${ns}/events`)).items.length;

async function allPhases(kube: TestKube, ns: string): Promise<Map<string, string>> {
  const list = await kube.req<{ items: BlueGreenService[] }>(
    'GET',
    `/apis/bluegreen.dev/v1alpha1/namespaces/${ns}/bluegreenservices`,
  );
  return new Map(
    list.items.map((o) => [
      o.metadata.name!,
      `${o.status?.phase}/${o.status?.activeColor}/${o.status?.colors?.blue?.replicas ?? '-'}/${o.status?.colors?.blue?.readyEndpoints ?? '-'}`,
    ]),
  );
}

async function waitAll(
  kube: TestKube,
  ns: string,
  what: string,
  ok: (v: string) => boolean,
  timeoutMs = 900_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const phases = await allPhases(kube, ns);
    const good = [...phases.values()].filter(ok).length;
    if (good === N) return say(`all ${N} ${what}`);
    if (Date.now() > deadline)
      throw new Error(
        `${what}: ${good}/${N} after ${timeoutMs / 1000} s; e.g. ${[...phases].find(([, v]) => !ok(v))?.join(' = ')}`,
      );
    say(`${what}: ${good}/${N}`);
    await new Promise((r) => setTimeout(r, 5000));
  }
}

interface Window {
  label: string;
  seconds: number;
  before: Sample[];
  after: Sample[];
  moved: string[];
  events: number;
}

async function measureWindow(
  kube: TestKube,
  ns: string,
  label: string,
  seconds: number,
  during?: () => Promise<void>,
): Promise<Window> {
  await waitIdle(PORT);
  const before = await scrape(PORT);
  const rvBefore = await versions(kube, ns);
  const eventsBefore = await eventCount(kube, ns);
  const t0 = Date.now();
  say(`window "${label}": ${seconds} s`);
  if (during) await during();
  while (Date.now() - t0 < seconds * 1000) {
    await new Promise((r) => setTimeout(r, Math.min(10_000, seconds * 1000 - (Date.now() - t0))));
    const m = await scrape(PORT);
    say(
      `  ${((Date.now() - t0) / 1000).toFixed(0)} s: writes +${total(m, 'bluegreen_api_writes_total') - total(before, 'bluegreen_api_writes_total')}, ` +
        `reconciles +${total(m, 'controller_runtime_reconcile_total') - total(before, 'controller_runtime_reconcile_total')}, ` +
        `relists +${total(m, 'informer_restarts_total', { reason: 'resync' }) - total(before, 'informer_restarts_total', { reason: 'resync' })}`,
    );
  }
  await waitIdle(PORT);
  const after = await scrape(PORT);
  const rvAfter = await versions(kube, ns);
  const moved = [...rvAfter].filter(([k, v]) => rvBefore.get(k) !== v).map(([k]) => k);
  return {
    label,
    seconds: Math.round((Date.now() - t0) / 1000),
    before,
    after,
    moved,
    events: (await eventCount(kube, ns)) - eventsBefore,
  };
}

const b = await connect();
const ns = await createNamespace(b.kube, 'bench-writes');
const op = await startBenchOperator(b, ns, PORT, { RESYNC_SECONDS: String(RESYNC_SECONDS) });
const windows: Window[] = [];
let failure: string | undefined;
try {
  const spec = { replicas: 1, scaleDownDelaySeconds: 0, promotion: { auto: true } };
  const base = kwokBgs(ns, 'x', 'app:v1', spec);
  await pool(names, 20, async (name) => {
    await b.kube.createBgs(kwokBgs(ns, name, 'app:v1', spec));
  });
  say(`created ${N} BlueGreenServices`);
  await waitAll(b.kube, ns, 'Healthy on blue', (v) => v.startsWith('Healthy/blue'));
  windows.push(await measureWindow(b.kube, ns, 'after first deploy', SECONDS));

  const template = templateWithImage(base, 'app:v2');
  await pool(names, 20, async (name) => {
    await b.kube.patchBgsSpec(ns, name, { template: { ...template, metadata: { labels: { app: name } } } });
  });
  say('released app:v2 to all (auto-promotion, scaleDownDelaySeconds 0)');
  await waitAll(b.kube, ns, 'Healthy on green with blue scaled to 0', (v) => v === 'Healthy/green/0/0');
  windows.push(await measureWindow(b.kube, ns, 'after a release, promotion and scale-down', SECONDS));

  windows.push(
    await measureWindow(b.kube, ns, 'metadata-only touch of every BGS', 15, async () => {
      await pool(names, 20, async (name) => {
        await b.kube.req(
          'PATCH',
          `/apis/bluegreen.dev/v1alpha1/namespaces/${ns}/bluegreenservices/${name}`,
          { metadata: { annotations: { 'bench.bluegreen.dev/touched': String(Date.now()) } } },
          'application/merge-patch+json',
        );
      });
      say(`  touched ${N} BGS`);
    }),
  );
} catch (err) {
  failure = err instanceof Error ? err.message : String(err);
  say(`FAILED: ${failure}`);
} finally {
  await op.stop();
  saveLogs(op, 'steady-writes');
  await deleteNamespace(b.kube, ns);
}

const d = (w: Window, name: string, match: Record<string, string> = {}) =>
  total(w.after, name, match) - total(w.before, name, match);
const rows = windows.map((w) => {
  const touched = w.label.startsWith('metadata');
  // The touch itself moves every BGS resourceVersion; anything else moving is a write.
  const moved = w.moved.filter((k) => !(touched && k.startsWith('BlueGreenService/')));
  return (
    `| ${w.label} | ${w.seconds} | ${d(w, 'bluegreen_api_writes_total')} | ${counterDelta(w.before, w.after, 'bluegreen_api_writes_total').join('<br>') || '—'} | ` +
    `${d(w, 'controller_runtime_reconcile_total')} | ${d(w, 'informer_restarts_total', { reason: 'resync' })} | ${moved.length}${moved.length ? ` (${moved.slice(0, 5).join(', ')})` : ''} | ${w.events} |`
  );
});
const steady = windows.filter((w) => !w.label.startsWith('metadata'));
const steadyWrites = steady.reduce((sum, w) => sum + d(w, 'bluegreen_api_writes_total'), 0);
const touch = windows.find((w) => w.label.startsWith('metadata'));
const body = [
  '## Setup',
  '',
  `${N} BlueGreenServices (replicas 1, promotion.auto, scaleDownDelaySeconds 0, no analysis) on kwok nodes; the operator (\`${operatorDescription()}\`,`,
  `WORKERS 4, LOG_LEVEL info, no leader election) started with RESYNC_SECONDS=${RESYNC_SECONDS}. Each window starts and ends with an idle operator`,
  '(work queue empty, no worker busy for 5 s). "objects moved" compares resourceVersions of every BGS, Deployment and Service in the namespace',
  'before and after (an independent check of the write counter); "Events" counts new Event objects (Events are not in bluegreen_api_writes_total).',
  '"relists" = informer_restarts_total{reason="resync"} summed over the four informers.',
  '',
  failure ? `**Run failed:** ${failure}\n` : '',
  '## Results',
  '',
  '| window | seconds | bluegreen_api_writes_total delta | by kind/operation | controller_runtime_reconcile_total delta | relists | objects moved | new Events |',
  '|---|---|---|---|---|---|---|---|',
  ...rows,
  '',
  '## Goal (GUIDE §6)',
  '',
  '| goal | measured | met |',
  '|---|---|---|',
  `| steady-state API writes: 0 per resync | ${steadyWrites} writes over ${steady.reduce((s, w) => s + d(w, 'informer_restarts_total', { reason: 'resync' }), 0)} relists in ${steady.reduce((s, w) => s + w.seconds, 0)} s | ${failure ? 'no (run failed)' : steadyWrites === 0 ? 'yes' : 'no'} |`,
  touch
    ? `| a reconcile of unchanged state writes nothing | ${d(touch, 'bluegreen_api_writes_total')} writes over ${d(touch, 'controller_runtime_reconcile_total')} reconciles of ${N} touched BGS | ${d(touch, 'bluegreen_api_writes_total') === 0 ? 'yes' : 'no'} |`
    : '',
].join('\n');
writeResult(
  b,
  'steady-writes',
  'Operator benchmark: API writes in steady state',
  commandLine('steady-writes.ts'),
  body,
  loadBefore,
);
process.exit(failure ? 1 : 0);
