// Names the operator shares with the cluster: API coordinates, labels, reasons.
// Reasons are constants so status, Events and tests agree on one spelling.

export const GROUP = 'bluegreen.dev';
export const VERSION = 'v1alpha1';
export const API_VERSION = `${GROUP}/${VERSION}`;
export const KIND = 'BlueGreenService';
export const PLURAL = 'bluegreenservices';

/** Field manager for every server-side apply and patch the operator sends. */
export const FIELD_MANAGER = 'bluegreen-operator';

export const COLORS = ['blue', 'green'] as const;
export type Color = (typeof COLORS)[number];

export const LABELS = {
  managedBy: 'app.kubernetes.io/managed-by',
  service: 'bluegreen.dev/service',
  color: 'bluegreen.dev/color',
  revision: 'bluegreen.dev/revision',
  /** Marks the per-colour headless Services whose EndpointSlices measure readiness. */
  role: 'bluegreen.dev/role',
} as const;

export const MANAGED_BY_VALUE = 'bluegreen-operator';

export const ANNOTATIONS = {
  /**
   * On the active Service: the revision an automatic rollback aborted. Written in the same
   * request as the switch back, so the verdict survives a crash before the status write
   * (docs/adr/0011); status.abortedRevision is the user-facing copy.
   */
  abortedRevision: 'bluegreen.dev/aborted-revision',
} as const;

export const PHASES = {
  progressing: 'Progressing',
  analyzing: 'Analyzing',
  awaitingPromotion: 'AwaitingPromotion',
  promoting: 'Promoting',
  verifying: 'Verifying',
  healthy: 'Healthy',
  degraded: 'Degraded',
  invalid: 'Invalid',
} as const;
export type Phase = (typeof PHASES)[keyof typeof PHASES];

export const CONDITIONS = {
  /** True when the active Service points at a colour whose endpoints are all ready. */
  available: 'Available',
  /** True while a release or a switch is in flight. */
  progressing: 'Progressing',
  /** True when something needs a human: analysis failed, deadline exceeded, rolled back. */
  degraded: 'Degraded',
  /** False when the spec cannot be acted on; nothing is changed then. */
  specValid: 'SpecValid',
  /**
   * The summary generic tools read (kstatus, Argo CD health, `kubectl wait --for=condition=Ready`):
   * True only when the active colour serves with all its endpoints ready, no release or switch
   * is in flight and nothing is degraded.
   */
  ready: 'Ready',
} as const;

export const REASONS = {
  // switch reasons
  initialDeploy: 'InitialDeploy',
  manualPromotion: 'ManualPromotion',
  autoPromotion: 'AutoPromotion',
  manualRollback: 'ManualRollback',
  autoRollback: 'AutoRollback',
  observedSwitch: 'Observed',
  /** The active Service went back to the stable colour only, from both (docs/adr/0012). */
  canaryAborted: 'CanaryAborted',
  // progress
  releaseStarted: 'ReleaseStarted',
  previewReady: 'PreviewReady',
  progressing: 'Progressing',
  valid: 'Valid',
  activeReady: 'ActiveReady',
  asExpected: 'AsExpected',
  waitingForPreview: 'WaitingForPreviewReady',
  waitingForTarget: 'WaitingForTargetReady',
  analysisRunning: 'AnalysisRunning',
  analysisPassed: 'AnalysisPassed',
  awaitingPromotion: 'AwaitingPromotion',
  promotionDelay: 'PromotionDelay',
  verifying: 'PostPromotionAnalysisRunning',
  steady: 'Steady',
  scaledDown: 'ScaledDownPreviousColor',
  canaryScaling: 'CanaryScaling',
  canaryStepReached: 'CanaryStepReached',
  canaryPaused: 'CanaryPaused',
  canaryCompleted: 'CanaryCompleted',
  /** The canary backendRef's weight on the HTTPRoute changed (docs/adr/0017). */
  routeWeightSet: 'HTTPRouteWeightSet',
  // problems
  analysisFailed: 'AnalysisFailed',
  analysisInconclusive: 'AnalysisInconclusive',
  postPromotionFailed: 'PostPromotionAnalysisFailed',
  rolledBack: 'RolledBack',
  activeUnavailable: 'ActiveUnavailable',
  liveTemplateLost: 'LiveTemplateLost',
  progressDeadlineExceeded: 'ProgressDeadlineExceeded',
  invalidSpec: 'InvalidSpec',
  serviceConflict: 'ServiceConflict',
  applyFailed: 'ApplyFailed',
  /** spec.canary.trafficRouting.gatewayAPI.httpRoute names a route that is missing or lacks our backendRefs. */
  httpRouteNotUsable: 'HTTPRouteNotUsable',
  noActiveEndpoints: 'ActiveNotReady',
  ready: 'Ready',
  // notifications (docs/notifications.md): Events only, never a condition or a phase
  /** A provider failed several deliveries in a row; the release goes on regardless. */
  notificationFailing: 'NotificationFailing',
  /** A notification was given up for one provider (refused, or retried past the horizon). */
  notificationDropped: 'NotificationDropped',
  /** spec.notifications names a provider the operator is not configured with. */
  notificationProviderUnknown: 'NotificationProviderUnknown',
} as const;

/**
 * What a notification reports (docs/notifications.md), in the order a release meets them.
 * spec.notifications[*].events and the chart's providers[*].events name some of them.
 */
export const NOTIFICATION_EVENTS = [
  'ReleaseStarted',
  'PreviewReady',
  'AnalysisRoundFailed',
  'AnalysisRoundInconclusive',
  'CanaryStepReached',
  'CanaryAborted',
  'AwaitingPromotion',
  'Promoted',
  'RolledBack',
  'Degraded',
  'Recovered',
] as const;
export type NotificationEvent = (typeof NOTIFICATION_EVENTS)[number];
