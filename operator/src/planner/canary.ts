// Canary steps before the switch (docs/adr/0012, 0017): a release whose pre-promotion gate
// passed, with spec.canary and spec.activeColor unset, gives its colour a share of live traffic
// in steps, each analysed or paused, then is switched to as without steps. How a share reaches
// the canary is the chosen router's (traffic.ts); the rules here hold for every router:
//   - a step's share goes on only onto exactly ready pods (canary-step.ts);
//   - an abort (a bad step verdict, or spec.activeColor pinning the stable colour) withdraws the
//     traffic first and scales nothing; later passes scale the canary down once no router
//     carries it (canary-abort.ts, planAborted);
//   - the template of a colour that receives live traffic is never rewritten (a new template
//     waits for the traffic to be withdrawn).
import { type Color, REASONS } from '../api/constants.ts';
import type { CanaryStatus, ReleaseStatus } from '../api/types.ts';
import type { Draft } from './draft.ts';
import { abortCanary, narrowBack } from './canary-abort.ts';
import { finishCanary } from './canary-finish.ts';
import { planStep, type Step } from './canary-step.ts';
import { canaryServes } from './traffic.ts';

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
  const index = prior?.currentStepIndex ?? 0;
  if (!steps) {
    // Once no router carries the canary any more, its record ends: the release goes on as
    // blue-green from the next pass.
    if (!canaryServes(d)) d.next.canary = undefined;
    return narrowBack(d, active, idle, 'spec.canary was removed; the release continues as blue-green');
  }
  if (d.bgs.spec.activeColor === active)
    return abortCanary(d, active, idle, index, REASONS.canaryAborted, `spec.activeColor pins ${active}`);
  if (index >= steps.length) return finishCanary(d, active, idle, release, prior);
  const step = steps[index]!;
  const s: Step = {
    active,
    idle,
    release,
    index,
    total: steps.length,
    step,
    previousWeight: index > 0 ? steps[index - 1]!.weight : 0,
    label: `canary step ${index + 1}/${steps.length} (setWeight ${step.weight})`,
    replicas: d.router.canaryReplicas(step.weight, d.spec.replicas),
  };
  return planStep(d, s, prior);
}
