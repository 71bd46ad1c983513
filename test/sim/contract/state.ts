// Promises about the state after a step (not about one write): a canary recorded as aborted in
// status has its traffic back on the stable colour once the operator had a whole turn, unless the
// stable colour has no ready pod to take it.
import type { BlueGreenServiceStatus } from '../../../operator/src/api/types.ts';
import type { History } from './history.ts';
import { activeSelectsBoth, previewColor, readiness, routeShare, type View } from './view.ts';

export const STATE_GUARANTEES = ['abort-takes-traffic-back', 'step-completes-while-serving'] as const;

/**
 * A canary step completes (status moves to the next step) only while the canary serves: a step
 * that exposed nothing observed nothing (docs/api.md, canary steps).
 */
export function judgeStepCompletion(
  v: View,
  before: BlueGreenServiceStatus | undefined,
  after: BlueGreenServiceStatus | undefined,
): string | undefined {
  const was = before?.canary;
  const now = after?.canary;
  if (!was || !now || now.aborted || was.revision !== now.revision) return undefined;
  if (now.currentStepIndex <= was.currentStepIndex) return undefined;
  const ready = readiness(v, now.color).ready;
  return ready === 0
    ? `[step-completes-while-serving] canary step ${was.currentStepIndex + 1} of ${now.revision} completed while ${now.color} had no ready pod`
    : undefined;
}

export function judgeState(
  v: View,
  status: BlueGreenServiceStatus | undefined,
  history: History,
  reconciled: boolean,
): string[] {
  const canary = status?.canary;
  if (!reconciled || !canary?.aborted || canary.revision !== history.template.revision) return [];
  const stable = status?.activeColor;
  if (!stable || readiness(v, stable).ready === 0) return [];
  const out: string[] = [];
  if (activeSelectsBoth(v))
    out.push(
      `[abort-takes-traffic-back] canary of ${canary.revision} recorded aborted while ${v.activeName} selects both colours`,
    );
  // Relaxation R9: a route the operator cannot write (a third backend, a 403) keeps its weight;
  // status must then say so (Degraded, HTTPRouteNotUsable).
  const unusable = status?.conditions?.some((c) => c.type === 'Degraded' && c.reason === 'HTTPRouteNotUsable');
  if (routeShare(v) > 0 && previewColor(v) !== stable && !unusable)
    out.push(
      `[abort-takes-traffic-back] canary of ${canary.revision} recorded aborted while the route sends the preview ${routeShare(v)}%`,
    );
  return out;
}
