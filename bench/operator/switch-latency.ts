// Benchmark: user edit of spec.activeColor -> active Service selector switched (GUIDE §6,
// goal p99 <= 100 ms). One BlueGreenService on kwok nodes with both colours running
// (replicas 2, previewReplicas 2, a long scale-down delay), flipped green <-> blue many
// times. Flips to green (the new revision) are ManualPromotion, flips back to blue
// (the previous revision) are ManualRollback; both are reported separately and together.
//
//   npx node bench/operator/switch-latency.ts [--flips=100] [--warmup=4] [--port=18190]
//
// Latency = arrival of the watch event on the active Service carrying the new selector,
// minus (a) the moment the PATCH of spec.activeColor was sent and (b) the moment its
// response arrived. Each flip waits until the BlueGreenService status has settled
// (observedGeneration, activeColor, phase) before the next one, so flips never overlap.
import os from 'node:os';
import { kwokBgs, templateWithImage } from '../../clusterkit/bgs.ts';
import type { BlueGreenService } from '../../operator/src/api/types.ts';
import {
  Changes,
  commandLine,
  connect,
  createNamespace,
  deleteNamespace,
  intFlag,
  say,
  scrape,
  startBenchOperator,
  saveLogs,
  summarize,
  summaryHeader,
  summaryRow,
  total,
  watchCollection,
  writeResult,
  counterDelta,
  operatorDescription,
} from './lib.ts';

const FLIPS = intFlag('flips', 100);
const WARMUP = intFlag('warmup', 4);
const PORT = intFlag('port', 18190);
const NAME = 'flip';
const loadBefore = os.loadavg();

const b = await connect();
const ns = await createNamespace(b.kube, 'bench-switch');
const op = await startBenchOperator(b, ns, PORT);

// What the watches saw: the last selector colour of the active Service (with arrival time)
// and the last BlueGreenService object.
let selector: { color: string | undefined; at: number } = { color: undefined, at: 0 };
let hop = { seq: '', at: 0 };
let bgs: BlueGreenService | undefined;
const changes = new Changes();
const watches = [
  watchCollection(
    b.kube.kc,
    `/api/v1/namespaces/${ns}/services`,
    { fieldSelector: `metadata.name=${NAME}` },
    (_t, svc) => {
      const color = svc?.spec?.selector?.['bluegreen.dev/color'] as string | undefined;
      if (color !== selector.color) selector = { color, at: performance.now() };
      changes.notify();
    },
  ),
  watchCollection(
    b.kube.kc,
    `/apis/bluegreen.dev/v1alpha1/namespaces/${ns}/bluegreenservices`,
    { fieldSelector: `metadata.name=${NAME}` },
    (_t, obj) => {
      bgs = obj as BlueGreenService;
      changes.notify();
    },
  ),
  // Baseline: the API server's own write -> watch-event latency for one hop, measured between
  // flips. The operator's path has two such hops (edit -> operator, selector -> us).
  watchCollection(
    b.kube.kc,
    `/api/v1/namespaces/${ns}/configmaps`,
    { fieldSelector: 'metadata.name=baseline-hop' },
    (_t, cm) => {
      hop = { seq: String(cm?.data?.seq ?? ''), at: performance.now() };
      changes.notify();
    },
  ),
];
const seen = () => ({
  selector: selector.color,
  status: {
    phase: bgs?.status?.phase,
    active: bgs?.status?.activeColor,
    preview: bgs?.status?.previewColor,
    message: bgs?.status?.message,
  },
});
const waitStatus = (what: string, ok: (s: NonNullable<BlueGreenService['status']>) => boolean, timeoutMs = 120_000) =>
  changes.until(() => (bgs?.status && ok(bgs.status) ? true : undefined), timeoutMs, what, seen);

interface Flip {
  target: 'green' | 'blue';
  fromSendMs: number;
  fromReturnMs: number;
  patchMs: number;
  settleMs: number;
  hopMs: number;
}
const flips: Flip[] = [];
let failure: string | undefined;
const eventReasons = new Map<string, number>();
let metricsBefore: Awaited<ReturnType<typeof scrape>> = [];
let metricsAfter: Awaited<ReturnType<typeof scrape>>;

