// The mutable scratchpad of one planning pass. plan() creates it, the branch functions fill
// it, and finish() turns it into an immutable Plan. Nothing here performs I/O.
import type { V1Deployment, V1PodTemplateSpec, V1Service } from '@kubernetes/client-node';
import { LABELS, type Color, type Phase, REASONS } from '../api/constants.ts';
import { activeServiceName, keptTemplateName, otherColor, ownedLabels } from '../api/names.ts';
import type { BlueGreenService, BlueGreenServiceStatus, ReleaseStatus } from '../api/types.ts';
import type { ResolvedSpec } from '../api/defaults.ts';
import { desiredActiveService, desiredDeployment, keptTemplate } from './desired.ts';
import {
  deploymentReplicas,
  deploymentRevision,
  imagesDrifted,
  serviceOwnership,
  templateRevision,
} from './observe.ts';
import { querySettings, stepAnalysis, type AnalysisStep, type AnalysisStepInput } from './analysis-step.ts';
import type { TrafficIntent, TrafficRouter } from './traffic.ts';
import type { Action, MeasurementRequest, Observed, PlannedEvent, ServiceRole } from './types.ts';

export interface Draft {
  obs: Observed;
  bgs: BlueGreenService;
  spec: ResolvedSpec;
  desiredRevision: string;
  nowIso: string;
  prev: BlueGreenServiceStatus;
  /** Fields of the next status the branches decide; finish() adds the observed ones. */
  next: BlueGreenServiceStatus;
  phase: Phase;
  reason: string;
  message: string;
  degraded?: { reason: string; message: string };
  actions: Action[];
  events: PlannedEvent[];
  wakeAt: number[];
  measure?: MeasurementRequest;
  switched?: { from?: Color; to: Color; reason: string };
  /** The active Service points somewhere the status did not know: a switch is being observed. */
  justSwitched: boolean;
  /** What the release decided about the canary colour's traffic (traffic.ts); stable unless a branch says otherwise. */
  traffic: TrafficIntent;
  /** The router the spec names, chosen once per reconcile (routers.ts): it carries d.traffic. */
  router: TrafficRouter;
  /** Every router with objects in play, the chosen one included, in the order they are realised. */
  routers: readonly TrafficRouter[];
}

export function setPhase(d: Draft, phase: Phase, reason: string, message: string): void {
  d.phase = phase;
  d.reason = reason;
  d.message = message;
}

export function degrade(d: Draft, reason: string, message: string): void {
  d.degraded = { reason, message };
  setPhase(d, 'Degraded', reason, message);
}

export function wake(d: Draft, atMs: number): void {
  if (Number.isFinite(atMs)) d.wakeAt.push(atMs);
}

/**
 * Make the colour run `revision` (the desired one unless named) with `replicas` pods.
 * `mayWriteTemplate` is false for a colour that serves traffic while a release is in flight: its
 * template is never touched, only its replica count follows spec.replicas.
 */
export function ensureDeployment(
  d: Draft,
  color: Color,
  replicas: number,
  mayWriteTemplate: boolean,
  revision: string = d.desiredRevision,
): void {
  const current = d.obs.colors[color].deployment;
  const revisionDiffers =
    deploymentRevision(current) !== revision || (revision === templateRevision(d.bgs) && imagesDrifted(current, d.bgs));
  if (!current || (revisionDiffers && mayWriteTemplate)) {
    writeTemplate(d, color, replicas, revision);
    return;
  }
  if (deploymentReplicas(current) !== replicas) {
    d.actions.push({ kind: 'scaleDeployment', color, name: current.metadata!.name!, replicas });
  }
}

/** The template of `revision`: the spec's, or a kept copy the reconciler read for a missing colour. */
export function templateFor(d: Draft, revision: string): V1PodTemplateSpec | undefined {
  if (revision === templateRevision(d.bgs)) return d.bgs.spec.template;
  return d.obs.keptTemplates?.find((k) => k.revision === revision)?.template;
}

/**
 * Apply `revision`'s template to a colour. The spec's template is kept (a ControllerRevision)
 * in the wave before any Deployment runs it, so a live colour deleted later can be re-created
 * as it was (ADR 0016); the copy of the revision this write replaces goes once no colour runs
 * it. Returns the Deployment as planned, or undefined when nothing was planned: the revision's
 * template is unknown (never guessed from the newest one) or the colour already has a write.
 */
