// What follows a promotion: the post-promotion analysis of the colour just switched to, and the
// hint every "awaiting promotion" message gives (the user's one lever: spec.activeColor, ADR 0004).
import { type Color, REASONS } from '../api/constants.ts';
import { analyse, setPhase, wake, type Draft } from './draft.ts';

/** How to promote `color` by hand: the one-field edit, ready to paste. */
export function promoteHint(d: Draft, color: Color): string {
  return `promote with: kubectl patch bgs ${d.bgs.metadata.name} --type merge -p '{"spec":{"activeColor":"${color}"}}'`;
}

/** After a switch to the desired revision: begin post-promotion analysis, if any. */
export function startPostPromotion(d: Draft, color: Color): void {
  d.next.release = undefined;
  d.next.canary = undefined;
  if (!d.spec.postPromotion) {
    setPhase(d, 'Healthy', REASONS.steady, `${color} serves revision ${d.desiredRevision}`);
    return;
  }
  // A new run from the switch: no earlier run continues, no round was taken for it yet.
  const step = analyse(d, {
    template: d.spec.postPromotion,
    stage: 'PostPromotion',
    color,
    revision: d.desiredRevision,
    startedAtMs: d.obs.now,
    priorRun: undefined,
    taken: undefined,
  });
  d.next.analysis = step.run;
  if (step.wakeAt !== undefined) wake(d, step.wakeAt);
  else wake(d, d.obs.now); // due at once: measure on the next pass, after the switch is written
  setPhase(d, 'Verifying', REASONS.verifying, `post-promotion analysis of ${color} started`);
}
