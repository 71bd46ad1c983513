// The monitoring artefacts shipped with the chart: Grafana dashboards (one source in
// monitoring/grafana/dashboards, copied into the chart), the example Prometheus rules, and the
// analysis queries of the sample BlueGreenServices. Every PromQL expression is parsed by the
// real promtool, and every metric it names must exist: either registered by our own code or
// one of the few well-known external metrics (cAdvisor, prom-client defaults).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments, stringify } from 'yaml';
import { findPromtool } from '../support/promtool.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dashboardsDir = path.join(root, 'monitoring/grafana/dashboards');
const chartDashboardsDir = path.join(root, 'charts/bluegreen-operator/dashboards');
const dashboardFiles = readdirSync(dashboardsDir).filter((f) => f.endsWith('.json'));

interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: Array<{ expr: string }>;
}

const dashboards = dashboardFiles.map((f) => ({
  file: f,
  json: JSON.parse(readFileSync(path.join(dashboardsDir, f), 'utf8')),
}));
const panels = (json: { panels: Panel[] }) => json.panels.filter((p) => p.type !== 'row');

/** Grafana variables replaced by plausible values so promtool can parse the expression. */
function grafanaToPromQL(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replace(
      /\$(namespace|bgs|job)\b/g,
      (_, v: string) => ({ namespace: 'default', bgs: 'orders', job: '.+' })[v] ?? v,
    );
}

/** Analysis template variables ({{color}} ...) replaced as the operator would. */
function analysisToPromQL(query: string): string {
  const vars: Record<string, string> = {
    color: 'blue',
    revision: 'abc123',
    name: 'orders',
    namespace: 'bluegreen-samples',
    service: 'orders',
  };
  return query.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, v: string) => vars[v] ?? `UNKNOWN_${v}`);
}

const sampleQueries = readdirSync(path.join(root, 'sample-services/deploy'))
  .filter((f) => f.endsWith('.yaml'))
  .flatMap((f) =>
    parseAllDocuments(readFileSync(path.join(root, 'sample-services/deploy', f), 'utf8'))
      .map((d) => d.toJS())
      .filter((o) => o?.kind === 'BlueGreenService')
      .flatMap((bgs) =>
        ['prePromotion', 'postPromotion'].flatMap((stage) =>
          (bgs.spec.analysis?.[stage]?.metrics ?? []).map((m: { name: string; query: string }) => ({
            where: `${f} ${stage} ${m.name}`,
            expr: analysisToPromQL(m.query),
          })),
        ),
      ),
  );

const dashboardExprs = dashboards.flatMap(({ file, json }) =>
  panels(json).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `${file} "${p.title}"`, expr: grafanaToPromQL(t.expr) })),
  ),
);
const ruleExprs = (
  parse(readFileSync(path.join(root, 'monitoring/prometheus/rules/bluegreen.rules.yml'), 'utf8')).groups as Array<{
    rules: Array<{ alert: string; expr: string }>;
  }>
).flatMap((g) => g.rules.map((r) => ({ where: `rule ${r.alert}`, expr: r.expr })));

/** Metric names a PromQL expression selects (identifiers directly followed by a selector). */
function metricNames(expr: string): string[] {
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  return [...withoutStrings.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\{/g)]
    .map((m) => m[1]!)
    .filter((n) => !['by', 'without', 'on', 'ignoring'].includes(n));
}