try {
  const base = kwokBgs(ns, NAME, 'app:v1', { replicas: 2, previewReplicas: 2, scaleDownDelaySeconds: 86_400 });
  await b.kube.req('POST', `/api/v1/namespaces/${ns}/configmaps`, {
    metadata: { name: 'baseline-hop' },
    data: { seq: '' },
  });
  await b.kube.createBgs(base);
  say('created BlueGreenService flip (replicas 2); waiting for Healthy on blue');
  await waitStatus('Healthy on blue', (s) => s.phase === 'Healthy' && s.activeColor === 'blue');
  await b.kube.patchBgsSpec(ns, NAME, { template: templateWithImage(base, 'app:v2') });
  say('released app:v2; waiting for AwaitingPromotion with green ready');
  await waitStatus(
    'AwaitingPromotion on green',
    (s) => s.phase === 'AwaitingPromotion' && s.previewColor === 'green' && s.colors?.green?.readyEndpoints === 2,
  );
  await changes.until(() => (selector.color === 'blue' ? true : undefined), 10_000, 'active Service on blue', seen);

  let current: 'green' | 'blue' = 'blue';
  for (let i = 0; i < WARMUP + FLIPS; i++) {
    const target: 'green' | 'blue' = current === 'blue' ? 'green' : 'blue';
    if (i === WARMUP) metricsBefore = await scrape(PORT);
    const sent = performance.now();
    const patched = await b.kube.patchBgsSpec(ns, NAME, { activeColor: target });
    const returned = performance.now();
    const generation = patched.metadata.generation ?? 0;
    const switchedAt = await changes.until(
      () => (selector.color === target && selector.at >= sent ? selector.at : undefined),
      30_000,
      `selector ${target} (flip ${i})`,
      seen,
    );
    // Settled = the end state of the flip: promoted to green -> Healthy; rolled back to blue
    // while green still holds the newest template -> AwaitingPromotion with preview on green.
    const endPhase = target === 'green' ? 'Healthy' : 'AwaitingPromotion';
    await waitStatus(
      `status settled on ${target} (flip ${i})`,
      (s) =>
        (s.observedGeneration ?? 0) >= generation &&
        s.activeColor === target &&
        s.phase === endPhase &&
        s.previewColor === (target === 'green' ? undefined : 'green'),
    );
    const settled = performance.now();
    const hopSent = performance.now();
    await b.kube.req(
      'PATCH',
      `/api/v1/namespaces/${ns}/configmaps/baseline-hop`,
      { data: { seq: String(i) } },
      'application/merge-patch+json',
    );
    const hopAt = await changes.until(
      () => (hop.seq === String(i) ? hop.at : undefined),
      30_000,
      `baseline hop ${i}`,
      () => hop,
    );
    if (i >= WARMUP)
      flips.push({
        target,
        fromSendMs: switchedAt - sent,
        fromReturnMs: switchedAt - returned,
        patchMs: returned - sent,
        settleMs: settled - sent,
        hopMs: hopAt - hopSent,
      });
    current = target;
    if ((i + 1) % 10 === 0) {
      const last = flips.slice(-10);
      say(
        `flip ${i + 1}/${WARMUP + FLIPS}: last 10 edit->selector ${last.map((f) => f.fromSendMs.toFixed(0)).join(' ')} ms`,
      );
    }
  }
  metricsAfter = await scrape(PORT);
} catch (err) {
  failure = err instanceof Error ? err.message : String(err);
  say(`FAILED: ${failure}`);
  metricsAfter = await scrape(PORT).catch(() => []);
} finally {
  for (const w of watches) w.stop();
  // Events tell which decisions each flip produced (a rollback should not restart the release).
  const events = await b.kube.events(ns).catch(() => []);
  for (const e of events)
    eventReasons.set(e.reason, (eventReasons.get(e.reason) ?? 0) + ((e as { count?: number }).count ?? 1));
  await op.stop();
  saveLogs(op, 'switch-latency');
  await deleteNamespace(b.kube, ns);
}

const pick = (sel: (f: Flip) => number, only?: Flip['target']) =>
  summarize(flips.filter((f) => !only || f.target === only).map(sel));
const all = pick((f) => f.fromSendMs);
const returned = pick((f) => f.fromReturnMs);
const hopMedian = pick((f) => f.hopMs).p50;
const reconciles =
  total(metricsAfter, 'controller_runtime_reconcile_total') -
  total(metricsBefore, 'controller_runtime_reconcile_total');
const reconcileSeconds =
  total(metricsAfter, 'controller_runtime_reconcile_time_seconds_sum') -
  total(metricsBefore, 'controller_runtime_reconcile_time_seconds_sum');
const errorLines = op.logs.filter((l) => l.includes('"level":"error"') || l.includes('"level":"warn"'));
const goalMet = all.p99 <= 100;

