// The planner's input and output. Input is a read-only snapshot of what the cache holds
// plus the clock; output is data the reconciler executes. No I/O crosses this boundary.
import type {
  V1ControllerRevision,
  V1Deployment,
  V1OwnerReference,
  V1PodTemplateSpec,
  V1Service,
} from '@kubernetes/client-node';
import type { Color } from '../api/constants.ts';
import type { AnalysisStage, BlueGreenService, BlueGreenServiceStatus } from '../api/types.ts';
import type { Measurement, MetricSpec } from '../analysis/types.ts';
import type { HTTPRouteLike, JsonPatchOp } from '../api/httproute.ts';

export interface ObservedColor {
  deployment?: V1Deployment;
  /** Ready endpoints in the EndpointSlices of this colour's headless Service. */
  readyEndpoints: number;
}

export interface Observed {
  bgs: BlueGreenService;
  /** Epoch milliseconds. */
  now: number;
  colors: Record<Color, ObservedColor>;
  activeService?: V1Service;
  previewService?: V1Service;
  colorServices: Partial<Record<Color, V1Service>>;
  /**
   * Kept templates (ControllerRevisions) of revisions a colour ran but the spec no longer holds,
   * read only when that colour's Deployment is missing: the live template is restored from them.
   */
  keptTemplates?: KeptTemplate[];
  /** Measurements the reconciler took for the round the previous planning pass asked for. */
  measurements?: TakenMeasurements;
  /**
   * The HTTPRoute named by spec.canary.trafficRouting.gatewayAPI.httpRoute (or, once that is
   * removed, by status.canary.httpRoute), read fresh each reconcile; absent when not found or
   * not configured (docs/adr/0017).
   */
  httpRoute?: HTTPRouteLike;
  /** Why that route could not be read (the API server refused the GET, e.g. 403 without RBAC). */
  httpRouteUnreadable?: string;
}

export interface KeptTemplate {
  revision: string;
  template: V1PodTemplateSpec;
}

/** Where and how to query; the per-query timeout is already capped to fit one reconcile. */
export interface QuerySettings {
  address: string;
  timeoutMs: number;
  /** Secret whose keys are HTTP headers for every query (spec.analysis.prometheus.headersSecretRef). */
  headersSecret?: string;
}

export interface MeasurementRequest {
  stage: AnalysisStage;
  color: Color;
  revision: string;
  /** Queries already rendered for this colour and revision: the reconciler runs them as they are. */
  metrics: MetricSpec[];
  prometheus: QuerySettings;
}

export interface TakenMeasurements {
  stage: AnalysisStage;
  color: Color;
  revision: string;
  measurements: Measurement[];
}

export type ServiceRole = 'active' | 'preview' | 'color';

export type Action =
  /** Server-side apply of a whole Deployment the operator owns. */
  | { kind: 'applyDeployment'; color: Color; object: V1Deployment }
  /** Keep a copy of a template revision before any Deployment runs it (create-only; immutable). */
  | { kind: 'keepTemplate'; object: V1ControllerRevision }
  /** The copy of a revision no colour runs any more. */
  | { kind: 'dropTemplate'; name: string }
  /** Change only spec.replicas (the template of a live colour is never rewritten mid-release). */
  | { kind: 'scaleDeployment'; color: Color; name: string; replicas: number }
  /**
   * Add our owner reference to a Deployment that has no controller (orphaned, e.g. restored
   * from a backup after its BlueGreenService was deleted with --cascade=orphan), touching
   * nothing else: its template may be the rollback target, which is never rewritten.
   * `keptTemplate` names the copy of the revision it runs (ADR 0016), adopted with it so the
   * garbage collector deletes that too with the BlueGreenService.
   */
  | { kind: 'adoptDeployment'; color: Color; name: string; owner: V1OwnerReference; keptTemplate?: string }
  /** Server-side apply of a whole Service the operator owns (create or update, selector included). */
  | { kind: 'applyService'; role: ServiceRole; object: V1Service; switchTo?: Color }
  /** Adopted Service: replace the selector (and add our labels), touch nothing else. */
  | {
      kind: 'patchServiceSelector';
      role: ServiceRole;
      name: string;
      selector: Record<string, string>;
      removeKeys: string[];
      labels: Record<string, string>;
      annotations: Record<string, string>;
      /** Unset when the selector selects both colours (a canary step). */
      switchTo?: Color;
    }
  /**
   * Set the two weights on the user's HTTPRoute, nothing else: a JSON patch whose test ops
   * check the entries it changes (docs/adr/0017). `lowers`: the canary's weight goes down; such
   * a write goes first in the plan (an abort's 0 before anything else), a raise goes last.
   */
  | { kind: 'setRouteWeights'; name: string; canaryWeight: number; lowers: boolean; patch: JsonPatchOp[] };

export interface PlannedEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface Plan {
  /**
   * The writes, in the order they must happen. The writes of one wave are independent and may
   * run concurrently; a wave starts only after every write of the previous one was accepted.
   * Traffic moves (active and preview selectors) each come alone, after the writes they
   * depend on (the target colour's Deployment, its per-colour Service).
   */
  waves: Action[][];
  status: BlueGreenServiceStatus;
  events: PlannedEvent[];
  /**
   * Wake up after this many ms even if nothing changes: the soonest timer (analysis round,
   * promotion or scale-down delay, deadline), and at most IN_FLIGHT_RESYNC_MS while a release
   * or switch is in flight (a safety net on top of watch events).
   */
  requeueAfterMs?: number;
  /** Set when an analysis round is due: the reconciler measures and plans again. */
  measure?: MeasurementRequest;
  /** The switch this plan performs, for metrics and logs. */
  switched?: { from?: Color; to: Color; reason: string };
}
