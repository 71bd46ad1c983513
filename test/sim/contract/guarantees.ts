// The user contract of docs/api.md as checks on the operator's writes, one small named function
// per promise. Each reads only what a user can observe (views before and after the write, the
// history of traffic and verdicts, the Prometheus answers, the spec as the operator read it) and
// never asks the planner. Relaxations are listed in docs/adr/0023-contract-oracle.md; each has a
// planted row in guarantees.test.ts.
import type { Color } from '../../../operator/src/api/constants.ts';
import type { BlueGreenService, BlueGreenServiceStatus } from '../../../operator/src/api/types.ts';
import type { Answer, WriteRecord } from '../cluster.ts';
import type { History } from './history.ts';
import type { TrafficMove } from './traffic-move.ts';
import {
  abortedOn,
  activeColor,
  activeSelectsBoth,
  deploymentName,
  describeReadiness,
  fullyReady,
  otherColor,
  previewColor,
  readiness,
  replicasOf,
  revisionOfColor,
  routeShare,
  servingColors,
  type View,
} from './view.ts';

export interface WriteCheck {
  write: WriteRecord;
  before: View;
  after: View;
  move: TrafficMove;
  /** The spec as the operator read it for this pass (its cache lags the user, by design). */
  spec: BlueGreenService['spec'] | undefined;
  history: History;
  answers: readonly Answer[];
  /** The object's status as stored when the write was judged (what a controller could read). */
  status: BlueGreenServiceStatus | undefined;
}

export interface Guarantee {
  id: string;
  /** The promise, in docs/api.md's words. */
  promise: string;
  judge(c: WriteCheck): string | undefined;
}

/** docs/api.md: spec.replicas 0 means the active colour runs no pods, so a switch then waits for none. */
const wantedReplicas = (c: WriteCheck) => c.spec?.replicas ?? 1;
const pinned = (c: WriteCheck) => c.spec?.activeColor;
const isDeployment = (c: WriteCheck) => c.write.kind === 'Deployment';
const colorOfDeployment = (c: WriteCheck): Color | undefined =>
  (['blue', 'green'] as const).find((col) => deploymentName(c.after, col) === c.write.name);

/** The colour that served alone before a canary (the stable one), or the one serving now. */
function stableColor(c: WriteCheck, v: View): Color | undefined {
  return activeColor(v) ?? (activeSelectsBoth(v) ? c.history.live?.color : undefined);
}

/** Narrowing onto the stable colour because the canary was aborted (by a verdict recorded in the same write, or the user's pin). */
function isAbortNarrowing(c: WriteCheck): boolean {
  const to = c.move.switchedTo;
  if (!c.move.narrowed || to === undefined) return false;
  const canaryRevision = revisionOfColor(c.before, otherColor(to));
  return abortedOn(c.after.services.get(c.after.activeName)) === canaryRevision || pinned(c) === to;
}

export const readyBeforeTraffic: Guarantee = {
  id: 'ready-before-traffic',
  promise:
    'Traffic (active or preview) only ever moves to a colour whose Deployment has rolled out the wanted revision and whose EndpointSlices list all wanted pods as ready.',
  judge(c) {
    const { move, after } = c;
    if (move.switchedTo) {
      const to = move.switchedTo;
      // An abort takes traffic back onto the colour that served all along: getting away from the canary comes first.
      if (isAbortNarrowing(c) && readiness(after, to).ready >= 1) return undefined;
      // spec.replicas 0: the user asked the active colour to run no pods; no capacity is promised.
      const zero = wantedReplicas(c) === 0;
      if (!zero && !fullyReady(after, to, wantedReplicas(c)))
        return `switched the active Service to ${describeReadiness(after, to)}, spec.replicas ${wantedReplicas(c)}`;
    }
    if (move.widened)
      for (const col of ['blue', 'green'] as const)
        if (!fullyReady(after, col, 1))
          return `widened the active Service to both colours while ${describeReadiness(after, col)}`;
    const weighted = move.raised || (move.previewMovedTo !== undefined && routeShare(after) > 0);
    const preview = weighted ? previewColor(after) : undefined;
    if (preview && !fullyReady(after, preview, 1))
      return `gave the route's ${routeShare(after)}% to ${describeReadiness(after, preview)}`;
    // Relaxation R1: the preview Service alone carries testers, not production: one ready pod of its revision.
    const testers = move.previewMovedTo;
    if (testers && !preview && (readiness(after, testers).ready === 0 || readiness(after, testers).stale > 0))
      return `moved the preview Service to ${describeReadiness(after, testers)}`;
    return undefined;
  },
};