const body = [
  '## Setup',
  '',
  `One BlueGreenService on kwok nodes (replicas 2, previewReplicas 2, scaleDownDelaySeconds 86400, no analysis), blue on app:v1, green on app:v2, both ready.`,
  `${WARMUP} warm-up flips are not counted, then ${FLIPS} flips alternating green (ManualPromotion) and blue (ManualRollback).`,
  `The operator runs as a child process (\`${operatorDescription()}\`, WORKERS 4, LOG_LEVEL info, no leader election, WATCH_NAMESPACE = the bench namespace).`,
  'Timestamps are taken in the benchmark process with `performance.now()`: "from send" starts right before the merge PATCH of `spec.activeColor` is sent,',
  '"from return" when its response arrived; both end when the watch event on the active Service with the new selector arrives (a Watch from @kubernetes/client-node).',
  'The next flip starts only after the BlueGreenService status settled in the end state (observedGeneration, activeColor, phase Healthy after a promotion,',
  'AwaitingPromotion with preview green after a rollback), so a flip never queues behind the previous one.',
  '',
  failure ? `**Run failed after ${flips.length} counted flips:** ${failure}\n` : '',
  '## Results (milliseconds)',
  '',
  summaryHeader,
  summaryRow('edit -> selector, from PATCH sent (all flips)', all),
  summaryRow(
    'edit -> selector, from PATCH returned (all flips)',
    pick((f) => f.fromReturnMs),
  ),
  summaryRow(
    'promotion (-> green), from PATCH sent',
    pick((f) => f.fromSendMs, 'green'),
  ),
  summaryRow(
    'rollback (-> blue), from PATCH sent',
    pick((f) => f.fromSendMs, 'blue'),
  ),
  summaryRow(
    'rollback (-> blue), from PATCH returned',
    pick((f) => f.fromReturnMs, 'blue'),
  ),
  summaryRow(
    'PATCH round trip itself',
    pick((f) => f.patchMs),
  ),
  summaryRow(
    'edit -> status settled (not a goal)',
    pick((f) => f.settleMs),
  ),
  summaryRow(
    'baseline: one API hop (ConfigMap PATCH sent -> our watch event)',
    pick((f) => f.hopMs),
  ),
  '',
  `The operator's path is two API hops (the edit reaches the operator's watch; its selector write reaches ours) plus its own work.`,
  `With the median one-hop baseline of ${hopMedian.toFixed(1)} ms on this machine during the run, a controller doing nothing else would need about ${(2 * hopMedian).toFixed(1)} ms;`,
  `the measured median is ${all.p50.toFixed(1)} ms, so the operator's own share (queue, snapshot, plan; its apply round trip is counted in the second hop) is about ${(all.p50 - 2 * hopMedian).toFixed(1)} ms at the median.`,
  '',
  `Operator during the counted flips: ${reconciles} reconciles, mean reconcile time ${reconciles ? ((reconcileSeconds / reconciles) * 1000).toFixed(1) : 'n/a'} ms;`,
  `writes: ${counterDelta(metricsBefore, metricsAfter, 'bluegreen_api_writes_total').join(', ') || 'none'}; switches: ${counterDelta(metricsBefore, metricsAfter, 'bluegreen_switches_total').join(', ') || 'none'}.`,
  `Events by reason over the whole run (set-up included): ${[...eventReasons].map(([r, n]) => `${r} ${n}`).join(', ') || 'none'}.`,
  `Warn/error log lines of the operator over the whole run: ${errorLines.length}${errorLines.length ? ` (first: \`${errorLines[0]!.slice(0, 300)}\`)` : ''}.`,
  '',
  '## Goal (GUIDE §6)',
  '',
  '| goal | measured | met |',
  '|---|---|---|',
  `| user edit -> Service selector patched, p99 <= 100 ms, counted from the PATCH sent (includes the user's own PATCH round trip) | p99 ${all.p99.toFixed(1)} ms (median ${all.p50.toFixed(1)} ms, max ${all.max.toFixed(1)} ms, n=${all.n}) | ${failure ? 'no (run failed)' : goalMet ? 'yes' : 'no'} |`,
  `| same, counted from the PATCH response (the edit is stored; operator + watch delivery only) | p99 ${returned.p99.toFixed(1)} ms (median ${returned.p50.toFixed(1)} ms, max ${returned.max.toFixed(1)} ms) | ${failure ? 'no (run failed)' : returned.p99 <= 100 ? 'yes' : 'no'} |`,
  `| rollback while the old colour still runs: selector part of <= 2 s | p99 ${pick((f) => f.fromSendMs, 'blue').p99.toFixed(1)} ms | ${pick((f) => f.fromSendMs, 'blue').p99 <= 2000 ? 'yes (operator part only; kube-proxy sync not included)' : 'no'} |`,
].join('\n');
writeResult(
  b,
  'switch-latency',
  'Operator benchmark: spec.activeColor edit -> active Service selector',
  commandLine('switch-latency.ts'),
  body,
  loadBefore,
);
say(
  `edit->selector p50 ${all.p50.toFixed(1)} ms p99 ${all.p99.toFixed(1)} ms max ${all.max.toFixed(1)} ms (n=${all.n})`,
);
process.exit(failure ? 1 : 0);
