// TypeScript view of crds/bluegreenservices.yaml. test/unit/crd-sync.test.ts checks that
// every spec field here exists in the CRD and vice versa.
import type { V1ObjectMeta, V1PodTemplateSpec } from '@kubernetes/client-node';
import type { Color, NotificationEvent, Phase } from './constants.ts';
import type { AnalysisPhase, Measurement, WebMethod } from '../analysis/types.ts';

/** A metric measures with exactly one provider: a PromQL `query` or a `web` check. */
export interface MetricSpecInput {
  name: string;
  query?: string;
  web?: WebMetricInput;
  min?: number;
  max?: number;
}

/** An HTTP check whose JSON answer holds the number (docs/api.md "Web checks"). */
export interface WebMetricInput {
  /** http(s) URL; may use the query variables, e.g. http://{{deployment}}-endpoints.{{namespace}}:8080/slo. */
  url: string;
  /** Unset means GET. */
  method?: WebMethod;
  headers?: WebHeaderInput[];
  /** Only with POST or PUT; sent as written. */
  body?: string;
  /** RFC 9535 JSONPath selecting exactly one number in the answer. */
  jsonPath: string;
  /** Unset means 10. */
  timeoutSeconds?: number;
}

/** A request header: a literal value or a key of a Secret in the namespace (as a container's env). */
export interface WebHeaderInput {
  name: string;
  value?: string;
  valueFrom?: { secretKeyRef: { name: string; key: string } };
}

/** A key of a Secret or ConfigMap in the namespace holding a PEM CA bundle; key unset means ca.crt. */
export interface CaBundleRefInput {
  name: string;
  key?: string;
}

/** How the operator verifies an https Prometheus. Unset: Node's trust store, verification on. */
export interface PrometheusTlsInput {
  caSecretRef?: CaBundleRefInput;
  caConfigMapRef?: CaBundleRefInput;
  /** Unset means false. true accepts any certificate (never with a CA ref). */
  insecureSkipVerify?: boolean;
}

export interface AnalysisTemplateInput {
  intervalSeconds?: number;
  count?: number;
  failureLimit?: number;
  inconclusiveLimit?: number;
  initialDelaySeconds?: number;
  metrics: MetricSpecInput[];
}

export interface ServicePortInput {
  name?: string;
  port: number;
  targetPort?: number | string;
  protocol?: 'TCP' | 'UDP' | 'SCTP';
}

/**
 * One canary step (docs/adr/0012): a traffic state, in Argo Rollouts' vocabulary. The step is
 * reached when the new colour runs the pods giving the share nearest `setWeight` and the active
 * Service selects both colours; then its analysis runs and its pause elapses.
 */
export interface CanaryStepInput {
  /** Percent of the active Service's ready pods that run the new colour: 1-99, strictly increasing. */
  setWeight: number;
  /** `{ seconds: n }` waits n seconds; `{}` waits until spec.activeColor names the new colour. */
  pause?: { seconds?: number };
  analysis?: AnalysisTemplateInput;
}

/**
 * Exact weights through the Gateway API (docs/adr/0017): the operator sets the weights of the
 * two backendRefs of the user's HTTPRoute that name the active Service (stable) and the preview
 * Service (canary), instead of widening the active Service's selector.
 */
export interface CanaryTrafficRoutingInput {
  gatewayAPI?: {
    /** Name of an HTTPRoute (gateway.networking.k8s.io/v1) in the BlueGreenService's namespace. */
    httpRoute: string;
  };
}

export interface CanarySpecInput {
  steps: CanaryStepInput[];
  /** Absent: replica-weighted on the active Service (docs/adr/0012). */
  trafficRouting?: CanaryTrafficRoutingInput;
}

/**
 * Send this object's notifications to a provider the operator is configured with (the chart's
 * notifications.providers; docs/notifications.md). Never changes anything about the release.
 */
export interface NotificationRefInput {
  /** Name of a configured provider; an unknown name is a Warning Event, nothing else. */
  provider: string;
  /** Unset: the provider's own list (every event unless the chart narrows it). */
  events?: NotificationEvent[];
}

export interface BlueGreenServiceSpec {
  replicas?: number;
  previewReplicas?: number;
  activeColor?: Color;
  template: V1PodTemplateSpec;
  service: { name?: string; type?: 'ClusterIP' | 'NodePort' | 'LoadBalancer'; ports: ServicePortInput[] };
  previewService?: { enabled?: boolean; name?: string };
  promotion?: { auto?: boolean; delaySeconds?: number };
  scaleDownDelaySeconds?: number;
  progressDeadlineSeconds?: number;
  analysis?: {
    prometheus?: {
      address: string;
      timeoutSeconds?: number;
      headersSecretRef?: { name: string };
      tls?: PrometheusTlsInput;
    };
    prePromotion?: AnalysisTemplateInput;
    postPromotion?: AnalysisTemplateInput;
  };
  /** Absent: the release is switched at once, as without canary steps. */
  canary?: CanarySpecInput;
  /** Unset: the chart's default providers. []: none. */
  notifications?: NotificationRefInput[];
}

