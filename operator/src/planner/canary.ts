// Canary steps before the switch, replica-weighted (docs/adr/0012). While a step holds, the
// active Service selects both colours (the colour key leaves its selector) and the release's
// colour runs the pods giving the share nearest the step's weight next to the stable colour's
// spec.replicas pods. Safety rules, each a table row in canary.test.ts:
//   - the selector widens, and a step counts as reached, only when the EndpointSlices of each
//     colour list exactly the pods its Deployment should run, all ready;
//   - an abort narrows the selector back to the stable colour first (one write, in this pass)
//     and scales nothing: the canary is scaled down by later passes, which see the narrowed
//     Service (planAborted), so no pod is removed while the Service still selects it;
//   - the template of a colour the Service selects is never rewritten (a new template waits
//     for the selector to narrow).
// With spec.canary.trafficRouting.gatewayAPI (docs/adr/0017) the same steps move the weight of
// the preview Service's backendRef on the user's HTTPRoute instead (route-weight.ts): the active
// Service keeps its colour key, the canary runs the pods for its share of the load, and an
// abort sets the weight to 0 first. "Serves traffic" above then means "the route weighs it".
import { type Color, REASONS } from '../api/constants.ts';
import type { CanaryStatus, ReleaseStatus } from '../api/types.ts';
import { canaryReplicasFor, roundedShare, routedCanaryReplicas } from './canary-share.ts';
import { analyse, degrade, ensureDeployment, recordStep, setPhase, switchActive, wake, type Draft } from './draft.ts';
import { colorReady, colorServes, deploymentRevision, selectedColor, selectsBothColors } from './observe.ts';
import { canaryServes, routeProblem, routedMode, routedToCanary } from './route-weight.ts';
import { promoteHint, startPostPromotion } from './promotion.ts';

/** The active Service, as observed, selects both colours. */
export function bothSelected(d: Draft): boolean {
  return selectsBothColors(d.bgs, d.obs.activeService);
}

/** The stable colour while the Service selects both: status knows it; without status, the colour not released. */
export function stableWhileBoth(d: Draft): Color | undefined {
  if (!bothSelected(d)) return undefined;
  if (d.prev.activeColor) return d.prev.activeColor;
  if (d.prev.canary) return d.prev.canary.color === 'blue' ? 'green' : 'blue';
  return deploymentRevision(d.obs.colors.blue.deployment) === d.desiredRevision ? 'green' : 'blue';
}

/** The colour runs exactly `replicas` pods of `revision`, every one listed ready in its EndpointSlices. */
function exactlyReady(d: Draft, color: Color, replicas: number, revision: string | undefined): boolean {
  return colorReady(d.obs, color, replicas, revision) && d.obs.colors[color].readyEndpoints === replicas;
}

/** The canary of this release recorded in status and not aborted. */
export function canaryInFlight(d: Draft, idle: Color, revision: string): CanaryStatus | undefined {
  const c = d.prev.canary;
  return c && !c.aborted && c.revision === revision && c.color === idle ? c : undefined;
}

/**
 * The Service selects both colours, but for something that is no longer this release's canary
 * (a newer template, spec.canary removed): back to the stable colour alone, nothing else this
 * pass. The canary colour's template may be rewritten only once the narrowed Service is seen.
 */
export function narrowBack(d: Draft, active: Color, idle: Color, why: string, aborts?: string): undefined {
  d.routeWeight = 0; // routed: the route gives the canary nothing first (docs/adr/0017)
  ensureDeployment(d, active, d.spec.replicas, false);
  wake(d, d.obs.now);
  if (!narrowTo(d, idle, active, aborts)) {
    setPhase(d, 'Progressing', REASONS.canaryAborted, `${why}; waiting for a ready pod of ${active} first`);
    return undefined;
  }
  d.events.push({ type: 'Normal', reason: REASONS.canaryAborted, message: why });
  setPhase(d, 'Progressing', REASONS.canaryAborted, why);
  return undefined;
}

/**
 * The stable colour can take all traffic back: at least one ready pod of its own revision and
 * no pod of another (it served until the step; a pod it lost since is not a reason to keep
 * canary traffic, but a colour with nothing ready is: its Deployment was deleted and re-created).
 */
export function canTakeBack(d: Draft, color: Color, aborting: boolean): boolean {
  const revision = deploymentRevision(d.obs.colors[color].deployment);
  // Away from a canary that failed (or that the user's pin stops), one ready pod is enough:
  // leaving failing code comes first. Any other narrowing (a newer template, the template set
  // back, spec.canary removed) moves all traffic, so the stable colour must be fully ready.
  return aborting ? colorServes(d.obs, color, 1, revision) : colorReady(d.obs, color, d.spec.replicas, revision);
}

