// Checks the operator repeats after the CRD schema: they protect against objects stored
// before a rule existed, CRDs installed without CEL support, and rules CEL cannot express
// (query template variables). Every problem names its field; an invalid spec changes nothing.
import { validatePrometheusAddress } from '../analysis/address.ts';
import { COLORS } from './constants.ts';
import { colorServiceName } from './names.ts';
import type { AnalysisTemplateInput, BlueGreenService } from './types.ts';
import { validateMetricSource, validatePrometheusTls } from './validate-providers.ts';

export interface FieldError {
  field: string;
  message: string;
}

function validateAnalysis(path: string, t: AnalysisTemplateInput | undefined, errors: FieldError[]): void {
  if (!t) return;
  if (!Array.isArray(t.metrics) || t.metrics.length === 0) {
    errors.push({ field: `${path}.metrics`, message: 'at least one metric is required' });
    return;
  }
  const seen = new Set<string>();
  t.metrics.forEach((m, i) => {
    const at = `${path}.metrics[${i}]`;
    if (seen.has(m.name)) errors.push({ field: `${at}.name`, message: `duplicate metric name "${m.name}"` });
    seen.add(m.name);
    validateMetricSource(at, m, errors);
    if (m.min === undefined && m.max === undefined)
      errors.push({ field: at, message: 'at least one of min or max is required' });
    if (m.min !== undefined && m.max !== undefined && m.min > m.max)
      errors.push({ field: `${at}.min`, message: `min (${m.min}) must be <= max (${m.max})` });
  });
  if (t.count !== undefined && t.count < 1) errors.push({ field: `${path}.count`, message: 'must be >= 1' });
  if (t.intervalSeconds !== undefined && t.intervalSeconds < 1)
    errors.push({ field: `${path}.intervalSeconds`, message: 'must be >= 1' });
}

/** What the CRD's OpenAPI and CEL rules say about spec.canary, for objects stored before them. */
function validateCanary(bgs: BlueGreenService, errors: FieldError[]): void {
  const canary = bgs.spec.canary;
  if (canary === undefined) return;
  if (!Array.isArray(canary.steps) || canary.steps.length === 0) {
    errors.push({ field: 'spec.canary.steps', message: 'at least one step is required' });
    return;
  }
  let previous = 0;
  canary.steps.forEach((step, i) => {
    const at = `spec.canary.steps[${i}]`;
    const w = step.setWeight;
    if (!Number.isInteger(w) || w <= 0 || w >= 100)
      errors.push({
        field: `${at}.setWeight`,
        message: `must be an integer with 0 < setWeight < 100, got ${String(w)}`,
      });
    else if (w <= previous)
      errors.push({ field: `${at}.setWeight`, message: `must be greater than the previous step's (${previous})` });
    if (Number.isInteger(w)) previous = Math.max(previous, w);
    const seconds = step.pause?.seconds;
    if (seconds !== undefined && (!Number.isInteger(seconds) || seconds < 0))
      errors.push({ field: `${at}.pause.seconds`, message: `must be an integer >= 0, got ${String(seconds)}` });
    validateAnalysis(`${at}.analysis`, step.analysis, errors);
  });
  const noAddress = !errors.some((e) => e.field === 'spec.analysis.prometheus.address');
  if (noAddress && canary.steps.some((s) => s.analysis) && !bgs.spec.analysis?.prometheus?.address)
    errors.push({
      field: 'spec.analysis.prometheus.address',
      message: 'is required when a canary step has an analysis',
    });
  if (bgs.spec.replicas === 0)
    errors.push({ field: 'spec.replicas', message: 'must be at least 1 when spec.canary is set' });
  validateTrafficRouting(bgs, errors);
}

