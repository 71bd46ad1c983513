// The monitoring artefacts shipped with the chart: Grafana dashboards (one source in
// monitoring/grafana/dashboards, copied into the chart), the example Prometheus rules, and the
// analysis queries of the sample BlueGreenServices. Every metric a PromQL expression names must
// exist: either registered by our own code or one of the few well-known external metrics
// (cAdvisor, prom-client defaults). promtool parses them in test/tools/promtool.test.ts.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  allExprs,
  chartDashboardsDir,
  dashboardFiles,
  dashboards,
  dashboardsDir,
  panels,
  sampleQueries,
} from '../support/promql-expressions.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
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
  it('Given every expression, each metric it selects exists in our code or is a known external metric', () => {
    expect(sampleQueries.length).toBeGreaterThanOrEqual(8); // 4 services x pre/post x (error rate, p99)
    const code = sourceText(path.join(root, 'operator/src')) + sourceText(path.join(root, 'sample-services/src'));
    const unknown = allExprs.flatMap(({ where, expr }) =>
      metricNames(expr)
        .map((n) => n.replace(/_(bucket|sum|count)$/, ''))
        .filter((n) => !EXTERNAL.has(n) && !code.includes(`'${n}'`))
        .map((n) => `${where}: ${n}`),
    );
    expect(unknown).toEqual([]);
  });
});