/** Narrow the Service to `to` when it can take the traffic; otherwise keep both colours. */
function narrowTo(d: Draft, from: Color, to: Color, aborts?: string): boolean {
  if (aborts !== undefined) d.next.abortedRevision = aborts;
  // Not selecting both (or deleted): nothing to narrow, and a step planned earlier in this pass
  // must not re-create it on both (soak seed 20261207: an abort while the active Service was gone).
  if (!bothSelected(d)) {
    d.activeSelectsBoth = false;
    return true;
  }
  if (!canTakeBack(d, to, aborts !== undefined)) {
    d.activeSelectsBoth = true;
    return false;
  }
  switchActive(d, from, to, REASONS.canaryAborted, aborts);
  d.activeSelectsBoth = false;
  return true;
}

function statusFor(d: Draft, idle: Color, active: Color, index: number, replicas: number, reachedAt?: string) {
  const steps = d.spec.canarySteps ?? [];
  const both = d.activeSelectsBoth === true;
  const canary: CanaryStatus = {
    revision: d.desiredRevision,
    color: idle,
    currentStepIndex: index,
    weight: steps[Math.min(index, steps.length - 1)]?.weight ?? 0,
    canaryReplicas: replicas,
    stableReplicas: d.spec.replicas,
    achievedShare: both ? roundedShare(d.obs.colors[idle].readyEndpoints, d.obs.colors[active].readyEndpoints) : 0,
    ...(reachedAt ? { stepReachedAt: reachedAt } : {}),
  };
  d.next.canary = canary;
  return canary;
}

/**
 * Abort: narrow first (with the aborted revision on the Service in the same write, as an
 * automatic rollback does: docs/adr/0011), scale nothing now.
 */
function abortCanary(d: Draft, active: Color, idle: Color, index: number, reason: string, why: string): Color {
  const rev = d.desiredRevision;
  const prior = d.prev.canary;
  // Never widened: the drift repair writes the annotation. Widened: narrowed in this pass, unless
  // the stable colour has no ready pod left (then both stay, and the next passes narrow).
  const narrowed = narrowTo(d, idle, active, rev);
  d.routeWeight = 0;
  // Routed (docs/adr/0017): the route's weight goes to 0 in this pass, first (route-weight.ts).
  // That is the switch back: the failed colour stays up for scaleDownDelaySeconds from now, as
  // after a narrowing, so the gateway has dropped it before its pods go.
  if (routedMode(d) && routedToCanary(d)) {
    d.next.lastSwitchTime = d.nowIso;
    d.next.lastSwitchReason = REASONS.canaryAborted;
  }
  ensureDeployment(d, active, d.spec.replicas, false);
  const replicas = prior?.canaryReplicas ?? d.obs.colors[idle].deployment?.spec?.replicas ?? 0;
  d.next.canary = { ...statusFor(d, idle, active, index, replicas, prior?.stepReachedAt), aborted: true };
  const serves = narrowed
    ? `${active} serves all traffic`
    : `waiting for a ready pod of ${active} to take traffic back`;
  const message = `canary of revision ${rev} aborted at step ${index + 1}: ${why}; ${serves}`;
  d.events.push({ type: 'Warning', reason, message });
  degrade(d, reason, message);
  wake(d, d.obs.now);
  return idle;
}

/**
 * Plan a release whose canary is in flight, or starts now (`prior` undefined, pre-promotion
 * gate passed, spec.activeColor unset). Returns the preview Service's colour.
 */