export function writeTemplate(d: Draft, color: Color, replicas: number, revision: string): V1Deployment | undefined {
  const template = templateFor(d, revision);
  if (!template) return undefined;
  if (d.actions.some((a) => a.kind === 'applyDeployment' && a.color === color)) return undefined;
  if (revision === templateRevision(d.bgs))
    d.actions.push({ kind: 'keepTemplate', object: keptTemplate(d.bgs, revision) });
  const object = desiredDeployment(d.bgs, color, replicas, revision, template);
  d.actions.push({ kind: 'applyDeployment', color, object });
  const replaced = deploymentRevision(d.obs.colors[color].deployment);
  const stillRun = replaced === deploymentRevision(d.obs.colors[otherColor(color)].deployment);
  if (replaced !== undefined && replaced !== revision && !stillRun) {
    d.actions.push({ kind: 'dropTemplate', name: keptTemplateName(d.bgs, replaced) });
  }
  return object;
}

function sameSelector(a: Record<string, string> | undefined, b: Record<string, string>): boolean {
  const ak = Object.keys(a ?? {});
  return ak.length === Object.keys(b).length && ak.every((k) => a![k] === b[k]);
}

function portsDiffer(observed: V1Service, desired: V1Service): boolean {
  const norm = (s: V1Service) =>
    JSON.stringify(
      (s.spec?.ports ?? []).map((p) => [p.name ?? '', p.port, String(p.targetPort ?? p.port), p.protocol ?? 'TCP']),
    );
  return (
    norm(observed) !== norm(desired) || (observed.spec?.type ?? 'ClusterIP') !== (desired.spec?.type ?? 'ClusterIP')
  );
}

function labelsMissing(observed: V1Service, desired: V1Service): boolean {
  const have = { ...observed.metadata?.labels, ...observed.metadata?.annotations };
  return Object.entries({ ...desired.metadata?.labels, ...desired.metadata?.annotations }).some(
    ([k, v]) => have[k] !== v,
  );
}

/**
 * Bring a Service to `desired`, writing only when something differs. An adopted Service
 * (no controller owner) gets its selector and our labels replaced and nothing else.
 */
export function ensureService(
  d: Draft,
  role: ServiceRole,
  observed: V1Service | undefined,
  desired: V1Service,
  switchTo?: Color,
): void {
  const selector = desired.spec!.selector!;
  const ownership = serviceOwnership(d.bgs, observed);
  if (ownership === 'foreign') return; // plan() stops earlier on a conflict; defensive
  if (ownership === 'adoptable' && observed) {
    const annotations = desired.metadata?.annotations ?? {};
    if (
      sameSelector(observed.spec?.selector, selector) &&
      !labelsMissing(observed, { metadata: { labels: ownedLabels(d.bgs), annotations } })
    )
      return;
    const removeKeys = Object.keys(observed.spec?.selector ?? {}).filter((k) => !(k in selector));
    d.actions.push({
      kind: 'patchServiceSelector',
      role,
      name: observed.metadata!.name!,
      selector,
      removeKeys,
      labels: ownedLabels(d.bgs),
      annotations,
      ...(switchTo !== undefined || selector[LABELS.color] !== undefined
        ? { switchTo: switchTo ?? (selector[LABELS.color] as Color) }
        : {}),
    });
    return;
  }
  if (
    observed &&
    sameSelector(observed.spec?.selector, selector) &&
    !portsDiffer(observed, desired) &&
    !labelsMissing(observed, desired)
  )
    return;
  d.actions.push({ kind: 'applyService', role, object: desired, ...(switchTo ? { switchTo } : {}) });
}

/**
 * Point the active Service at `to`. Callers have already checked that `to` is ready. An
 * automatic rollback passes the revision it aborts: it travels on the Service in the same write.
 */
export function switchActive(d: Draft, from: Color | undefined, to: Color, reason: string, aborts?: string): void {
  if (aborts !== undefined) d.next.abortedRevision = aborts;
  ensureService(d, 'active', d.obs.activeService, desiredActiveService(d.bgs, to, d.next.abortedRevision), to);
  d.switched = { ...(from ? { from } : {}), to, reason };
  d.next.activeColor = to;
  d.next.previousColor = from;
  d.next.previousRevision = from ? deploymentRevision(d.obs.colors[from].deployment) : undefined;
  d.next.lastSwitchTime = d.nowIso;
  d.next.lastSwitchReason = reason;
  const svc = activeServiceName(d.bgs);
  d.events.push({
    type: reason.endsWith('Rollback') ? 'Warning' : 'Normal',
    reason,
    message: from ? `switched Service ${svc} from ${from} to ${to}` : `Service ${svc} now serves ${to}`,
  });
}

/** What a caller says about the run it steps; the rest (object, clock, Prometheus, round taken) comes from the pass. */
export type AnalysisOf = Pick<
  AnalysisStepInput,
  'template' | 'stage' | 'color' | 'revision' | 'startedAtMs' | 'priorRun'
