// PromQL query templates: `{{color}}`, `{{ revision }}`, ... are replaced with the values of
// the colour under analysis. Kept deliberately tiny (no conditionals, no filters): a query is
// data the user writes in YAML, and anything clever here would be a second language to learn.
//
// Invariants:
// - Only the variables in QUERY_VARIABLES exist. Any other `{{...}}` is an error naming it,
//   never silently left in the query (Prometheus would answer "parse error" at analysis time,
//   far from the spec that caused it).
// - A `{{` without its closing `}}` is an error too, for the same reason.
// - Values are inserted verbatim. They are Kubernetes names, a colour and a hash (no quotes or
//   backslashes), so they are safe inside PromQL string literals and regexes.
// - `deployment` and `podRegex` are derived from `name` and `color` here, so every caller that
//   fills QueryVars gets them. They need no relabelling at all: every Kubernetes scrape (plain
//   Prometheus' kubernetes_sd_configs, a PodMonitor or ServiceMonitor of the Prometheus
//   Operator, kube-prometheus-stack) attaches the `namespace` and `pod` labels, and a colour's
//   pods are named `<deployment>-<pod-template-hash>-<suffix>`. Prometheus anchors regexes, so
//   `podRegex` matches exactly that colour's pods, not those of a BlueGreenService named
//   `<name>-<color>`. (Pod names are cut at 63 characters: keep `<name>-<color>` under ~45.)

import type { QueryVars } from './types.ts';

export type { QueryVars } from './types.ts';

/** The variables a query template may use, in documentation order. */
export const QUERY_VARIABLES = ['color', 'revision', 'name', 'namespace', 'service', 'deployment', 'podRegex'] as const;

export type QueryVariable = (typeof QUERY_VARIABLES)[number];

// `{{` + anything but braces + `}}`. The inside is trimmed, so `{{ color }}` works.
const PLACEHOLDER = /\{\{([^{}]*)\}\}/g;

function isQueryVariable(name: string): name is QueryVariable {
  return (QUERY_VARIABLES as readonly string[]).includes(name);
}

/**
 * Returns a message describing what is wrong with a query template, or undefined when it is
 * valid. For spec validation: the caller prefixes the field path (e.g.
 * `spec.analysis.prePromotion.metrics[0].query`).
 */
export function validateQueryTemplate(template: string): string | undefined {
  if (template.trim() === '') return 'query must not be empty';
  for (const match of template.matchAll(PLACEHOLDER)) {
    const name = (match[1] ?? '').trim();
    if (!isQueryVariable(name)) {
      return `unknown template variable "{{${name}}}"; known variables: ${QUERY_VARIABLES.join(', ')}`;
    }
  }
  const rest = template.replace(PLACEHOLDER, '');
  const open = rest.indexOf('{{');
  if (open >= 0) {
    return `unterminated template variable at "${rest.slice(open, open + 20)}": expected "{{name}}"`;
  }
  return undefined;
}

/**
 * Replaces every `{{variable}}` in `template` with its value.
 * Throws an Error naming the variable when the template uses an unknown one (an invalid spec:
 * the CRD validation/planner surfaces it, the query is never sent).
 */
export function renderQuery(template: string, vars: QueryVars): string {
  const problem = validateQueryTemplate(template);
  if (problem !== undefined) throw new Error(`invalid query template: ${problem}`);
  const values = allVariables(vars);
  return template.replace(PLACEHOLDER, (_whole, inner: string) => {
    const name = inner.trim();
    // validateQueryTemplate guarantees name is known; the guard keeps the types honest.
    if (!isQueryVariable(name)) throw new Error(`unknown template variable "{{${name}}}"`);
    return values[name];
  });
}

/** The given variables plus those derived from them (see the header). */
export function allVariables(vars: QueryVars): Record<QueryVariable, string> {
  // Same rule as api/names.ts deploymentName(); template.test.ts checks they agree.
  const deployment = `${vars.name}-${vars.color}`;
  return { ...vars, deployment, podRegex: `${deployment}-[a-z0-9]+-[a-z0-9]+` };
}