export function planCanary(
  d: Draft,
  active: Color,
  idle: Color,
  release: ReleaseStatus,
  prior: CanaryStatus | undefined,
): Color | undefined {
  const steps = d.spec.canarySteps;
  const rev = d.desiredRevision;
  const index = prior?.currentStepIndex ?? 0;
  if (!steps) {
    // Once nothing selects or weighs the canary any more, its record ends: the release goes on
    // as blue-green from the next pass.
    if (!bothSelected(d) && !routedToCanary(d)) d.next.canary = undefined;
    return narrowBack(d, active, idle, 'spec.canary was removed; the release continues as blue-green');
  }
  if (d.bgs.spec.activeColor === active)
    return abortCanary(d, active, idle, index, REASONS.canaryAborted, `spec.activeColor pins ${active}`);
  if (index >= steps.length) return finishCanary(d, active, idle, release, prior);

  const step = steps[index]!;
  const total = steps.length;
  const label = `canary step ${index + 1}/${total} (setWeight ${step.weight})`;
  const routed = routedMode(d);
  const replicas = routed
    ? routedCanaryReplicas(step.weight, d.spec.replicas)
    : canaryReplicasFor(step.weight, d.spec.replicas);
  const both = bothSelected(d);
  // A colour that serves traffic never gets its template rewritten.
  ensureDeployment(d, idle, replicas, !canaryServes(d));
  ensureDeployment(d, active, d.spec.replicas, false);
  const stableRevision = deploymentRevision(d.obs.colors[active].deployment);
  // Routed: the weight goes to the preview Service, so it must already select the canary, and
  // the route must name both Services (else a problem naming the field, and nothing written).
  const problem = routeProblem(d);
  const routeReady = !routed || (problem === undefined && selectedColor(d.bgs, d.obs.previewService) === idle);
  // A step is exposed through the active Service: while it is deleted it is first re-created on
  // the stable colour alone (plan.ts), and the step waits for it. And the decision before the
  // act: the release's readiness is in status before any canary traffic, so a widening whose
  // status write is lost is still recognised as this release's (never narrowed as a stranger's).
  // With no release recorded at all (the whole status lost) there is nothing to wait for.
  const serviceUp = d.obs.activeService !== undefined;
  const recorded = d.prev.release;
  const recordedReady = !recorded || (recorded.revision === rev && recorded.readyAt !== undefined);
  const exact =
    serviceUp &&
    recordedReady &&
    routeReady &&
    exactlyReady(d, idle, replicas, rev) &&
    exactlyReady(d, active, d.spec.replicas, stableRevision);
  let reachedAt = prior?.currentStepIndex === index ? prior.stepReachedAt : undefined;
  // A step's pause and analysis count only while the canary serves its share: a reached step
  // whose canary pods stopped being exactly ready is reached anew (its clock restarts) once they
  // are. (A deleted active Service keeps the step: it is re-created, and a verdict still counts.)
  if (reachedAt !== undefined && !exactlyReady(d, idle, replicas, rev)) reachedAt = undefined;
  // A canary resumed without its release's readiness on record (status was lost) records it now,
  // and the step is reached on the next pass (the decision before the act, as above).
  if (!recordedReady && d.next.release?.readyAt === undefined && exactlyReady(d, idle, replicas, rev)) {
    d.next.release = { ...release, readyAt: d.nowIso };
    wake(d, d.obs.now);
  }
  const justReached = reachedAt === undefined && exact;
  if (reachedAt === undefined && !exact) {
    d.activeSelectsBoth = routed ? false : both;
    // While the next step's pods come up the route keeps at most the previous step's weight
    // (those pods stay ready: a scale-up removes none), so the weight never flaps down and up.
    const previous = index > 0 ? steps[index - 1]!.weight : 0;
    if (routed && d.route?.ok) d.routeWeight = Math.min(Math.floor(d.route.canaryShare), previous);
    const have = d.obs.colors[idle].readyEndpoints;
    setPhase(
      d,
      'Progressing',
      REASONS.canaryScaling,
      `${label}: waiting for exactly ${replicas} ready endpoints of ${idle} (have ${have}) and ${d.spec.replicas} of ${active} (have ${d.obs.colors[active].readyEndpoints})`,
    );
    if (problem !== undefined) degrade(d, REASONS.httpRouteNotUsable, `${label}: ${problem}; nothing written to it`);
    statusFor(d, idle, active, index, replicas);
    return idle;
  }
  // Re-widen (after someone narrowed the Service by hand) only onto exactly ready pods; routed,
  // the Service never widens and the route carries the step's weight.
  d.activeSelectsBoth = routed ? false : both || exact;
  if (routed) d.routeWeight = step.weight;
  if (justReached) {
    reachedAt = d.nowIso;
    const share = roundedShare(replicas, d.spec.replicas);
    d.events.push({
      type: 'Normal',
      reason: REASONS.canaryStepReached,
      message: routed
        ? `${label}: HTTPRoute ${d.spec.canaryHttpRoute} sends ${step.weight}% of requests to ${idle} (${replicas} ready pods)`
        : `${label}: ${idle} runs ${replicas} of ${replicas + d.spec.replicas} ready endpoints (${share}%)`,
    });
  }
  const reachedMs = Date.parse(reachedAt!);
  let done = true;
  setPhase(d, 'Progressing', REASONS.canaryStepReached, `${label}: ${idle} receives live traffic`);

  if (step.analysis) {
    if (justReached) {
      // The selector widens in this pass: measure from the next one, once live traffic flows.
      done = false;
      wake(d, d.obs.now);
    } else {
      const a = analyse(d, {
        template: step.analysis,
        stage: 'Canary',
        color: idle,
        revision: rev,
        startedAtMs: reachedMs,
        priorRun: d.prev.analysis,
      });
      recordStep(d, a);
      if (a.run.phase === 'Running') {
        done = false;
        setPhase(d, 'Analyzing', REASONS.analysisRunning, `${label}: analysis of ${idle}: ${a.run.message ?? ''}`);
      } else if (a.run.phase !== 'Successful') {
        const reason = a.run.phase === 'Failed' ? REASONS.analysisFailed : REASONS.analysisInconclusive;
        const why = `analysis ${a.run.phase.toLowerCase()}: ${a.run.message ?? ''}`;
        return abortCanary(d, active, idle, index, reason, why);
      } else if (a.concluded) {
        d.events.push({ type: 'Normal', reason: REASONS.analysisPassed, message: `${label}: ${a.run.message ?? ''}` });
      }
    }
  }
  if (step.pauseMs === 'untilPromoted') {
    done = false;
    if (d.phase !== 'Analyzing')
      setPhase(d, 'AwaitingPromotion', REASONS.canaryPaused, `${label}: paused; ${promoteHint(d, idle)}`);
  } else if (step.pauseMs !== undefined && d.obs.now < reachedMs + step.pauseMs) {
    done = false;
    wake(d, reachedMs + step.pauseMs);
    if (d.phase !== 'Analyzing')
      setPhase(
        d,
        'Progressing',
        REASONS.canaryPaused,
        `${label}: paused until ${new Date(reachedMs + step.pauseMs).toISOString()}`,
      );
  }
  if (!done) {
    statusFor(d, idle, active, index, replicas, reachedAt);
    return idle;
  }
  // Step complete: the next one is scaled for on the next pass (one traffic change per pass).
  const next = index + 1;
  setPhase(d, 'Progressing', REASONS.canaryStepReached, `${label} completed`);
  statusFor(d, idle, active, next, replicas, next >= total ? d.nowIso : undefined);
  if (next >= total)
    d.events.push({
      type: 'Normal',
      reason: REASONS.canaryCompleted,
      message: `${total} canary steps of ${rev} completed`,
    });
  wake(d, d.obs.now);
  return idle;
}