export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason: string;
  message: string;
  lastTransitionTime: string;
  observedGeneration?: number;
}

export interface ColorStatus {
  revision?: string;
  images: string[];
  replicas: number;
  readyEndpoints: number;
}

export type AnalysisStage = 'PrePromotion' | 'Canary' | 'PostPromotion';

export interface AnalysisRunStatus {
  stage: AnalysisStage;
  revision: string;
  color: Color;
  phase: AnalysisPhase;
  /** RFC3339; when the colour became ready and the analysis clock started. */
  startedAt: string;
  message?: string;
  /** Tallies over the whole run; measurements below is only the newest few. */
  successful: number;
  failed: number;
  inconclusive: number;
  rounds: number;
  /** Rounds in which every metric passed; the run succeeds at `count` of them. Absent (older operator): 0. */
  passedRounds?: number;
  lastRoundAt?: string;
  measurements: Measurement[];
}

/** Remembered between reconciles: when the current release began and became ready. */
export interface ReleaseStatus {
  revision: string;
  color: Color;
  startedAt: string;
  readyAt?: string;
  /** When the switch was decided (user's activeColor or auto-promotion) and the target began scaling to full size. */
  promotingSince?: string;
}

/** Where a release's canary steps stand (replica-weighted traffic on the active Service). */
export interface CanaryStatus {
  revision: string;
  /** The colour of the release (the canary); the other colour is the stable one. */
  color: Color;
  /** Index into spec.canary.steps; equal to its length once every step completed. */
  currentStepIndex: number;
  /** setWeight of the current step (of the last one once all completed). */
  weight: number;
  /** Pods the canary colour runs for this step, and the stable colour's. */
  canaryReplicas: number;
  stableReplicas: number;
  /**
   * Replica-weighted: percent of the active Service's ready endpoints that are canary pods (one
   * decimal); 0 while it selects one colour. Gateway API: the canary backendRef's share of the
   * HTTPRoute's weights once this pass's write is accepted (exact, no pods counted).
   */
  achievedShare: number;
  /** Gateway API mode only: the HTTPRoute whose weights carry the share. */
  httpRoute?: string;
  /** When the step was reached (endpoints exact and selector widened), or when the last step completed. */
  stepReachedAt?: string;
  /** The canary was aborted (analysis failure or spec.activeColor pinned to the stable colour). */
  aborted?: boolean;
}

/** One notification as derived from a status transition (docs/notifications.md "Payload"). */
export interface NotificationRecord {
  /** Idempotency key: a hash of the object's uid, the event and the status fields that identify it. */
  key: string;
  event: NotificationEvent;
  severity: 'Normal' | 'Warning';
  /** RFC3339; from the status field that records the transition where there is one. */
  occurredAt: string;
  /** One line for a person. */
  summary: string;
  /** The operator's reason (a switch reason, a Degraded reason, ...). */
  reason?: string;
  revision?: string;
  /** The colour the event is about: the release's, or the one now serving. */
  color?: Color;
  /** The colour the active Service selects after the transition. */
  activeColor?: Color;
  /** AwaitingPromotion only: the exact command that promotes. */
  promoteCommand?: string;
  analysis?: NotificationAnalysis;
  canary?: { step: number; steps: number; weight: number };
}

export interface NotificationAnalysis {
  stage: AnalysisStage;
  /** 1-based number of the round. */
  round: number;
  /** The run's phase after this round (Running, Failed or Inconclusive). */
  verdict: AnalysisPhase;
  /** The round's measurements that did not pass. */
  measurements: Measurement[];
}

/** A notification written with the transition it reports, until every provider has it. */
export interface PendingNotification extends NotificationRecord {
  /** Providers that have not acknowledged it yet. */
  providers: string[];
}

/** The durable outbox (docs/adr/0025): absent when nothing is pending. */
export interface NotificationsStatus {
  pending: PendingNotification[];
}

export interface BlueGreenServiceStatus {
  observedGeneration?: number;
  phase?: Phase;
  message?: string;
  activeColor?: Color;
  previewColor?: Color;
  previousColor?: Color;
  /** The revision previousColor ran when it served (recorded with the switch). */
  previousRevision?: string;
  ready?: string;
  replicas?: number;
  readyReplicas?: number;
  selector?: string;
  stableRevision?: string;
  updateRevision?: string;
  abortedRevision?: string;
  lastSwitchTime?: string;
  lastSwitchReason?: string;
  release?: ReleaseStatus;
  analysis?: AnalysisRunStatus;
  canary?: CanaryStatus;
  colors?: Partial<Record<Color, ColorStatus>>;
  conditions?: Condition[];
  notifications?: NotificationsStatus;
}

export interface BlueGreenService {
  apiVersion: string;
  kind: string;
  metadata: V1ObjectMeta;
  spec: BlueGreenServiceSpec;
  status?: BlueGreenServiceStatus;
}
