// Where the canary steps stand and how long the current step's pause has left. PURE: `now` is
// passed in (the tree re-renders the countdown from memory; nothing polls the API for it).
import { resolveSpec } from '../../../operator/src/api/defaults.ts';
import type { BlueGreenService, CanaryStatus } from '../../../operator/src/api/types.ts';
import { toMs } from '../render/time.ts';

export type PauseView =
  | { kind: 'none' }
  /** The step is not reached yet: the pause starts when it is. */
  | { kind: 'after-reached'; ms: number }
  | { kind: 'left'; ms: number }
  /** `pause: {}`: held until spec.activeColor names the new colour. */
  | { kind: 'until-promoted' };

export interface CanaryView {
  status: CanaryStatus;
  steps: number;
  /** 1-based; equal to steps + 1 once every step completed. */
  step: number;
  pause: PauseView;
}

export function canaryView(bgs: BlueGreenService, now: number): CanaryView | undefined {
  const status = bgs.status?.canary;
  const steps = resolveSpec(bgs).canarySteps;
  if (!status || !steps) return undefined;
  const current = steps[status.currentStepIndex];
  let pause: PauseView = { kind: 'none' };
  if (current && !status.aborted) {
    const reached = toMs(status.stepReachedAt);
    if (current.pauseMs === 'untilPromoted') pause = { kind: 'until-promoted' };
    else if (current.pauseMs !== undefined)
      pause =
        reached === undefined
          ? { kind: 'after-reached', ms: current.pauseMs }
          : { kind: 'left', ms: Math.max(0, reached + current.pauseMs - now) };
  }
  return { status, steps: steps.length, step: status.currentStepIndex + 1, pause };
}
