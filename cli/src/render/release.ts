// `kubectl bluegreen get NAME`: one BlueGreenService as a tree — each colour with its pods, the
// analysis run round by round, the canary step, conditions and the last Events. PURE: a function
// of the objects read at one moment and of `now`, so `get -w` redraws by calling it again and
// the golden tests pin its text (render/release.test.ts).
import { analysisView } from '../model/analysis.ts';
import { canaryView } from '../model/canary.ts';
import { colorViews } from '../model/colors.ts';
import type { ReleaseSnapshot } from '../model/objects.ts';
import { analysisNode, canaryNode, colorNodes, conditionNodes, eventNodes } from './release-parts.ts';
import type { Style } from './style.ts';
import { verdict } from './style.ts';
import { age } from './time.ts';
import { drawTree, type TreeNode } from './tree-lines.ts';

/** How many of the newest Events the tree shows (`kubectl describe` shows them all; `history` does too). */
export const EVENTS_SHOWN = 8;

export function renderRelease(snap: ReleaseSnapshot, now: number, style: Style): string {
  const { bgs } = snap;
  const s = bgs.status ?? {};
  const meta = bgs.metadata;
  const lines = [
    `${style.bold(`bluegreenservice/${meta.name}`)} in ${meta.namespace}  age ${age(meta.creationTimestamp, now)}`,
    `phase      ${verdict(style, s.phase ?? 'Unknown')}${s.message ? `: ${s.message}` : ''}`,
    `traffic    active ${s.activeColor ?? '-'}, preview ${s.previewColor ?? '-'}, ready ${s.ready ?? '-'}, ` +
      `spec.activeColor ${bgs.spec.activeColor ?? 'unset (the operator decides)'}`,
    `revisions  stable ${s.stableRevision ?? '-'}, update ${s.updateRevision ?? '-'}` +
      (s.abortedRevision ? `, aborted ${style.bad(s.abortedRevision)}` : ''),
    ...(s.lastSwitchTime ? [`switched   ${age(s.lastSwitchTime, now)} ago (${s.lastSwitchReason ?? '?'})`] : []),
    generationLine(meta.generation, s.observedGeneration),
  ];
  const children: TreeNode[] = [...colorNodes(colorViews(bgs, snap.deployments, snap.pods), now, style)];
  const analysis = analysisView(bgs);
  if (analysis) children.push(analysisNode(analysis, now, style));
  const canary = canaryView(bgs, now);
  if (canary) children.push(canaryNode(canary));
  if (s.conditions?.length) children.push({ text: 'conditions', children: conditionNodes(s.conditions, now, style) });
  const shown = Math.min(EVENTS_SHOWN, snap.events.length);
  children.push({
    text: snap.events.length === 0 ? 'events: none kept' : `events (newest ${shown} of ${snap.events.length})`,
    children: eventNodes(snap.events, EVENTS_SHOWN, now, style),
  });
  return [...lines.filter((l) => l !== ''), '', ...drawTree({ text: `bgs/${meta.name}`, children }), ''].join('\n');
}

/** Said only when the operator has not caught up with the newest spec (a fresh edit, or no operator running). */
function generationLine(generation: number | undefined, observed: number | undefined): string {
  if (generation === undefined || observed === generation) return '';
  return `note       spec generation ${generation} is not observed yet (status is of ${observed ?? 'none'}): is the operator running?`;
}
