// After the last canary step: the blue-green switch as without canary steps (promotion.auto
// and its delay counted from the last step, or spec.activeColor). The last step's share holds
// until the switch: the canary colour is scaled to spec.replicas while it still receives its
// share, and the active Service moves to it alone once every pod is ready.
import { type Color, REASONS } from '../api/constants.ts';
import type { CanaryStatus, ReleaseStatus } from '../api/types.ts';
import { ensureDeployment, setPhase, switchActive, wake, type Draft } from './draft.ts';
import { recordCanary } from './canary-status.ts';
import { colorReady } from './observe.ts';
import { promoteHint, startPostPromotion } from './promotion.ts';
import { canaryServes } from './traffic.ts';

interface Finish {
  active: Color;
  idle: Color;
  doneAt: string;
  /** The canary colour receives live traffic: its template is not rewritten. */
  serving: boolean;
}

export function finishCanary(
  d: Draft,
  active: Color,
  idle: Color,
  release: ReleaseStatus,
  prior: CanaryStatus | undefined,
): Color {
  const f: Finish = { active, idle, doneAt: prior?.stepReachedAt ?? d.nowIso, serving: canaryServes(d) };
  d.traffic = { kind: 'hold' };
  ensureDeployment(d, active, d.spec.replicas, false);
  const promoteAt = Date.parse(f.doneAt) + d.spec.promotionDelayMs;
  const auto = d.spec.autoPromotion && d.bgs.spec.activeColor === undefined;
  if (auto && d.obs.now >= promoteAt) return promoteCanary(d, f, release);
  const steps = d.spec.canarySteps!;
  const lastReplicas = d.router.canaryReplicas(steps.at(-1)!.weight, d.spec.replicas);
  ensureDeployment(d, idle, lastReplicas, !f.serving);
  recordCanary(d, f, steps.length, lastReplicas, f.doneAt);
  if (auto) {
    wake(d, promoteAt);
    setPhase(
      d,
      'AwaitingPromotion',
      REASONS.promotionDelay,
      `promoting ${idle} at ${new Date(promoteAt).toISOString()}`,
    );
  } else {
    const message = `canary steps of ${idle} completed; ${promoteHint(d, idle)}`;
    setPhase(d, 'AwaitingPromotion', REASONS.awaitingPromotion, message);
  }
  return idle;
}

/** Promotion due: the canary colour to spec.replicas, then the switch once every pod is ready. */
function promoteCanary(d: Draft, f: Finish, release: ReleaseStatus): Color {
  ensureDeployment(d, f.idle, d.spec.replicas, !f.serving);
  recordCanary(d, f, d.spec.canarySteps!.length, d.spec.replicas, f.doneAt);
  if (colorReady(d.obs, f.idle, d.spec.replicas, d.desiredRevision)) {
    switchActive(d, f.active, f.idle, REASONS.autoPromotion);
    startPostPromotion(d, f.idle);
    return f.idle;
  }
  const have = d.obs.colors[f.idle].readyEndpoints;
  const message = `scaling ${f.idle} to ${d.spec.replicas} before the switch (have ${have} ready)`;
  setPhase(d, 'Promoting', REASONS.waitingForTarget, message);
  release.promotingSince ??= d.nowIso;
  return f.idle;
}