/** An RFC 1123 subdomain, as every object name (the HTTPRoute's included). */
const OBJECT_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function validateTrafficRouting(bgs: BlueGreenService, errors: FieldError[]): void {
  const routing = bgs.spec.canary?.trafficRouting;
  if (routing === undefined) return;
  const field = 'spec.canary.trafficRouting.gatewayAPI.httpRoute';
  const route = routing.gatewayAPI?.httpRoute;
  if (routing.gatewayAPI === undefined || route === undefined) {
    errors.push({ field, message: 'is required when spec.canary.trafficRouting is set' });
    return;
  }
  if (typeof route !== 'string' || route.length > 253 || !OBJECT_NAME.test(route))
    errors.push({
      field,
      message: `must be the name of an HTTPRoute (RFC 1123 subdomain), got ${JSON.stringify(route)}`,
    });
  // The preview Service is the canary's backend: without it there is nothing to weigh.
  if (bgs.spec.previewService?.enabled === false)
    errors.push({
      field: 'spec.previewService.enabled',
      message: `must not be false when ${field} is set (the preview Service is the canary backendRef)`,
    });
}

export function validateSpec(bgs: BlueGreenService): FieldError[] {
  const errors: FieldError[] = [];
  const spec = bgs.spec;
  if (!spec) return [{ field: 'spec', message: 'is required' }];
  const containers = spec.template?.spec?.containers;
  if (!Array.isArray(containers) || containers.length === 0)
    errors.push({ field: 'spec.template.spec.containers', message: 'at least one container is required' });
  for (const key of Object.keys(spec.template?.metadata?.labels ?? {})) {
    if (key.startsWith('bluegreen.dev/'))
      errors.push({ field: `spec.template.metadata.labels[${key}]`, message: 'the prefix bluegreen.dev/ is reserved' });
  }
  if (!Array.isArray(spec.service?.ports) || spec.service.ports.length === 0)
    errors.push({ field: 'spec.service.ports', message: 'at least one port is required' });
  if (spec.activeColor !== undefined && !COLORS.includes(spec.activeColor))
    errors.push({
      field: 'spec.activeColor',
      message: `must be blue or green, got ${JSON.stringify(spec.activeColor)}`,
    });
  for (const field of ['replicas', 'previewReplicas', 'scaleDownDelaySeconds', 'progressDeadlineSeconds'] as const) {
    const v = spec[field];
    if (v !== undefined && (!Number.isInteger(v) || v < 0))
      errors.push({ field: `spec.${field}`, message: `must be an integer >= 0, got ${String(v)}` });
  }
  const a = spec.analysis;
  if ((a?.prePromotion || a?.postPromotion) && !a?.prometheus?.address)
    errors.push({ field: 'spec.analysis.prometheus.address', message: 'is required when an analysis is configured' });
  const addressProblem = a?.prometheus?.address ? validatePrometheusAddress(a.prometheus.address) : undefined;
  if (addressProblem) errors.push({ field: 'spec.analysis.prometheus.address', message: addressProblem });
  errors.push(...validatePrometheusTls(a?.prometheus?.address, a?.prometheus?.tls));
  validateAnalysis('spec.analysis.prePromotion', a?.prePromotion, errors);
  validateAnalysis('spec.analysis.postPromotion', a?.postPromotion, errors);
  if (a?.prePromotion && spec.previewReplicas === 0)
    errors.push({ field: 'spec.previewReplicas', message: 'must be > 0 when spec.analysis.prePromotion is set' });
  validateCanary(bgs, errors);
  const preview = spec.previewService;
  if (preview?.name && preview.name === (spec.service?.name ?? bgs.metadata.name))
    errors.push({ field: 'spec.previewService.name', message: 'must differ from the active Service name' });
  validateDerivedNames(bgs, errors);
  return errors;
}

/** The names the operator derives from metadata.name (the same rules as the CRD's, for objects admitted before them). */
function validateDerivedNames(bgs: BlueGreenService, errors: FieldError[]): void {
  const name = bgs.metadata.name ?? '';
  if (name.length > 47 || !/^[a-z]([-a-z0-9]*[a-z0-9])?$/.test(name))
    errors.push({
      field: 'metadata.name',
      message: 'must be a DNS-1035 label of at most 47 characters (it names <name>-green-endpoints)',
    });
  const readiness = COLORS.map((c) => colorServiceName(bgs, c));
  for (const [field, value] of [
    ['spec.service.name', bgs.spec.service?.name],
    ['spec.previewService.name', bgs.spec.previewService?.name],
  ] as const) {
    if (value !== undefined && readiness.includes(value))
      errors.push({ field, message: `must not be ${value}, one of the operator's readiness Services` });
  }
}
