// The query lists the e2e "every panel and alert has data" check runs (test/support/monitoring-queries.ts).
import { describe, expect, it } from 'vitest';
import { alertDataQueries, alertDataQuery, dashboardQueries, emptyQueries } from '../support/monitoring-queries.ts';

describe('monitoring queries for the e2e data check', () => {
  it.each([
    [
      'max by (bgs_namespace, bgs_name) (bluegreen_phase{phase="Degraded"}) == 1',
      'max by (bgs_namespace, bgs_name) (bluegreen_phase{phase="Degraded"})',
    ],
    ['absent(up{job="bluegreen-operator"} == 1)', 'up{job="bluegreen-operator"}'],
    ['sum by (namespace) (rate(x_total[5m])) > 0.1', 'sum by (namespace) (rate(x_total[5m]))'],
  ])('Given the alert %s, its data query is %s', (expr, data) => {
    expect(alertDataQuery(expr)).toBe(data);
  });

  it('Given the example rules and dashboards, every query is concrete: no threshold, no Grafana variable left', () => {
    const queries = [
      ...dashboardQueries({
        operatorNamespace: 'op',
        serviceNamespace: 'svc',
        bgs: 'orders',
        job: 'bluegreen-operator',
      }),
      ...alertDataQueries(),
    ];
    expect(queries.length).toBeGreaterThan(20);
    expect(queries.filter((q) => /\$[a-zA-Z_]/.test(q.expr))).toEqual([]);
    expect(alertDataQueries().filter((q) => /(==|>|<)\s*[0-9.]+\s*$/.test(q.expr))).toEqual([]);
  });

  it('Given answers, an empty one fails, and so does one whose series all come from other namespaces', async () => {
    const answers: Record<string, Array<{ metric: Record<string, string> }>> = {
      a: [{ metric: { bgs_namespace: 'mine' } }],
      b: [],
      c: [{ metric: { namespace: 'someone-else' } }],
      d: [{ metric: {} }],
    };
    const failures = await emptyQueries(
      Object.keys(answers).map((k) => ({ where: k, expr: k })),
      (expr) => Promise.resolve(answers[expr]!),
      ['mine'],
    );
    expect(failures.map((f) => f.split(':')[0])).toEqual(['b', 'c']);
  });
});
