// A release: the desired revision differs from what the active colour runs. It goes to the
// idle colour, behind the preview Service, through pre-promotion analysis, then (when the
// operator decides) is scaled to full size and switched to. The active colour's template is
// never touched meanwhile.
import { otherColor } from '../api/names.ts';
import { type Color, REASONS } from '../api/constants.ts';
import {
  analyse,
  checkDeadline,
  checkSwitchDeadline,
  degrade,
  ensureDeployment,
  recordStep,
  releaseFor,
  setPhase,
  switchActive,
  wake,
  type Draft,
} from './draft.ts';
import { promoteHint, startPostPromotion } from './promotion.ts';
import { narrowBack } from './canary-abort.ts';
import { canaryInFlight } from './canary-status.ts';
import { planCanary } from './canary.ts';
import { canaryServes } from './traffic.ts';
import { colorReady, colorServes, deploymentRevision } from './observe.ts';

export function planRelease(d: Draft, active: Color): Color | undefined {
  const idle = otherColor(active);
  const { spec, obs, desiredRevision: rev } = d;
  const { release, isNew, restarted } = releaseFor(d, rev, idle);
  d.next.release = release;
  if (restarted) {
    // The decision before the act: the new record reaches status before the colour is scaled
    // up again (this pass only narrows traffic off it), else a lost status write would leave
    // the old record (and its verdict) next to running pods, indistinguishable from the
    // release it names.
    const message = `revision ${rev} is released to ${idle} again: its pods went away after it was found ready; the new ones are analysed anew`;
    d.events.push({ type: 'Normal', reason: REASONS.releaseStarted, message });
    setPhase(d, 'Progressing', REASONS.waitingForPreview, message);
    ensureDeployment(d, active, spec.replicas, false);
    wake(d, d.obs.now);
    return undefined;
  }
  if (isNew) {
    const images = (d.bgs.spec.template.spec?.containers ?? []).map((c) => c.image).join(', ');
    d.events.push({
      type: 'Normal',
      reason: REASONS.releaseStarted,
      message: `deploying revision ${rev} (${images}) to ${idle}`,
    });
  }
  if (isNew) d.next.canary = undefined;
  // A canary in flight (or a Service still selecting both colours, or a route still weighing the
  // preview: docs/adr/0017) is planned on its own: its
  // colour runs the step's pods, not previewReplicas (docs/adr/0012).
  const canary = canaryInFlight(d, idle, rev);
  if (canary || canaryServes(d)) {
    // Both selected with no canary in status: status was lost after the widening (a crash
    // before the status write). The canary colour runs this revision: resume from step 1.
    // A route's weight counts as such a widening only while the preview Service selects the
    // idle colour: right after a switch it still weighs the colour just promoted, and resuming
    // then skipped the new release's pre-promotion analysis (soak seed 20261212).
    const reachesIdle = canaryServes(d, idle);
    // And only for a release that found its colour ready, or whose record was lost with the rest
    // of status: a recorded release that never found its colour ready cannot have widened (the
    // pods replacing a restarted release's would otherwise get live traffic unanalysed).
    const widened = reachesIdle && (release.readyAt !== undefined || isNew);
    if (canary || (widened && deploymentRevision(obs.colors[idle].deployment) === rev && spec.canarySteps))
      return planCanary(d, active, idle, release, canary);
    if (reachesIdle)
      return narrowBack(
        d,
        active,
        idle,
        `revision ${rev} replaces the canary of ${idle}; ${active} serves all traffic first`,
      );
    d.traffic = { kind: 'stable' };
    ensureDeployment(d, active, spec.replicas, false);
    setPhase(
      d,
      'Progressing',
      REASONS.waitingForPreview,
      `revision ${rev} goes to ${idle} once the route's weight on the preview Service is back at 0`,
    );
    wake(d, d.obs.now);
    checkDeadline(d, release, `the route still weighs the preview Service`);
    return undefined;
  }
  const operatorDecides = d.bgs.spec.activeColor === undefined;
  const autoPromote = operatorDecides && spec.autoPromotion;
  let promote = false;
  let previewColor: Color | undefined;
  // A preview found ready once stays the preview while an automatic promotion scales it up
  // (safety item 13): the scale write bumps the Deployment's generation, and until its
  // controller catches up the colour no longer looks ready, which used to undo the decision
  // and scale it back (1 -> 2 -> 1). The gates below still decide; the switch still waits for
  // full readiness, and the preview Service is left where it is until the colour serves again.
  const serves = colorServes(obs, idle, spec.previewReplicas, rev);
  const scalingUp =
    autoPromote &&
    release.readyAt !== undefined &&
    release.promotingSince !== undefined &&
    deploymentRevision(obs.colors[idle].deployment) === rev;

  if (!serves && !scalingUp) {
    const have = obs.colors[idle].readyEndpoints;
    setPhase(
      d,
      'Progressing',
      REASONS.waitingForPreview,
      `waiting for ${spec.previewReplicas} ready endpoints of ${idle} at revision ${rev} (have ${have})`,
    );
    checkDeadline(d, release, `preview ${idle} not ready`);
  } else {
    previewColor = serves ? idle : undefined;
    if (!release.readyAt) {
      release.readyAt = d.nowIso;
      d.events.push({ type: 'Normal', reason: REASONS.previewReady, message: `${idle} is ready at revision ${rev}` });
    }
    let passedAt = Date.parse(release.readyAt);
    let gateOpen = true;
    if (spec.prePromotion) {
      // A new release starts a new run: the verdict in status is an earlier release's (releaseFor).
      const step = analyse(d, {
        template: spec.prePromotion,
        stage: 'PrePromotion',
        color: idle,
        revision: rev,
        startedAtMs: Date.parse(release.readyAt),
        priorRun: isNew ? d.next.analysis : d.prev.analysis,
      });
      recordStep(d, step);
      const run = step.run;
      if (run.phase === 'Running') {
        gateOpen = false;
        setPhase(d, 'Analyzing', REASONS.analysisRunning, `pre-promotion analysis of ${idle}: ${run.message ?? ''}`);
      } else if (run.phase !== 'Successful') {
        gateOpen = false;
        const reason = run.phase === 'Failed' ? REASONS.analysisFailed : REASONS.analysisInconclusive;
        degrade(
          d,
          reason,
          `pre-promotion analysis of ${idle} ${run.phase.toLowerCase()}: ${run.message ?? ''}; not promoting`,
        );
        if (step.concluded) d.events.push({ type: 'Warning', reason, message: run.message ?? '' });
      } else {
        if (step.concluded)
          d.events.push({ type: 'Normal', reason: REASONS.analysisPassed, message: run.message ?? '' });
        passedAt = Date.parse(run.lastRoundAt ?? release.readyAt);
      }
    }
    if (gateOpen && operatorDecides && spec.canarySteps) return planCanary(d, active, idle, release, undefined);
    if (gateOpen && !autoPromote) {
      setPhase(
        d,
        'AwaitingPromotion',
        REASONS.awaitingPromotion,
        `${idle} is ready at revision ${rev}; ${promoteHint(d, idle)}`,
      );
    } else if (gateOpen) {
      const promoteAt = passedAt + spec.promotionDelayMs;
      if (d.obs.now < promoteAt) {
        setPhase(
          d,
          'AwaitingPromotion',
          REASONS.promotionDelay,
          `promoting ${idle} at ${new Date(promoteAt).toISOString()}`,
        );
        wake(d, promoteAt);
      } else {
        promote = true;
      }
    }
  }

  ensureDeployment(d, idle, promote ? spec.replicas : spec.previewReplicas, true);
  // The live colour follows spec.replicas (an HPA writes it through the scale subresource);
  // its template stays as it is until it is the idle colour again.
  ensureDeployment(d, active, spec.replicas, false);

  if (promote) {
    if (colorReady(obs, idle, spec.replicas, rev)) {
      switchActive(d, active, idle, REASONS.autoPromotion);
      startPostPromotion(d, idle);
    } else {
      setPhase(
        d,
        'Promoting',
        REASONS.waitingForTarget,
        `scaling ${idle} to ${spec.replicas} before the switch (have ${obs.colors[idle].readyEndpoints} ready)`,
      );
      checkSwitchDeadline(d, release, `promotion target ${idle} not ready`);
    }
  }
  return previewColor;
}
