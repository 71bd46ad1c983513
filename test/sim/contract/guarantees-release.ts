// The promises about who decides a release: the analysis, promotion.auto, and the user's pin.
// Same shape as guarantees.ts: each reads the views, the history and the answers, never the planner.
import type { Color } from '../../../operator/src/api/constants.ts';
import type { Guarantee, WriteCheck } from './guarantees.ts';
import { promotedColor } from './traffic-move.ts';
import { deploymentName, revisionOfColor, routeShare } from './view.ts';

/** Good answers of `stage` for the pods `color` runs now at `revision`, measured since they came up and since the user set this template. */
export function goodAnswers(c: WriteCheck, stage: 'pre' | 'canary', color: Color, revision: string): number {
  const since = c.history.measuredSince(deploymentName(c.after, color));
  return c.answers.filter(
    (a) => a.stage === stage && a.color === color && a.revision === revision && a.step >= since && a.answer === 'good',
  ).length;
}

/** Good canary answers a release needs before its switch: every step's analysis passed. */
function canaryAnswersNeeded(c: WriteCheck): number {
  const steps = c.spec?.canary?.steps ?? [];
  return steps.reduce((n, s) => n + (s.analysis ? (s.analysis.count ?? 3) : 0), 0);
}

/** The move hands traffic back to what served just before (restoring a deleted Service, narrowing onto the stable colour). */
function backToLive(c: WriteCheck, to: Color, revision: string | undefined): boolean {
  const live = c.history.live;
  return live?.color === to && live.revision === revision && (c.move.recreated || c.move.narrowed);
}

/**
 * A first deploy: nothing served yet, or (relaxation R5) the active Service re-created while status
 * records no live colour — nothing a controller can read says what served, the spec is all there is.
 */
function isFirstDeploy(c: WriteCheck): boolean {
  return c.history.live === undefined || (c.move.recreated && c.status?.activeColor === undefined);
}

/** A switch from the live colour back to the one live just before it. */
function isRollback(c: WriteCheck, to: Color, revision: string | undefined): boolean {
  const prev = c.history.previous;
  return c.move.switchedTo === to && prev?.color === to && prev.revision === revision;
}

function earnedPromotion(c: WriteCheck, to: Color, revision: string): string | undefined {
  const h = c.history;
  if (h.abortedThisTemplate.has(revision))
    return `gave ${to} (${revision}) live traffic again after aborting it, with no new template since`;
  const pre = c.spec?.analysis?.prePromotion;
  const good = pre ? goodAnswers(c, 'pre', to, revision) : 0;
  if (pre && good < (pre.count ?? 3))
    return `gave ${to} (${revision}) live traffic with ${good} good pre-promotion answers, count is ${pre.count ?? 3}`;
  if (!c.move.switchedTo) return undefined;
  if (c.spec?.promotion?.auto !== true)
    return `switched to ${to} (${revision}) on its own without promotion.auto or spec.activeColor`;
  const needed = canaryAnswersNeeded(c);
  const canaryGood = needed > 0 ? goodAnswers(c, 'canary', to, revision) : 0;
  return canaryGood < needed
    ? `switched to ${to} (${revision}) with ${canaryGood} good canary step answers, its steps need ${needed}`
    : undefined;
}

export const automaticMovesEarned: Guarantee = {
  id: 'automatic-moves-earned',
  promise:
    "Unpinned, the operator gives live traffic only to the template's revision once its analysis passed (pre-promotion, then every canary step; the switch needs promotion.auto), never to a revision aborted since the template was set; or back to the colour and revision live just before (a rollback), never onto a revision that failed.",
  judge(c) {
    const to = promotedColor(c.move, c.after, c.history.live?.color);
    if (!to || c.spec?.activeColor === to || isFirstDeploy(c)) return undefined;
    const revision = revisionOfColor(c.after, to);
    if (backToLive(c, to, revision)) return undefined;
    if (isRollback(c, to, revision))
      return c.history.failed.has(revision!)
        ? `rolled back onto ${to} (${revision}), a revision that failed or was aborted and was not promoted since`
        : undefined;
    if (revision !== c.history.template.revision)
      return `gave ${to} (${revision}) live traffic on its own: neither the template (${c.history.template.revision}) nor the revision live before (${c.history.previous?.revision})`;
    return earnedPromotion(c, to, revision);
  },
};

export const pinObeyed: Guarantee = {
  id: 'pin-obeyed',
  promise:
    'spec.activeColor set pins traffic: the operator never moves live traffic elsewhere, widens or raises a canary.',
  judge(c) {
    const pin = c.spec?.activeColor;
    if (!pin) return undefined;
    const { move } = c;
    if (move.widened) return `widened the active Service to both colours while spec.activeColor pins ${pin}`;
    if (move.raised) return `raised the route's canary share while spec.activeColor pins ${pin}`;
    const to = move.switchedTo;
    if (!to || to === pin) return undefined;
    // A deleted active Service is re-created for the colour status records as live (docs/api.md).
    // Also for what served last before everything readable was lost (R5): restoring it is no move.
    const revision = revisionOfColor(c.after, to);
    const last = c.history.lastServed;
    const servedLast = last?.color === to && last.revision === revision;
    const restoring = move.recreated && (backToLive(c, to, revision) || c.status?.activeColor === to || servedLast);
    // Relaxation R6: the pinned colour runs an older revision than the template and must be
    // redeployed before it is promoted (docs/api.md): a canary on it narrows away first.
    const redeploying = move.narrowed && revisionOfColor(c.before, pin) !== c.history.template.revision;
    return restoring || redeploying
      ? undefined
      : `switched the active Service to ${to} while spec.activeColor pins ${pin}`;
  },
};

export const ownServicesOnly: Guarantee = {
  id: 'own-services-only',
  promise: 'One BlueGreenService never takes a Service another one serves.',
  judge(c) {
    if (c.write.kind !== 'Service') return undefined;
    const owner = (c.write.before as { spec?: { selector?: Record<string, string> } } | undefined)?.spec?.selector?.[
      'bluegreen.dev/service'
    ];
    return owner !== undefined && owner !== c.write.by
      ? `${c.write.by} rewrote Service ${c.write.name} that ${owner} serves`
      : undefined;
  },
};

export const canaryOnlyWhenAsked: Guarantee = {
  id: 'canary-only-when-asked',
  promise:
    'Both colours are selected, or the route written, only with spec.canary (and its trafficRouting for the route).',
  judge(c) {
    if (c.move.widened && !c.spec?.canary) return `widened ${c.after.activeName} to both colours without spec.canary`;
    // Relaxation R7: with spec.canary (or its route) removed, taking the preview's share back to 0
    // on the route status names is the clean-up, not a canary.
    const cleanup = c.write.kind === 'HTTPRoute' && routeShare(c.after) === 0;
    if (c.write.kind === 'HTTPRoute' && !c.spec?.canary?.trafficRouting && !cleanup)
      return `wrote HTTPRoute ${c.write.name} without spec.canary.trafficRouting`;
    return undefined;
  },
};
