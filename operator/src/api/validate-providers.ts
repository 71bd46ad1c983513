// What the CRD's OpenAPI and CEL rules say about where a metric is measured (a PromQL query or
// a web check) and about the Prometheus transport (tls), repeated for objects stored before the
// rules existed, plus what CEL cannot check (template variables, JSONPath syntax, URL shape
// after rendering). Every problem names its field.
import { validateQueryTemplate, renderQuery } from '../analysis/template.ts';
import { WEB_METHODS } from '../analysis/types.ts';
import { validateJsonPath } from '../analysis/web-response.ts';
import type { MetricSpecInput, PrometheusTlsInput, WebHeaderInput, WebMetricInput } from './types.ts';
import type { FieldError } from './validate.ts';

/** Longest web.timeoutSeconds: a round must end inside one reconcile (planner/policy.ts, 20 s). */
export const MAX_WEB_TIMEOUT_SECONDS = 20;

/** `at` is the metric's path, e.g. spec.analysis.prePromotion.metrics[0]. */
export function validateMetricSource(at: string, m: MetricSpecInput, errors: FieldError[]): void {
  if ((m.query === undefined) === (m.web === undefined)) {
    errors.push({ field: at, message: 'exactly one of query or web must be set' });
    return;
  }
  if (m.web !== undefined) {
    validateWeb(`${at}.web`, m.web, errors);
    return;
  }
  const problem = typeof m.query === 'string' ? validateQueryTemplate(m.query) : 'query must be a string';
  if (problem) errors.push({ field: `${at}.query`, message: problem });
}

// Sample values for rendering a URL once: only its shape is checked, not where it points.
const SAMPLE_VARS = { color: 'blue', revision: 'abc123', name: 'app', namespace: 'ns', service: 'app' };

function validateWeb(at: string, web: WebMetricInput, errors: FieldError[]): void {
  const urlProblem = typeof web.url === 'string' ? validateQueryTemplate(web.url) : 'url is required';
  if (urlProblem) errors.push({ field: `${at}.url`, message: urlProblem });
  else {
    const rendered = renderQuery(web.url, SAMPLE_VARS);
    if (!/^https?:\/\/[^/]/.test(rendered) || !URL.canParse(rendered))
      errors.push({ field: `${at}.url`, message: `must be an absolute http(s) URL, got ${JSON.stringify(web.url)}` });
  }
  if (web.method !== undefined && !WEB_METHODS.includes(web.method))
    errors.push({ field: `${at}.method`, message: `must be one of ${WEB_METHODS.join(', ')}` });
  if (web.body !== undefined && (web.method ?? 'GET') === 'GET')
    errors.push({ field: `${at}.body`, message: 'is sent only with method POST or PUT' });
  const pathProblem = typeof web.jsonPath === 'string' ? validateJsonPath(web.jsonPath) : 'jsonPath is required';
  if (pathProblem) errors.push({ field: `${at}.jsonPath`, message: pathProblem });
  const t = web.timeoutSeconds;
  if (t !== undefined && (!Number.isInteger(t) || t < 1 || t > MAX_WEB_TIMEOUT_SECONDS))
    errors.push({
      field: `${at}.timeoutSeconds`,
      message: `must be an integer from 1 to ${MAX_WEB_TIMEOUT_SECONDS}, got ${String(t)}`,
    });
  (web.headers ?? []).forEach((h, i) => validateHeader(`${at}.headers[${i}]`, h, errors));
}

function validateHeader(at: string, h: WebHeaderInput, errors: FieldError[]): void {
  if (typeof h.name !== 'string' || !/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/.test(h.name))
    errors.push({ field: `${at}.name`, message: `must be an HTTP header name, got ${JSON.stringify(h.name)}` });
  if ((h.value === undefined) === (h.valueFrom === undefined))
    errors.push({ field: at, message: 'exactly one of value or valueFrom must be set' });
  const ref = h.valueFrom?.secretKeyRef;
  if (h.valueFrom !== undefined && (!ref?.name || !ref.key))
    errors.push({ field: `${at}.valueFrom.secretKeyRef`, message: 'name and key are required' });
}

/** spec.analysis.prometheus.tls against the address it applies to. */
export function validatePrometheusTls(address: string | undefined, tls: PrometheusTlsInput | undefined): FieldError[] {
  if (tls === undefined) return [];
  const at = 'spec.analysis.prometheus.tls';
  const errors: FieldError[] = [];
  if (address !== undefined && !address.startsWith('https://'))
    errors.push({ field: at, message: 'applies only to an https:// address' });
  if (tls.caSecretRef !== undefined && tls.caConfigMapRef !== undefined)
    errors.push({ field: at, message: 'at most one of caSecretRef or caConfigMapRef may be set' });
  if (tls.insecureSkipVerify === true && (tls.caSecretRef !== undefined || tls.caConfigMapRef !== undefined))
    errors.push({
      field: `${at}.insecureSkipVerify`,
      message: 'must not be true with a CA bundle ref (the CA would be ignored)',
    });
  for (const field of ['caSecretRef', 'caConfigMapRef'] as const) {
    const ref = tls[field];
    if (ref !== undefined && (typeof ref.name !== 'string' || ref.name === ''))
      errors.push({ field: `${at}.${field}.name`, message: 'is required' });
    if (ref?.key === '')
      errors.push({ field: `${at}.${field}.key`, message: 'must not be empty (unset means ca.crt)' });
  }
  return errors;
}