/**
 * Every step completed: the blue-green switch as without canary steps (promotion.auto and its
 * delay counted from the last step, or spec.activeColor), with the Service kept on both colours
 * until the canary colour runs spec.replicas ready pods.
 */
function finishCanary(
  d: Draft,
  active: Color,
  idle: Color,
  release: ReleaseStatus,
  prior: CanaryStatus | undefined,
): Color | undefined {
  const steps = d.spec.canarySteps!;
  const routed = routedMode(d);
  const lastWeight = steps.at(-1)!.weight;
  const lastReplicas = routed
    ? routedCanaryReplicas(lastWeight, d.spec.replicas)
    : canaryReplicasFor(lastWeight, d.spec.replicas);
  const doneAt = prior?.stepReachedAt ?? d.nowIso;
  // Routed, the last step's weight holds until the switch (route-weight.ts resets it after).
  const both = canaryServes(d);
  d.activeSelectsBoth = bothSelected(d);
  if (routed) d.routeWeight = 'hold';
  ensureDeployment(d, active, d.spec.replicas, false);
  const promoteAt = Date.parse(doneAt) + d.spec.promotionDelayMs;
  const auto = d.spec.autoPromotion && d.bgs.spec.activeColor === undefined;
  if (!auto || d.obs.now < promoteAt) {
    ensureDeployment(d, idle, lastReplicas, !both);
    statusFor(d, idle, active, steps.length, lastReplicas, doneAt);
    if (auto) {
      wake(d, promoteAt);
      setPhase(
        d,
        'AwaitingPromotion',
        REASONS.promotionDelay,
        `promoting ${idle} at ${new Date(promoteAt).toISOString()}`,
      );
    } else
      setPhase(
        d,
        'AwaitingPromotion',
        REASONS.awaitingPromotion,
        `canary steps of ${idle} completed; ${promoteHint(d, idle)}`,
      );
    return idle;
  }
  ensureDeployment(d, idle, d.spec.replicas, !both);
  statusFor(d, idle, active, steps.length, d.spec.replicas, doneAt);
  if (colorReady(d.obs, idle, d.spec.replicas, d.desiredRevision)) {
    switchActive(d, active, idle, REASONS.autoPromotion);
    d.activeSelectsBoth = false;
    startPostPromotion(d, idle);
    return idle;
  }
  setPhase(
    d,
    'Promoting',
    REASONS.waitingForTarget,
    `scaling ${idle} to ${d.spec.replicas} before the switch (have ${d.obs.colors[idle].readyEndpoints} ready)`,
  );
  release.promotingSince ??= d.nowIso;
  return idle;
}