> &
  Partial<Pick<AnalysisStepInput, 'taken'>>;

/** One step of the analysis run the caller names, with this pass's clock and measurements. */
export function analyse(d: Draft, run: AnalysisOf): AnalysisStep {
  return stepAnalysis({ bgs: d.bgs, now: d.obs.now, query: querySettings(d.spec), taken: d.obs.measurements, ...run });
}

/** Fold an analysis step into the draft: the run goes to status, a due round or its wake-up time to the plan. */
export function recordStep(d: Draft, step: AnalysisStep): void {
  d.next.analysis = step.run;
  if (step.measure) d.measure = step.measure;
  if (step.wakeAt !== undefined) wake(d, step.wakeAt);
}

/**
 * The release record for (revision, colour), carried over from status when it matches, unless
 * the release starts over (`restarted`, see podsGone): then its canary record goes too. A new
 * record drops any pre-promotion or canary verdict for that colour and revision: a verdict
 * belongs to the release and the pods it measured (docs/adr/0011).
 */
export function releaseFor(
  d: Draft,
  revision: string,
  color: Color,
): { release: ReleaseStatus; isNew: boolean; restarted: boolean } {
  const prior = d.prev.release;
  const same = prior !== undefined && prior.revision === revision && prior.color === color;
  if (same && !podsGone(d, prior)) return { release: { ...prior }, isNew: false, restarted: false };
  // A new release never inherits a verdict of an earlier one of the same revision (a revert and
  // re-apply): not by the start times matching, nor at all.
  const verdict = d.next.analysis;
  if (verdict && verdict.stage !== 'PostPromotion' && verdict.color === color && verdict.revision === revision)
    d.next.analysis = undefined;
  if (same && d.next.canary?.color === color && d.next.canary.revision === revision) d.next.canary = undefined;
  return { release: { revision, color, startedAt: d.nowIso }, isNew: true, restarted: same };
}

/**
 * The release found its colour ready once, and that colour's pods are gone since: its
 * Deployment was deleted, or runs no pods though the release wants some (a revert whose status
 * write was lost scaled it to 0, or someone scaled it by hand). Not for a canary in flight while
 * the user pins the live colour (that is a stop: the abort path records it), and never over a
 * verdict against the release: a failed or inconclusive one, or an aborted canary, is not wiped
 * by a restart. Any other pin restarts too: the release waits under it, and its pods re-created
 * meanwhile must not inherit the verdict once it is lifted (no round on the old pods counts
 * towards the new ones').
 */
function podsGone(d: Draft, release: ReleaseStatus): boolean {
  if (release.readyAt === undefined) return false;
  const pin = d.bgs.spec.activeColor;
  const canary = d.prev.canary;
  const itsCanary = canary?.color === release.color && canary.revision === release.revision;
  if (pin !== undefined && pin !== release.color && itsCanary) return false;
  const verdict = d.prev.analysis;
  const against =
    verdict !== undefined &&
    verdict.stage !== 'PostPromotion' &&
    verdict.color === release.color &&
    verdict.revision === release.revision &&
    (verdict.phase === 'Failed' || verdict.phase === 'Inconclusive');
  if (against || d.prev.canary?.aborted === true) return false;
  const deployment = d.obs.colors[release.color].deployment;
  if (deployment === undefined) return true;
  // Scaled for its switch, the colour wants spec.replicas (0 is a valid size: KEDA, /scale).
  const wants = release.promotingSince !== undefined ? d.spec.replicas : d.spec.previewReplicas;
  return deployment.spec?.replicas === 0 && wants > 0;
}

/**
 * The deadline of a switch waiting for its target counts from when the switch was decided,
 * not from the release's start: a manual promotion made after progressDeadlineSeconds is an
 * ordinary scale-up, not Degraded.
 */
export function checkSwitchDeadline(d: Draft, release: ReleaseStatus, waitingFor: string): void {
  release.promotingSince ??= d.nowIso;
  checkDeadline(d, { ...release, startedAt: release.promotingSince }, waitingFor);
}

/** Degraded once the release has waited longer than progressDeadlineSeconds; wake at the deadline otherwise. */
export function checkDeadline(d: Draft, release: ReleaseStatus, waitingFor: string): void {
  if (d.spec.progressDeadlineMs === undefined) return;
  const deadline = Date.parse(release.startedAt) + d.spec.progressDeadlineMs;
  if (d.obs.now >= deadline) {
    degrade(
      d,
      REASONS.progressDeadlineExceeded,
      `${waitingFor} for more than ${d.spec.progressDeadlineMs / 1000}s; still trying`,
    );
  } else {
    wake(d, deadline);
  }
}
