// Every query a user sees data through: the Grafana panels (monitoring/grafana/dashboards)
// and the example alerts (monitoring/prometheus/rules). e2e tests run them against a real
// Prometheus after a release and fail on an empty result: a label a scrape renames, or a
// series nobody exports, shows up as a panel without data or an alert that can never fire.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { repoRoot } from '../cluster/harness.ts';

export interface NamedQuery {
  where: string;
  expr: string;
}
export type Series = Array<{ metric: Record<string, string> }>;

interface Panel {
  type: string;
  title: string;
  targets?: Array<{ expr: string }>;
}

/** Grafana variables of our dashboards, as a user would pick them in the drop-downs. */
export interface DashboardVars {
  /** bluegreen-operator.json: where the operator runs; bluegreen-services.json: where the service runs. */
  operatorNamespace: string;
  serviceNamespace: string;
  bgs: string;
  job: string;
}

export function dashboardQueries(vars: DashboardVars): NamedQuery[] {
  const dir = path.join(repoRoot, 'monitoring/grafana/dashboards');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .flatMap((file) => {
      const json = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { uid: string; panels: Panel[] };
      const namespace = json.uid === 'bluegreen-operator' ? vars.operatorNamespace : vars.serviceNamespace;
      const values: Record<string, string> = { namespace, bgs: vars.bgs, job: vars.job, __rate_interval: '1m' };
      return json.panels
        .filter((p) => p.type !== 'row')
        .flatMap((p) =>
          (p.targets ?? []).map((t) => ({
            where: `${file} "${p.title}"`,
            expr: t.expr.replace(/\$(\w+)/g, (whole, v: string) => values[v] ?? whole),
          })),
        );
    });
}

/**
 * The data each alert looks at: its expression without the threshold comparison (and outside
 * absent()), so a healthy cluster must return series for it. An alert whose data query is
 * empty can never fire.
 */
export function alertDataQueries(): NamedQuery[] {
  const file = path.join(repoRoot, 'monitoring/prometheus/rules/bluegreen.rules.yml');
  const rules = (
    parse(readFileSync(file, 'utf8')) as { groups: Array<{ rules: Array<{ alert: string; expr: string }> }> }
  ).groups;
  return rules.flatMap((g) => g.rules.map((r) => ({ where: `alert ${r.alert}`, expr: alertDataQuery(r.expr) })));
}

export function alertDataQuery(expr: string): string {
  const withoutThreshold = expr.replace(/\s*(==|!=|>=|<=|>|<)\s*-?[0-9.]+(e[+-]?\d+)?\s*(?=\)|$)/g, '').trim();
  const absent = /^absent\((.*)\)$/s.exec(withoutThreshold);
  return absent ? absent[1]!.trim() : withoutThreshold;
}

/**
 * Which queries fail: an empty result, or (where the series say where they come from) no
 * series from the namespaces under test: other tests share the cluster's Prometheus.
 */
export async function emptyQueries(
  queries: NamedQuery[],
  query: (expr: string) => Promise<Series>,
  ours: string[],
): Promise<string[]> {
  const failures: string[] = [];
  for (const q of queries) {
    const series = await query(q.expr);
    const located = series.filter((s) => s.metric['namespace'] ?? s.metric['bgs_namespace']);
    const fromUs = located.filter((s) => ours.includes(s.metric['bgs_namespace'] ?? s.metric['namespace']!));
    if (series.length === 0) failures.push(`${q.where}: no series for ${q.expr}`);
    else if (located.length > 0 && fromUs.length === 0)
      failures.push(`${q.where}: no series from ${ours.join(', ')} for ${q.expr}`);
  }
  return failures;
}
