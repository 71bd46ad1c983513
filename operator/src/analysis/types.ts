// Shared vocabulary of the analysis layer. Pure data, no I/O: the planner imports these
// types to decide on promotion/rollback, the Prometheus client produces QueryOutcome,
// and evaluate.ts turns outcomes into Measurements and Measurements into an AnalysisPhase.

/** Verdict on one query result. "No data", errors and timeouts are Inconclusive, never Successful. */
export type MeasurementPhase = 'Successful' | 'Failed' | 'Inconclusive';

/**
 * One metric of an analysis template. `query` is a PromQL template (see template.ts for the
 * variables). A measurement fails when its value is < min or > max; an absent bound is not checked.
 */
export interface MetricSpec {
  name: string;
  query: string;
  min?: number;
  max?: number;
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
