// Every PromQL expression we ship, collected once for the tests that check them: the Grafana
// dashboards (monitoring/grafana/dashboards, copied into the chart), the example alert rules and
// the analysis queries of the sample BlueGreenServices, with template variables filled in so
// each is plain PromQL. Used by test/unit/chart-monitoring.test.ts (metric names exist) and
// test/tools/promtool.test.ts (promtool parses them).
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, parseAllDocuments } from 'yaml';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const rulesFile = path.join(root, 'monitoring/prometheus/rules/bluegreen.rules.yml');

export interface Expr {
  /** Where the expression comes from, for failure messages. */
  where: string;
  expr: string;
}

export const dashboardsDir = path.join(root, 'monitoring/grafana/dashboards');
export const chartDashboardsDir = path.join(root, 'charts/bluegreen-operator/dashboards');
export const dashboardFiles = readdirSync(dashboardsDir).filter((f) => f.endsWith('.json'));

export interface Panel {
  type: string;
  title: string;
  datasource?: { uid?: string };
  targets?: Array<{ expr: string }>;
}

export const dashboards = dashboardFiles.map((f) => ({
  file: f,
  json: JSON.parse(readFileSync(path.join(dashboardsDir, f), 'utf8')),
}));
export const panels = (json: { panels: Panel[] }) => json.panels.filter((p) => p.type !== 'row');

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

export const sampleQueries: Expr[] = readdirSync(path.join(root, 'sample-services/deploy'))
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

export const dashboardExprs: Expr[] = dashboards.flatMap(({ file, json }) =>
  panels(json).flatMap((p) =>
    (p.targets ?? []).map((t) => ({ where: `${file} "${p.title}"`, expr: grafanaToPromQL(t.expr) })),
  ),
);
export const ruleExprs: Expr[] = (
  parse(readFileSync(rulesFile, 'utf8')).groups as Array<{
    rules: Array<{ alert: string; expr: string }>;
  }>
).flatMap((g) => g.rules.map((r) => ({ where: `rule ${r.alert}`, expr: r.expr })));

/** Everything above, in one list. */
export const allExprs: Expr[] = [...dashboardExprs, ...ruleExprs, ...sampleQueries];
