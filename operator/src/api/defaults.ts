// One place that turns "unset" into a value. The CRD declares the same defaults, but the
// operator applies them again so an object stored before a default existed still means
// what docs/api.md says.
import type { AnalysisTemplate } from '../analysis/types.ts';
import type { AnalysisTemplateInput, BlueGreenService, CanarySpecInput } from './types.ts';

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
  prometheus: { address: string; timeoutMs: number; headersSecret?: string } | undefined;
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
    metrics: input.metrics.map((m) => ({ ...m })),
  };
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
          timeoutMs: (prom.timeoutSeconds ?? 5) * 1000,
          headersSecret: prom.headersSecretRef?.name,
        }
      : undefined,
    canarySteps: resolveCanary(spec.canary),
    canaryHttpRoute: spec.canary?.trafficRouting?.gatewayAPI?.httpRoute,
  };
}
