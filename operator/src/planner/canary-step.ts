// One canary step in flight: scale the canary colour for the step's share, put the share on
// once the step is reached, hold it through the step's analysis and pause, then complete it.
// The next step is scaled for on the next pass: one traffic change per pass.
//   - A step is reached only when the EndpointSlices of each colour list exactly the pods its
//     Deployment should run, all ready, and the router can carry the share.
//   - Until then the share in effect holds, never above the previous step's weight.
//   - The first analysis round of a step is taken on the pass after its share goes on.
import { type Color, REASONS } from '../api/constants.ts';
import type { ResolvedCanaryStep } from '../api/defaults.ts';
import type { CanaryStatus, ReleaseStatus } from '../api/types.ts';
import { analyse, degrade, ensureDeployment, recordStep, setPhase, wake, type Draft } from './draft.ts';
import { abortCanary } from './canary-abort.ts';
import { recordCanary } from './canary-status.ts';
import { colorReady, deploymentRevision } from './observe.ts';
import { promoteHint } from './promotion.ts';
import { canaryServes, type RouterProblem } from './traffic.ts';

/** The step being planned, as every part of the pass needs it. */
export interface Step {
  active: Color;
  idle: Color;
  /** The release's record (d.next.release as releaseFor gave it). */
  release: ReleaseStatus;
  index: number;
  total: number;
  step: ResolvedCanaryStep;
  /** The weight of the step before (0 before the first): the most a step still scaling keeps. */
  previousWeight: number;
  label: string;
  /** The canary's pods for this step's share, as the router sizes them. */
  replicas: number;
}

/** The colour runs exactly `replicas` pods of `revision`, every one listed ready in its EndpointSlices. */
function exactlyReady(d: Draft, color: Color, replicas: number, revision: string | undefined): boolean {
  return colorReady(d.obs, color, replicas, revision) && d.obs.colors[color].readyEndpoints === replicas;
}

/**
 * The decision before the act: the release's readiness is in status before any canary traffic,
 * so a share whose status write is lost is still recognised as this release's (never withdrawn
 * as a stranger's). With no release recorded at all (the whole status lost) there is nothing to
 * wait for.
 */
function readinessRecorded(d: Draft): boolean {
  const recorded = d.prev.release;
  return !recorded || (recorded.revision === d.desiredRevision && recorded.readyAt !== undefined);
}

/**
 * The step's share may go on now: its readiness recorded, the router able to carry it, each
 * colour running exactly its pods, all ready. A share is exposed through the active Service
 * too: while it is deleted it is first re-created on the stable colour alone, and the step waits.
 */
function stepReady(d: Draft, s: Step, routerReady: boolean, canaryReady: boolean): boolean {
  const stableRevision = deploymentRevision(d.obs.colors[s.active].deployment);
  return (
    d.obs.activeService !== undefined &&
    readinessRecorded(d) &&
    routerReady &&
    canaryReady &&
    exactlyReady(d, s.active, d.spec.replicas, stableRevision)
  );
}

/** A canary resumed without its release's readiness on record (status was lost) records it now; its step is reached on the next pass. */
function recordReadiness(d: Draft, s: Step): void {
  d.next.release = { ...s.release, readyAt: d.nowIso };
  wake(d, d.obs.now);
}

/** The step's pods are not exactly ready yet: the share holds (at most the previous step's), nothing widens. */
function waitForStepPods(d: Draft, s: Step, problem: RouterProblem | undefined): Color {
  d.traffic = { kind: 'hold', atMost: s.previousWeight };
  const ready = (c: Color) => d.obs.colors[c].readyEndpoints;
  const waiting = `waiting for exactly ${s.replicas} ready endpoints of ${s.idle} (have ${ready(s.idle)}) and ${d.spec.replicas} of ${s.active} (have ${ready(s.active)})`;
  setPhase(d, 'Progressing', REASONS.canaryScaling, `${s.label}: ${waiting}`);
  if (problem) degrade(d, problem.reason, `${s.label}: ${problem.message}`);
  recordCanary(d, s, s.index, s.replicas);
  return s.idle;
}

