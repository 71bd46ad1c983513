// The canary's record in status: which step of which release, the pods of each colour and the
// share achieved. It is the canary's memory across passes: a step counts as reached once
// stepReachedAt is recorded, and an aborted record is never resumed.
import type { Color } from '../api/constants.ts';
import type { CanaryStatus } from '../api/types.ts';
import type { Draft } from './draft.ts';
import { plannedShare } from './traffic.ts';

/** The canary of this release recorded in status and not aborted. */
export function canaryInFlight(d: Draft, idle: Color, revision: string): CanaryStatus | undefined {
  const c = d.prev.canary;
  return c && !c.aborted && c.revision === revision && c.color === idle ? c : undefined;
}

/**
 * Record the canary at step `index` (steps.length: every step completed) with the share the
 * routers plan for it. Call after the traffic intent of this pass is decided.
 */
export function recordCanary(
  d: Draft,
  colors: { idle: Color; active: Color },
  index: number,
  replicas: number,
  reachedAt?: string,
): CanaryStatus {
  const steps = d.spec.canarySteps ?? [];
  const canary: CanaryStatus = {
    revision: d.desiredRevision,
    color: colors.idle,
    currentStepIndex: index,
    weight: steps[Math.min(index, steps.length - 1)]?.weight ?? 0,
    canaryReplicas: replicas,
    stableReplicas: d.spec.replicas,
    achievedShare: plannedShare(d, colors.idle, colors.active),
    ...(reachedAt ? { stepReachedAt: reachedAt } : {}),
  };
  d.next.canary = canary;
  return canary;
}
