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
import { analyse, degrade, ensureDeployment, recordStep, setPhase, switchActive, wake, type Draft } from './draft.ts';
import { colorReady, deploymentRevision } from './observe.ts';
import { canaryServes, plannedShare, withdrawCanary } from './traffic.ts';
import { promoteHint, startPostPromotion } from './promotion.ts';

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
export function narrowBack(d: Draft, active: Color, idle: Color, why: string): undefined {
  d.traffic = { kind: 'stable' };
  ensureDeployment(d, active, d.spec.replicas, false);
  wake(d, d.obs.now);
  if (!withdrawCanary(d, idle, active)) {
    setPhase(d, 'Progressing', REASONS.canaryAborted, `${why}; waiting for a ready pod of ${active} first`);
    return undefined;
  }
  d.events.push({ type: 'Normal', reason: REASONS.canaryAborted, message: why });
  setPhase(d, 'Progressing', REASONS.canaryAborted, why);
  return undefined;
}

function statusFor(d: Draft, idle: Color, active: Color, index: number, replicas: number, reachedAt?: string) {
  const steps = d.spec.canarySteps ?? [];
  const canary: CanaryStatus = {
    revision: d.desiredRevision,
    color: idle,
    currentStepIndex: index,
    weight: steps[Math.min(index, steps.length - 1)]?.weight ?? 0,
    canaryReplicas: replicas,
    stableReplicas: d.spec.replicas,
    achievedShare: plannedShare(d, idle, active),
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
  // the stable colour has no ready pod left (then both stay, and the next passes narrow). Routed
  // (docs/adr/0017): the route's weight goes to 0 in this pass, first, and that is the switch
  // back: the failed colour stays up for scaleDownDelaySeconds from now, as after a narrowing.
  const narrowed = withdrawCanary(d, idle, active, rev);
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
    if (!canaryServes(d)) d.next.canary = undefined;
    return narrowBack(d, active, idle, 'spec.canary was removed; the release continues as blue-green');
  }
  if (d.bgs.spec.activeColor === active)
    return abortCanary(d, active, idle, index, REASONS.canaryAborted, `spec.activeColor pins ${active}`);
  if (index >= steps.length) return finishCanary(d, active, idle, release, prior);

  const step = steps[index]!;
  const total = steps.length;
  const label = `canary step ${index + 1}/${total} (setWeight ${step.weight})`;
  const replicas = d.router.canaryReplicas(step.weight, d.spec.replicas);
  // A colour that serves traffic never gets its template rewritten.
  ensureDeployment(d, idle, replicas, !canaryServes(d));
  ensureDeployment(d, active, d.spec.replicas, false);
  const stableRevision = deploymentRevision(d.obs.colors[active].deployment);
  // The router must be able to carry the share (a route naming both Services, the preview
  // Service already on the canary), else it says what is wrong and nothing is written.
  const carrier = d.router.stepReadiness(d, idle);
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
    carrier.ready &&
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
    // While the next step's pods come up the share in effect holds, at most the previous step's.
    d.traffic = { kind: 'hold', atMost: index > 0 ? steps[index - 1]!.weight : 0 };
    const have = d.obs.colors[idle].readyEndpoints;
    setPhase(
      d,
      'Progressing',
      REASONS.canaryScaling,
      `${label}: waiting for exactly ${replicas} ready endpoints of ${idle} (have ${have}) and ${d.spec.replicas} of ${active} (have ${d.obs.colors[active].readyEndpoints})`,
    );
    if (carrier.problem) degrade(d, carrier.problem.reason, `${label}: ${carrier.problem.message}`);
    statusFor(d, idle, active, index, replicas);
    return idle;
  }
  // A share no longer carried (someone narrowed the Service by hand) goes back only onto exactly
  // ready pods.
  d.traffic = { kind: 'share', weight: step.weight, widen: exact };
  if (justReached) {
    reachedAt = d.nowIso;
    d.events.push({
      type: 'Normal',
      reason: REASONS.canaryStepReached,
      message: d.router.describeStep(d, { label, canary: idle, replicas, weight: step.weight }),
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
  const lastReplicas = d.router.canaryReplicas(steps.at(-1)!.weight, d.spec.replicas);
  const doneAt = prior?.stepReachedAt ?? d.nowIso;
  // The last step's share holds until the switch (a route is reset to 0 after it).
  const both = canaryServes(d);
  d.traffic = { kind: 'hold' };
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
