// Shared vocabulary of the analysis layer. Pure data, no I/O: the planner imports these
// types to decide on promotion/rollback, the Prometheus client produces QueryOutcome,
// and evaluate.ts turns outcomes into Measurements and Measurements into an AnalysisPhase.

/** Verdict on one query result. "No data", errors and timeouts are Inconclusive, never Successful. */
export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive';

/**
 * One metric of an analysis template. A measurement fails when its value is < min or > max; an
 * absent bound is not checked.
 *
 * `query` is the metric's templated target (see template.ts for the variables), rendered by the
 * planner for the colour under analysis without knowing which provider reads it: a PromQL query,
 * or, when `web` is set, the URL of that web check (the CRD's `web.url`, moved here by
 * api/defaults.ts so the planner renders it like any query).
 */
export interface MetricSpec {
  name: string;
  query: string;
  min?: number;
  max?: number;
  /** Set: the metric is an HTTP check (analysis/web.ts) of the URL in `query`, not PromQL. */
  web?: WebCheck;
}

/** The HTTP methods a web check may use (a check reads; it is not a webhook with side effects). */
export const WEB_METHODS = ['GET', 'POST', 'PUT'] as const;
export type WebMethod = (typeof WEB_METHODS)[number];

/** A key of a Secret in the BlueGreenService's namespace. */
export interface SecretKeyRef {
  name: string;
  key: string;
}

/** One request header of a web check: a literal value or one read from a Secret per round. */
export interface WebHeader {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: SecretKeyRef };
}

/** How a web check asks and where the number is in its JSON answer (its URL is MetricSpec.query). */
export interface WebCheck {
  method: WebMethod;
  headers: WebHeader[];
  /** Sent as written (no template variables); only with POST and PUT. */
  body?: string;
  /** RFC 9535 JSONPath selecting exactly one number (or numeric string) in the answer. */
  jsonPath: string;
  /** Deadline for one check, connect to last body byte. */
  timeoutMs: number;
}

/**
 * An analysis as the planner sees it, with CRD defaults already applied.
 * Semantics of every count and duration, including 0, are documented on evaluateCounts in
 * evaluate.ts (verdicts) and in planner/analysis-step.ts (when rounds are due).
 */
export interface AnalysisTemplate {
  /** Seconds between two rounds of measurements (>= 1, enforced by the CRD). */
  intervalSeconds: number;
  /** Complete rounds (one measurement per metric) to take before the analysis passes (>= 1). */
  count: number;
  /** The analysis fails when failed measurements > failureLimit (0: the first failure fails it). */
  failureLimit: number;
  /** The analysis is inconclusive when inconclusive measurements > inconclusiveLimit. */
  inconclusiveLimit: number;
  /** Seconds to wait after the colour is ready before the first round (0: at once). */
  initialDelaySeconds: number;
  metrics: MetricSpec[];
}

/** One recorded measurement, as kept (bounded, newest last) in the BlueGreenService status. */
export interface Measurement {
  metric: string;
  phase: MeasurementPhase;
  value?: number;
  message?: string;
  /** RFC3339 time the measurement was taken. */
  at: string;
}

/** What a metric provider returns for one query. A remote failure is a value, never a throw. */
export type QueryOutcome =
  | { kind: 'value'; value: number }
  | { kind: 'no-data'; message: string }
  | { kind: 'error'; message: string }
  | { kind: 'timeout'; message: string };

/** Overall state of one analysis run. */
export type AnalysisPhase = 'Running' | 'Successful' | 'Failed' | 'Inconclusive';

/** Variables a query template may reference as {{name}}. */
export interface QueryVars {
  color: string;
  revision: string;
  name: string;
  namespace: string;
  service: string;
}
