// One place that turns "unset" into a value. The CRD declares the same defaults, but the
// operator applies them again so an object stored before a default existed still means
// what docs/api.md says.
import type { AnalysisTemplate, MetricSpec } from '../analysis/types.ts';
import type {
  AnalysisTemplateInput,
  BlueGreenService,
  CanarySpecInput,
  CaBundleRefInput,
  MetricSpecInput,
  PrometheusTlsInput,
} from './types.ts';

/** Where the CA bundle for an https Prometheus is read from, and whether to verify at all. */
export interface ResolvedPrometheusTls {
  ca?: { kind: 'Secret' | 'ConfigMap'; name: string; key: string };
  insecureSkipVerify: boolean;
}

/** spec.analysis.prometheus.timeoutSeconds unset. */
export const DEFAULT_QUERY_TIMEOUT_SECONDS = 5;
/** web.timeoutSeconds unset. */
export const DEFAULT_WEB_TIMEOUT_SECONDS = 10;
/** The key of a CA bundle ref unset (cert-manager's and kube-root-ca.crt's key). */
export const DEFAULT_CA_KEY = 'ca.crt';

export interface ResolvedCanaryStep {
  weight: number;
  /** undefined: no pause; 'untilPromoted': until spec.activeColor names the new colour. */
  pauseMs: number | 'untilPromoted' | undefined;
  analysis: AnalysisTemplate | undefined;
}

export interface ResolvedSpec {
  replicas: number;
  previewReplicas: number;
  autoPromotion: boolean;
  promotionDelayMs: number;
  scaleDownDelayMs: number;
  /** undefined: no deadline (progressDeadlineSeconds: 0). */
  progressDeadlineMs: number | undefined;
  prePromotion: AnalysisTemplate | undefined;
  postPromotion: AnalysisTemplate | undefined;
  prometheus: { address: string; timeoutMs: number; headersSecret?: string; tls?: ResolvedPrometheusTls } | undefined;
  /** undefined: no spec.canary, the release is switched at once. */
  canarySteps: ResolvedCanaryStep[] | undefined;
  /** spec.canary.trafficRouting.gatewayAPI.httpRoute; undefined: replica-weighted steps. */
  canaryHttpRoute: string | undefined;
}

function resolveAnalysis(input: AnalysisTemplateInput | undefined): AnalysisTemplate | undefined {
  if (!input) return undefined;
  return {
    intervalSeconds: input.intervalSeconds ?? 10,
    count: input.count ?? 3,
    failureLimit: input.failureLimit ?? 0,
    inconclusiveLimit: input.inconclusiveLimit ?? 0,
    initialDelaySeconds: input.initialDelaySeconds ?? 0,
    metrics: input.metrics.map(resolveMetric),
  };
}

/**
 * The planner's view of a metric is provider-agnostic: a templated `query` it renders for the
 * colour. For a web check that is the URL; the rest of the check rides along in `web`.
 */
function resolveMetric(m: MetricSpecInput): MetricSpec {
  const bounds = { ...(m.min !== undefined ? { min: m.min } : {}), ...(m.max !== undefined ? { max: m.max } : {}) };
  if (m.web === undefined) return { name: m.name, query: m.query ?? '', ...bounds };
  const { url, method, headers, body, jsonPath, timeoutSeconds } = m.web;
  return {
    name: m.name,
    query: url,
    ...bounds,
    web: {
      method: method ?? 'GET',
      headers: (headers ?? []).map((h) => ({ ...h })),
      ...(body !== undefined ? { body } : {}),
      jsonPath,
      timeoutMs: (timeoutSeconds ?? DEFAULT_WEB_TIMEOUT_SECONDS) * 1000,
    },
  };
}

function resolveTls(tls: PrometheusTlsInput): ResolvedPrometheusTls {
  const ref = (kind: 'Secret' | 'ConfigMap', r: CaBundleRefInput) => ({
    kind,
    name: r.name,
    key: r.key ?? DEFAULT_CA_KEY,
  });
  const ca = tls.caSecretRef
    ? ref('Secret', tls.caSecretRef)
    : tls.caConfigMapRef
      ? ref('ConfigMap', tls.caConfigMapRef)
      : undefined;
  return { ...(ca ? { ca } : {}), insecureSkipVerify: tls.insecureSkipVerify === true };
}

function resolveCanary(input: CanarySpecInput | undefined): ResolvedCanaryStep[] | undefined {
  if (!input) return undefined;
  return input.steps.map((s) => ({
    weight: s.setWeight,
    pauseMs:
      s.pause === undefined ? undefined : s.pause.seconds === undefined ? 'untilPromoted' : s.pause.seconds * 1000,
    analysis: resolveAnalysis(s.analysis),
  }));
}

export function resolveSpec(bgs: BlueGreenService): ResolvedSpec {
  const spec = bgs.spec;
  const replicas = spec.replicas ?? 1;
  const deadline = spec.progressDeadlineSeconds ?? 600;
  const prom = spec.analysis?.prometheus;
  return {
    replicas,
    previewReplicas: spec.previewReplicas ?? replicas,
    autoPromotion: spec.promotion?.auto ?? false,
    promotionDelayMs: (spec.promotion?.delaySeconds ?? 0) * 1000,
    scaleDownDelayMs: (spec.scaleDownDelaySeconds ?? 30) * 1000,
    progressDeadlineMs: deadline === 0 ? undefined : deadline * 1000,
    prePromotion: resolveAnalysis(spec.analysis?.prePromotion),
    postPromotion: resolveAnalysis(spec.analysis?.postPromotion),
    prometheus: prom
      ? {
          address: prom.address,
          timeoutMs: (prom.timeoutSeconds ?? DEFAULT_QUERY_TIMEOUT_SECONDS) * 1000,
          headersSecret: prom.headersSecretRef?.name,
          ...(prom.tls ? { tls: resolveTls(prom.tls) } : {}),
        }
      : undefined,
    canarySteps: resolveCanary(spec.canary),
    canaryHttpRoute: spec.canary?.trafficRouting?.gatewayAPI?.httpRoute,
  };
}
