// What promote, rollback and abort set, and when they refuse. Each is one value of
// spec.activeColor, the user's lever (ADR 0004, docs/api.md): the plugin adds safety checks a
// `kubectl edit` lacks, and says what the operator will do next. PURE.
import type { Color } from '../../../operator/src/api/constants.ts';
import { CliError, EXIT } from '../exit.ts';
import type { FieldChange } from './apply-plan.ts';
import { canaryInFlight, stableColor } from './colors.ts';
import type { BlueGreenService } from './objects.ts';

export type Decision =
  { kind: 'set'; changes: FieldChange[]; summary: string; notes: string[] } | { kind: 'noop'; message: string };

export function activeColorChange(color: Color): FieldChange {
  return { path: ['spec', 'activeColor'], fragment: { spec: { activeColor: color } } };
}

/** Refusals that --force may override collect here; they become notes when forced. */
class Checks {
  readonly notes: string[] = [];
  readonly #force: boolean;
  constructor(force: boolean) {
    this.#force = force;
  }
  /** A check --force cannot override: the lever would mean something else than asked. */
  never(reason: string): never {
    throw new CliError(EXIT.refused, reason);
  }
  unlessForced(reason: string): void {
    if (!this.#force) throw new CliError(EXIT.refused, `${reason} (--force does it anyway)`);
    this.notes.push(`forced past: ${reason}`);
  }
}

const PINNED =
  'spec.activeColor stays set: the next release waits for a promote, and a failed post-promotion analysis is reported, not rolled back';

function statusOf(bgs: BlueGreenService, checks: Checks) {
  const s = bgs.status;
  if (!s?.activeColor)
    checks.never(`bgs/${bgs.metadata.name} has no status yet: the operator has not reconciled it (is it running?)`);
  return { ...s, activeColor: s.activeColor };
}

export function decidePromote(bgs: BlueGreenService, force: boolean): Decision {
  const checks = new Checks(force);
  const s = statusOf(bgs, checks);
  // The preview colour; before the preview is ready, the colour the release is deployed to.
  const releasing = s.release?.color !== s.activeColor ? s.release?.color : undefined;
  const target = s.previewColor !== undefined && s.previewColor !== s.activeColor ? s.previewColor : releasing;
  if (target === undefined) {
    if (bgs.spec.activeColor === s.activeColor)
      return { kind: 'noop', message: `already promoted: ${s.activeColor} serves` };
    return checks.never(`nothing to promote: no release in flight (${s.activeColor} is active and previewed)`);
  }
  if (bgs.spec.activeColor === target)
    return {
      kind: 'noop',
      message: `spec.activeColor is already ${target}: the switch waits for every ${target} endpoint to be ready`,
    };
  const release = s.release?.color === target ? s.release : undefined;
  const revision = release?.revision ?? s.colors?.[target]?.revision ?? '?';
  const recorded = s.colors?.[target];
  if (!release?.readyAt)
    checks.unlessForced(
      `preview ${target} is not ready yet (${recorded?.readyEndpoints ?? 0} ready endpoints of ${recorded?.replicas ?? '?'})`,
    );
  if (s.abortedRevision !== undefined && s.abortedRevision === revision)
    checks.unlessForced(`revision ${revision} was aborted (status.abortedRevision): it failed before`);
  const a = s.analysis;
  if (a && a.color === target && a.revision === revision) {
    if (a.phase === 'Failed' || a.phase === 'Inconclusive')
      checks.unlessForced(
        `the ${a.stage} analysis of revision ${revision} is ${a.phase}: ${a.message ?? ''}`.trimEnd(),
      );
    if (a.phase === 'Running')
      checks.notes.push(`skips the rest of the ${a.stage} analysis (${a.message ?? 'running'})`);
  }
  if (canaryInFlight(bgs)) {
    const c = s.canary!;
    checks.notes.push(
      `skips the canary steps left (at step ${c.currentStepIndex + 1} of ${bgs.spec.canary?.steps.length})`,
    );
  }
  checks.notes.push(`the operator scales ${target} to spec.replicas and switches once every endpoint is ready`, PINNED);
  return {
    kind: 'set',
    changes: [activeColorChange(target)],
    summary: `promoting ${target} (revision ${revision}): spec.activeColor=${target}`,
    notes: checks.notes,
  };
}

export function decideRollback(bgs: BlueGreenService, force: boolean): Decision {
  const checks = new Checks(force);
  const s = statusOf(bgs, checks);
  const target = s.previousColor !== s.activeColor ? s.previousColor : undefined;
  if (target === undefined) return checks.never('nothing to roll back to: status records no previous colour');
  if (bgs.spec.activeColor === target)
    return { kind: 'noop', message: `spec.activeColor is already ${target}: the switch back waits for its endpoints` };
  if (s.release?.color === target && s.activeColor !== target)
    checks.never(
      `${target} runs the release in flight (revision ${s.release.revision}): rolling back to it would promote it ` +
        `unchecked; use promote (it checks the analysis) or abort`,
    );
  const recorded = s.colors?.[target];
  if (recorded?.replicas === 0)
    checks.notes.push(
      `${target} runs no pods (scaleDownDelaySeconds passed): the operator scales it up first, then switches`,
    );
  else checks.notes.push(`${target} still runs: the switch back is one selector patch`);
  checks.notes.push(PINNED);
  return {
    kind: 'set',
    changes: [activeColorChange(target)],
    summary: `rolling back to ${target} (revision ${recorded?.revision ?? '?'}): spec.activeColor=${target}`,
    notes: checks.notes,
  };
}

export function decideAbort(bgs: BlueGreenService, force: boolean): Decision {
  const checks = new Checks(force);
  const s = statusOf(bgs, checks);
  const stable = stableColor(bgs) ?? s.activeColor;
  const canary = canaryInFlight(bgs);
  const inFlight = canary || (s.previewColor !== undefined && s.previewColor !== s.activeColor);
  if (bgs.spec.activeColor === stable && inFlight)
    return { kind: 'noop', message: `spec.activeColor already pins ${stable}, the stable colour` };
  if (!inFlight) {
    const hint = s.phase === 'Verifying' ? '; the release is already switched: use rollback' : '';
    return checks.never(`nothing to abort: no release or canary in flight (phase ${s.phase ?? '?'})${hint}`);
  }
  const revision = s.release?.revision ?? s.updateRevision ?? '?';
  checks.notes.push(
    canary
      ? `the operator moves the canary's traffic back to ${stable} first, records revision ${revision} as aborted, and scales the canary down after scaleDownDelaySeconds`
      : `revision ${revision} stays deployed on ${s.previewColor} but is not promoted while spec.activeColor pins ${stable}`,
    `to hand the decision back to the operator later: kubectl patch bgs/${bgs.metadata.name} --type merge -p '{"spec":{"activeColor":null}}'`,
  );
  return {
    kind: 'set',
    changes: [activeColorChange(stable)],
    summary: `aborting revision ${revision}: spec.activeColor=${stable} (stable)`,
    notes: checks.notes,
  };
}