export const servingTemplateKept: Guarantee = {
  id: 'serving-template-kept',
  promise: "The live colour's template is never changed during a release (nor any colour that serves traffic).",
  judge(c) {
    const col = colorOfDeployment(c);
    if (!isDeployment(c) || !col || !c.write.before) return undefined;
    const from = revisionOfColor(c.before, col);
    const to = revisionOfColor(c.after, col);
    if (from === to) return undefined;
    const activeGone = !c.before.services.has(c.before.activeName);
    const live = servingColors(c.before).has(col) || (activeGone && c.history.live?.color === col);
    return live ? `rewrote ${c.write.name} from ${from} to ${to} while it served traffic` : undefined;
  },
};

export const servingCapacityKept: Guarantee = {
  id: 'serving-capacity-kept',
  promise:
    'A colour that serves traffic is never scaled to 0, and the stable colour is never scaled below spec.replicas while it serves.',
  judge(c) {
    const col = colorOfDeployment(c);
    if (!isDeployment(c) || !col || !c.write.before) return undefined;
    const from = replicasOf(c.before, col);
    const to = replicasOf(c.after, col);
    if (to >= from || !servingColors(c.before).has(col)) return undefined;
    const wanted = c.spec?.replicas ?? 1;
    // spec.replicas 0: the user asked the active colour to run no pods (docs/api.md).
    if (to === 0 && !(wanted === 0 && stableColor(c, c.before) === col))
      return `scaled ${c.write.name} from ${from} to 0 while it served traffic`;
    if (stableColor(c, c.before) === col && to < wanted)
      return `scaled the stable colour ${c.write.name} from ${from} to ${to} (spec.replicas ${wanted}) while it served traffic`;
    return undefined;
  },
};

export const rollbackKeptWhileLiveShort: Guarantee = {
  id: 'rollback-kept-while-live-short',
  promise: 'The previous colour is never scaled down while the live colour is short of ready endpoints.',
  judge(c) {
    const col = colorOfDeployment(c);
    const live = activeColor(c.before);
    if (!isDeployment(c) || !col || !c.write.before || live === undefined || col === live) return undefined;
    if (replicasOf(c.after, col) !== 0 || replicasOf(c.before, col) === 0 || readiness(c.before, col).ready === 0)
      return undefined;
    const liveReady = readiness(c.before, live).ready;
    const wanted = c.spec?.replicas ?? 1;
    return liveReady < wanted
      ? `scaled ${c.write.name} to 0 while live ${live} has ${liveReady}/${wanted} ready pods`
      : undefined;
  },
};

export const liveRecreatedAtItsRevision: Guarantee = {
  id: 'live-recreated-at-its-revision',
  promise:
    'A deleted live Deployment is re-created with the revision it ran, never with the newest template while that release is unpromoted.',
  judge(c) {
    const col = colorOfDeployment(c);
    const live = c.history.live;
    if (!isDeployment(c) || !col || c.write.before || live?.color !== col) return undefined;
    // Relaxation R5: with the active Service gone too, only status can still say the colour is
    // live; with status lost as well nothing a controller reads knows what served.
    const recorded = c.status?.activeColor === col && c.status.colors?.[col]?.revision !== undefined;
    const stillLive = activeColor(c.before) === col || (!c.before.services.has(c.before.activeName) && recorded);
    const revision = revisionOfColor(c.after, col);
    return stillLive && revision !== live.revision
      ? `re-created live ${c.write.name} at ${revision}; it served ${live.revision}`
      : undefined;
  },
};
