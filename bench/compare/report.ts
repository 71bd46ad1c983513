// The results file of bench/compare/compare.ts: one table of both controllers and their
// ratio, then API requests by verb per phase. Ratio = bluegreen-operator / Argo Rollouts, so
// above 1 means ours is bigger or slower.
import os from 'node:os';
import type { Summary } from '../operator/lib.ts';
import type { Verb } from './api-proxy.ts';
import { operatorDescription } from '../../clusterkit/operator-process.ts';

export interface Result {
  name: string;
  perService: string;
  rssStart?: number;
  createPostsMs?: number;
  healthyMs?: number;
  promotedMs?: number;
  rssN?: Summary;
  rss2N?: Summary;
  cpuHealthy?: number;
  cpuRelease?: number;
  cpuIdle60?: number;
  api: Record<string, Record<Verb, number>>;
  errorLines?: string[];
  failure?: string;
}

const num = (x: number | undefined, digits = 1) => (x === undefined || Number.isNaN(x) ? '—' : x.toFixed(digits));
const ratio = (ours: number | undefined, argo: number | undefined) =>
  ours === undefined || argo === undefined || !Number.isFinite(ours / argo) ? '—' : `${(ours / argo).toFixed(2)}×`;
const mem = (s: Summary | undefined) => (s ? `${s.p50.toFixed(1)} (${s.min.toFixed(1)}–${s.max.toFixed(1)})` : '—');
const sum = (c: Record<Verb, number> | undefined) => (c ? Object.values(c).reduce((a, b) => a + b, 0) : undefined);

export function renderReport(o: {
  n: number;
  concurrency: number;
  results: Result[];
  loadBefore: readonly number[];
  kubernetesVersion: string;
  oursCommit: string;
  /** Node/V8 flags of our operator's process; empty = none. */
  oursNodeArgs: string;
  argoVersion: string;
  command: string;
}): string {
  const argo = o.results.find((r) => r.name === 'Argo Rollouts');
  const ours = o.results.find((r) => r.name === 'bluegreen-operator');
  const row = (what: string, f: (r: Result | undefined) => number | undefined, digits = 1) =>
    `| ${what} | ${num(f(argo), digits)} | ${num(f(ours), digits)} | ${ratio(f(ours), f(argo))} |`;
  const load = (l: readonly number[]) => l.map((x) => x.toFixed(2)).join(' / ');
  const phases = [...new Set(o.results.flatMap((r) => Object.keys(r.api)))];
  const verbs: Verb[] = ['get', 'list', 'watch', 'create', 'update', 'patch', 'delete', 'deletecollection', 'other'];
  return [
    `# Argo Rollouts vs bluegreen-operator, N = ${o.n}`,
    '',
    `- date: ${new Date().toISOString()}`,
    `- machine: ${os.availableParallelism()} CPUs (${os.cpus()[0]?.model ?? 'unknown'}), ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB RAM, ${os.type()} ${os.release()}`,
    `- load average (1/5/15 min) before: ${load(o.loadBefore)}, after: ${load(os.loadavg())} — the API server, kwok, both controllers and other sessions share these CPUs`,
    `- cluster: Kubernetes ${o.kubernetesVersion}, local, kwok simulated nodes; Node ${process.version}`,
    `- Argo Rollouts: ${o.argoVersion}, release defaults (QPS 40, burst 80) except --namespaced, no leader election, log level warn`,
    `- bluegreen-operator: commit ${o.oursCommit}, ${operatorDescription()}${o.oursNodeArgs ? `, plus ${o.oursNodeArgs}` : ''}, defaults except no leader election, LOG_LEVEL info`,
    `- command: \`${o.command}\``,
    '',
    '## Setup',
    '',
    `One after the other (order: ${o.results.map((r) => r.name).join(', ')}), each alone in a fresh namespace it alone watches, through its own counting API proxy.`,
    `Same for both: N = ${o.n} services, replicas 1, the same kwok pod template (one container, image app:v1 then app:v2), auto-promotion, scale-down delay 3600 s, created with ${o.concurrency} requests in flight.`,
    ...o.results.map((r) => `- ${r.name}: ${r.perService}.`),
    '',
    'create → all Healthy: first POST → every object reports its first template serving through the active Service (Argo: phase Healthy, stableRS = currentPodHash = active selector; ours: phase Healthy on blue). For Argo the clock includes the 2 Services per Rollout its users create by hand.',
    'template change → all promoted: first template PATCH → every object serves the new template through the active Service. RSS from /proc/<pid>/status VmRSS, 10 samples 1 s apart, once the process used < 5 % of a CPU for 5 s; CPU = utime + stime from /proc/<pid>/stat.',
    '',
    '## Results (ratio = bluegreen-operator / Argo Rollouts; above 1 = ours bigger or slower)',
    '',
    '| measure | Argo Rollouts | bluegreen-operator | ratio |',
    '|---|---|---|---|',
    row('create → all Healthy (s)', (r) => (r?.healthyMs ?? NaN) / 1000),
    row('  of which sending the creates (s)', (r) => (r?.createPostsMs ?? NaN) / 1000),
    row('template change → all promoted (s)', (r) => (r?.promotedMs ?? NaN) / 1000),
    row('RSS at start, nothing cached (MiB, median)', (r) => r?.rssStart),
    `| idle RSS with N (MiB, median (min–max)) | ${mem(argo?.rssN)} | ${mem(ours?.rssN)} | ${ratio(ours?.rssN?.p50, argo?.rssN?.p50)} |`,
    `| idle RSS with 2N (MiB, median (min–max)) | ${mem(argo?.rss2N)} | ${mem(ours?.rss2N)} | ${ratio(ours?.rss2N?.p50, argo?.rss2N?.p50)} |`,
    row('CPU seconds, create → Healthy', (r) => r?.cpuHealthy),
    row('CPU seconds, template → promoted', (r) => r?.cpuRelease),
    row('CPU seconds, 60 s idle with 2N', (r) => r?.cpuIdle60, 2),
    ...phases.map((p) => row(`API requests, ${p} (all verbs)`, (r) => sum(r?.api[p]), 0)),
    '',
    '## API requests by verb (as each controller sent them through its proxy)',
    '',
    'A watch counts once, when it is started (or restarted); the events it streams are not requests. The creates of the benchmark itself (BlueGreenServices; Rollouts and their Services) do not go through the proxies.',
    '',
    `| phase | verb | Argo Rollouts | bluegreen-operator |`,
    '|---|---|---|---|',
    ...phases.flatMap((p) =>
      verbs
        .filter((v) => (argo?.api[p]?.[v] ?? 0) + (ours?.api[p]?.[v] ?? 0) > 0)
        .map((v) => `| ${p} | ${v} | ${argo?.api[p]?.[v] ?? 0} | ${ours?.api[p]?.[v] ?? 0} |`),
    ),
    '',
    ...o.results.map(
      (r) =>
        `- ${r.name}: ${r.failure ? `**failed:** ${r.failure}` : 'completed'}; error log lines: ${r.errorLines?.length ? r.errorLines.map((l) => `\`${l.slice(0, 200)}\``).join(', ') : 'none'}`,
    ),
    '',
  ].join('\n');
}