/** The step's analysis: 'holds' while it runs (or starts next pass), 'aborted' on a bad verdict, else 'passed'. */
function analyseStep(d: Draft, s: Step, reachedMs: number, justReached: boolean): 'passed' | 'holds' | 'aborted' {
  const template = s.step.analysis;
  if (!template) return 'passed';
  if (justReached) {
    // The share goes on in this pass: measure from the next one, once live traffic flows.
    wake(d, d.obs.now);
    return 'holds';
  }
  const a = analyse(d, {
    template,
    stage: 'Canary',
    color: s.idle,
    revision: d.desiredRevision,
    startedAtMs: reachedMs,
    priorRun: d.prev.analysis,
  });
  recordStep(d, a);
  const { phase, message = '' } = a.run;
  if (phase === 'Running') {
    setPhase(d, 'Analyzing', REASONS.analysisRunning, `${s.label}: analysis of ${s.idle}: ${message}`);
    return 'holds';
  }
  if (phase !== 'Successful') {
    const reason = phase === 'Failed' ? REASONS.analysisFailed : REASONS.analysisInconclusive;
    abortCanary(d, s.active, s.idle, s.index, reason, `analysis ${phase.toLowerCase()}: ${message}`);
    return 'aborted';
  }
  if (a.concluded) d.events.push({ type: 'Normal', reason: REASONS.analysisPassed, message: `${s.label}: ${message}` });
  return 'passed';
}

/** The step's pause holds it: until promoted, or until its seconds have passed since it was reached. */
function pauseHolds(d: Draft, s: Step, reachedMs: number): boolean {
  const pause = s.step.pauseMs;
  const analysing = d.phase === 'Analyzing';
  if (pause === 'untilPromoted') {
    if (!analysing)
      setPhase(d, 'AwaitingPromotion', REASONS.canaryPaused, `${s.label}: paused; ${promoteHint(d, s.idle)}`);
    return true;
  }
  if (pause === undefined || d.obs.now >= reachedMs + pause) return false;
  wake(d, reachedMs + pause);
  const until = new Date(reachedMs + pause).toISOString();
  if (!analysing) setPhase(d, 'Progressing', REASONS.canaryPaused, `${s.label}: paused until ${until}`);
  return true;
}

/** Step complete: recorded as such; the next one is scaled for on the next pass. */
function completeStep(d: Draft, s: Step): Color {
  const next = s.index + 1;
  setPhase(d, 'Progressing', REASONS.canaryStepReached, `${s.label} completed`);
  recordCanary(d, s, next, s.replicas, next >= s.total ? d.nowIso : undefined);
  if (next >= s.total) {
    const message = `${s.total} canary steps of ${d.desiredRevision} completed`;
    d.events.push({ type: 'Normal', reason: REASONS.canaryCompleted, message });
  }
  wake(d, d.obs.now);
  return s.idle;
}

/** Plan step `s` of the canary; `prior` is its record in status (undefined: the canary starts now). */
export function planStep(d: Draft, s: Step, prior: CanaryStatus | undefined): Color {
  // A colour that serves traffic never gets its template rewritten.
  ensureDeployment(d, s.idle, s.replicas, !canaryServes(d));
  ensureDeployment(d, s.active, d.spec.replicas, false);
  const router = d.router.stepReadiness(d, s.idle);
  const canaryReady = exactlyReady(d, s.idle, s.replicas, d.desiredRevision);
  const exact = stepReady(d, s, router.ready, canaryReady);
  // A step's pause and analysis count only while the canary serves its share: a reached step
  // whose canary pods stopped being exactly ready is reached anew (its clock restarts) once they
  // are. (A deleted active Service keeps the step: it is re-created, and a verdict still counts.)
  const reachedBefore = prior?.currentStepIndex === s.index && canaryReady ? prior.stepReachedAt : undefined;
  if (!readinessRecorded(d) && d.next.release?.readyAt === undefined && canaryReady) recordReadiness(d, s);
  if (reachedBefore === undefined && !exact) return waitForStepPods(d, s, router.problem);
  // A share no longer in effect (someone narrowed the Service by hand) goes back only onto
  // exactly ready pods.
  d.traffic = { kind: 'share', weight: s.step.weight, widen: exact };
  const reachedAt = reachedBefore ?? d.nowIso;
  if (reachedBefore === undefined) {
    const message = d.router.describeStep(d, {
      label: s.label,
      canary: s.idle,
      replicas: s.replicas,
      weight: s.step.weight,
    });
    d.events.push({ type: 'Normal', reason: REASONS.canaryStepReached, message });
  }
  setPhase(d, 'Progressing', REASONS.canaryStepReached, `${s.label}: ${s.idle} receives live traffic`);
  const analysis = analyseStep(d, s, Date.parse(reachedAt), reachedBefore === undefined);
  if (analysis === 'aborted') return s.idle;
  const paused = pauseHolds(d, s, Date.parse(reachedAt));
  if (analysis === 'holds' || paused) {
    recordCanary(d, s, s.index, s.replicas, reachedAt);
    return s.idle;
  }
  return completeStep(d, s);
}