function sourceText(dir: string): string {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts') && !e.name.endsWith('.test.ts'))
    .map((e) => readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

// Not registered by our code: cAdvisor (kubelet), prom-client's default metrics, Prometheus itself.
const EXTERNAL = new Set([
  'container_cpu_usage_seconds_total',
  'container_memory_working_set_bytes',
  'process_resident_memory_bytes',
  'process_cpu_seconds_total',
  'nodejs_eventloop_lag_p99_seconds',
  'up',
]);

const promtool = findPromtool();
if (!promtool)
  console.warn(
    'SKIP PromQL parsing: no promtool ($PROMTOOL, the build cache or PATH); run test/cluster/build/all.sh prometheus',
  );

describe('Grafana dashboards', () => {
  it('Given monitoring/grafana/dashboards, the chart holds byte-identical copies and nothing else', () => {
    expect(dashboardFiles.length).toBeGreaterThanOrEqual(2);
    expect(readdirSync(chartDashboardsDir).sort()).toEqual([...dashboardFiles].sort());
    for (const f of dashboardFiles) {
      expect(
        readFileSync(path.join(chartDashboardsDir, f), 'utf8'),
        `cp monitoring/grafana/dashboards/${f} charts/bluegreen-operator/dashboards/`,
      ).toBe(readFileSync(path.join(dashboardsDir, f), 'utf8'));
    }
  });

  it('Given each dashboard, a unique uid, a datasource variable used by every panel, and a query per panel', () => {
    const uids = dashboards.map((d) => d.json.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const { file, json } of dashboards) {
      expect(
        json.templating.list.map((v: { name: string }) => v.name),
        file,
      ).toContain('datasource');
      for (const p of panels(json)) {
        expect(p.datasource?.uid, `${file} "${p.title}"`).toBe('${datasource}');
        expect(p.targets?.length, `${file} "${p.title}"`).toBeGreaterThan(0);
      }
    }
  });

  it('Given the services dashboard, traffic, errors, latency, CPU, memory and pods are split by colour', () => {
    const services = dashboards.find((d) => d.json.uid === 'bluegreen-services')!.json;
    const exprs = panels(services).map((p) => (p.targets ?? []).map((t) => t.expr).join(' '));
    for (const metric of [
      'http_requests_total',
      'http_request_duration_seconds_bucket',
      'container_cpu_usage_seconds_total',
      'container_memory_working_set_bytes',
    ]) {
      const using = exprs.filter((e) => e.includes(metric));
      expect(using.length, metric).toBeGreaterThan(0);
      expect(
        using.some((e) => /bluegreen_dev_color|"color"/.test(e)),
        `${metric} split by colour`,
      ).toBe(true);
    }
  });

  it('Given the operator dashboard, every operator health metric of the brief is on it', () => {
    const operator = JSON.stringify(dashboards.find((d) => d.json.uid === 'bluegreen-operator')!.json);
    for (const m of [
      'controller_runtime_reconcile_total',
      'controller_runtime_reconcile_time_seconds',
      'workqueue_depth',
      'bluegreen_switches_total',
      'bluegreen_phase',
      'bluegreen_active_color',
      'bluegreen_analysis_last_value',
    ]) {
      expect(operator).toContain(m);
    }
  });
});

describe('PromQL in dashboards, alert rules and sample analyses', () => {
  const all = [...dashboardExprs, ...ruleExprs, ...sampleQueries];

  it('Given every expression, each metric it selects exists in our code or is a known external metric', () => {
    expect(sampleQueries.length).toBeGreaterThanOrEqual(8); // 4 services x pre/post x (error rate, p99)
    const code = sourceText(path.join(root, 'operator/src')) + sourceText(path.join(root, 'sample-services/src'));
    const unknown = all.flatMap(({ where, expr }) =>
      metricNames(expr)
        .map((n) => n.replace(/_(bucket|sum|count)$/, ''))
        .filter((n) => !EXTERNAL.has(n) && !code.includes(`'${n}'`))
        .map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });

  it.skipIf(!promtool)('Given every expression, promtool parses it', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'promql-'));
    try {
      const rules = {
        groups: [{ name: 'syntax', rules: all.map((e, i) => ({ record: `check:expr_${i}`, expr: e.expr })) }],
      };
      const file = path.join(dir, 'rules.yml');
      writeFileSync(file, stringify(rules));
      const r = spawnSync(promtool!, ['check', 'rules', file], { encoding: 'utf8' });
      const failing =
        r.status === 0 ? '' : `${r.stdout}${r.stderr}\n${all.map((e, i) => `expr_${i} = ${e.where}`).join('\n')}`;
      expect(failing).toBe('');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(!promtool)('Given the example alert rules file, promtool accepts it as is', () => {
    const r = spawnSync(
      promtool!,
      ['check', 'rules', path.join(root, 'monitoring/prometheus/rules/bluegreen.rules.yml')],
      { encoding: 'utf8' },
    );
    expect(r.status, r.stdout + r.stderr).toBe(0);
  });
});
