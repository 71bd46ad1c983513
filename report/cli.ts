// npm run report -- --namespace NS --name NAME --target URL [--out report.html] [--duration S]
// npm run report -- --from-recording FILE.json [--out report.html]
// Sends a constant open-model load at --target while following the BlueGreenService NS/NAME
// on the current kube context, then writes a self-contained HTML release report and, next to
// it, the recording it was drawn from (<out>.recording.json). Ctrl-C ends the run early and
// still writes both. Exit code: 0 written, 1 failed, 2 bad usage.
import { readFile, writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import type { GeneratorOptions } from '../loadtest/engine/generator.ts';
import { loadReportAssets } from './assets.ts';
import { buildReportModel } from './model.ts';
import { parseRecording, type Recording } from './recording.ts';
import { renderReportHtml } from './render.ts';

const USAGE = `usage: npm run report -- --namespace NS --name NAME --target URL [options]
       npm run report -- --from-recording FILE.json [--out report.html]
  --namespace NS, --name NAME   the BlueGreenService to follow (kubeconfig: $KUBECONFIG or ~/.kube/config)
  --target URL            where the load goes: the active Service as this machine reaches it (Ingress,
                          LoadBalancer, a ClusterIP from a node; port-forward pins one pod: no switch to see)
  --duration S            seconds of load (default 300); Ctrl-C stops earlier and still writes the report
  --rate R                requests per second, constant (default 20)
  --header 'Name: value'  sent with every request (repeatable), e.g. an Authorization header
  --color-header H        response header that names the colour (default X-Color)
  --no-keep-alive         one TCP connection per request (default: kept-alive pool, like real clients)
  --timeout-ms MS         per request (default 5000)
  --poll-ms MS            how often the BlueGreenService status is read (default 500)
  --out FILE              the HTML report (default report.html); the recording goes to FILE minus .html + .recording.json
  --kubeconfig F  --context C`;

function fail(message: string): never {
  console.error(`report: ${message}\n\n${USAGE}`);
  process.exit(2);
}

function num(v: string | undefined, name: string, fallback: number): number {
  if (v === undefined) return fallback;
  const n = Number(v);
  if (v.trim() === '' || !Number.isFinite(n) || n <= 0) fail(`--${name} must be a number > 0, got "${v}"`);
  return n;
}

function args() {
  try {
    return parseArgs({
      options: {
        namespace: { type: 'string' },
        name: { type: 'string' },
        target: { type: 'string' },
        duration: { type: 'string' },
        rate: { type: 'string' },
        header: { type: 'string', multiple: true, default: [] },
        'color-header': { type: 'string', default: 'X-Color' },
        'no-keep-alive': { type: 'boolean', default: false },
        'timeout-ms': { type: 'string' },
        'poll-ms': { type: 'string' },
        out: { type: 'string', default: 'report.html' },
        'from-recording': { type: 'string' },
        kubeconfig: { type: 'string' },
        context: { type: 'string' },
        help: { type: 'boolean', default: false },
      },
    }).values;
  } catch (err) {
    fail((err as Error).message);
  }
}

const a = args();
if (a.help) {
  console.log(USAGE);
  process.exit(0);
}
const recordingFile = `${a.out.replace(/\.html?$/i, '')}.recording.json`;

async function record(): Promise<Recording> {
  const namespace = a.namespace ?? fail('--namespace is required');
  const name = a.name ?? fail('--name is required');
  const target = a.target ?? fail('--target is required');
  try {
    if (!/^https?:$/.test(new URL(target).protocol)) throw new Error();
  } catch {
    fail(`--target must be an absolute http(s) URL, got "${target}"`);
  }
  const headers: Record<string, string> = {};
  for (const h of a.header) {
    const m = /^([^:\s]+):\s*(.*)$/.exec(h);
    if (!m) fail(`--header must look like 'Name: value', got "${h}"`);
    headers[m[1]!] = m[2]!;
  }
  const duration = num(a.duration, 'duration', 300);
  const rate = num(a.rate, 'rate', 20);
  const generator: GeneratorOptions = {
    url: target,
    profile: { startRate: rate, stages: [{ durationSeconds: duration, rate }] },
    keepAlive: !a['no-keep-alive'],
    maxConnections: 0,
    timeoutMs: num(a['timeout-ms'], 'timeout-ms', 5_000),
    maxInFlight: 10_000,
    splitHeader: a['color-header'],
    headers,
  };
  // Loaded here only: --from-recording needs no cluster client.
  const [{ KubeConfig }, { recordRelease }] = await Promise.all([
    import('@kubernetes/client-node'),
    import('./recorder.ts'),
  ]);
  const kc = new KubeConfig();
  if (a.kubeconfig) kc.loadFromFile(a.kubeconfig);
  else kc.loadFromDefault();
  if (a.context) kc.setCurrentContext(a.context);

  const stop = new AbortController();
  process.on('SIGINT', () => {
    if (stop.signal.aborted) process.exit(130);
    console.log('\nstopping the load; writing the report (Ctrl-C again to quit at once)');
    stop.abort();
  });
  console.log(
    `report: ${rate} req/s for up to ${duration} s at ${target} (keep-alive ${generator.keepAlive ? 'on' : 'off'}),` +
      ` following bgs ${namespace}/${name} on context "${kc.getCurrentContext()}"`,
  );
  const stamp = () => new Date().toISOString().slice(11, 19);
  return recordRelease({
    kc,
    namespace,
    name,
    generator,
    ...(a['poll-ms'] ? { pollMs: num(a['poll-ms'], 'poll-ms', 500) } : {}),
    signal: stop.signal,
    log: (line) => console.log(`[${stamp()}] ${line}`),
    onSecond: (s) => {
      if (s.second % 10 === 9)
        console.log(
          `[${stamp()}]   load t=${s.second + 1}s sent=${s.sent} failed=${s.failed} p99=${s.p99}ms ${JSON.stringify(s.split)}`,
        );
    },
  });
}

try {
  const recording = a['from-recording']
    ? parseRecording(JSON.parse(await readFile(a['from-recording'], 'utf8')), a['from-recording'])
    : await record();
  if (!a['from-recording']) await writeFile(recordingFile, `${JSON.stringify(recording, null, 1)}\n`);
  const model = buildReportModel(recording);
  const html = renderReportHtml(model, await loadReportAssets());
  await writeFile(a.out, html);
  const s = model.summary;
  console.log(
    `\n${s.requests} requests, ${s.failed} failed (${s.errorRatePct} %), p99 ${s.p99Ms ?? '-'} ms; by colour ${JSON.stringify(s.byColor)}` +
      `\n${model.markers.length} moments: ${s.switches} switch(es), ${s.rollbacks} rollback(s), ${s.analysisRounds} analysis round(s)` +
      `\nreport: ${a.out} (${Math.round(html.length / 1024)} KiB)${a['from-recording'] ? '' : `, recording: ${recordingFile}`}`,
  );
} catch (err) {
  console.error(`report failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
}
