// The branches of the `get` tree, one function each. PURE: objects + `now` + Style -> nodes.
import { formatValue } from '../../../report/markers.ts';
import type { Condition } from '../../../operator/src/api/types.ts';
import type { AnalysisView } from '../model/analysis.ts';
import type { CanaryView } from '../model/canary.ts';
import type { ColorView } from '../model/colors.ts';
import { eventTime, type EventLike, type PodLike } from '../model/objects.ts';
import type { Style } from './style.ts';
import { verdict } from './style.ts';
import { age, shortDuration } from './time.ts';
import { alignColumns, type TreeNode } from './tree-lines.ts';

const leaves = (lines: string[]): TreeNode[] => lines.map((text) => ({ text }));

export function colorNodes(views: readonly ColorView[], now: number, style: Style): TreeNode[] {
  const rows = views.map((v) => [
    style.bold(v.color),
    roleText(v),
    `revision ${v.revision ?? '-'}`,
    v.wantedPods === undefined ? 'no Deployment' : `pods ${v.readyPods}/${v.wantedPods} ready`,
    `endpoints ${v.readyEndpoints ?? '-'}`,
    v.images.join(', ') || '-',
  ]);
  return alignColumns(rows).map((text, i) => ({ text, children: podNodes(views[i]!.pods, now, style) }));
}

function roleText(v: ColorView): string {
  const roles = v.roles.map((r) =>
    (r === 'canary' || r === 'stable') && v.sharePct !== undefined ? `${r} ${v.sharePct} %` : r,
  );
  return roles.join(', ');
}

function podNodes(pods: readonly PodLike[], now: number, style: Style): TreeNode[] {
  const rows = pods.map((p) => {
    const ready = p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
    const restarts = (p.status?.containerStatuses ?? []).reduce((n, c) => n + (c.restartCount ?? 0), 0);
    return [
      p.metadata.name ?? '?',
      podState(p),
      verdict(style, ready ? 'ready' : 'not ready'),
      `${restarts} restart${restarts === 1 ? '' : 's'}`,
      age(p.metadata.creationTimestamp, now),
    ];
  });
  return leaves(alignColumns(rows));
}

/** kubectl's STATUS column, abridged: Terminating, a waiting container's reason, else the phase. */
function podState(p: PodLike): string {
  if (p.metadata.deletionTimestamp) return 'Terminating';
  const waiting = p.status?.containerStatuses?.find((c) => c.state?.waiting?.reason)?.state?.waiting?.reason;
  return waiting ?? p.status?.reason ?? p.status?.phase ?? 'Unknown';
}

export function analysisNode(view: AnalysisView, now: number, style: Style): TreeNode {
  const { run } = view;
  const rounds = view.rounds.map((r) => {
    const parts = r.measurements.map(({ measurement: m, bounds }) => {
      const limits = bounds ? ` (${boundsText(bounds.min, bounds.max)})` : '';
      const why = m.phase !== 'Successful' && m.message ? `: ${m.message}` : '';
      return `${m.metric} ${formatValue(m.value)}${limits} ${verdict(style, m.phase)}${why}`;
    });
    return `round ${r.number}  ${age(r.at, now)} ago  ${parts.join('; ')}`;
  });
  const tally = `measurements: ${run.successful} successful, ${run.failed} failed, ${run.inconclusive} inconclusive`;
  const head = `analysis ${run.stage} on ${run.color} (revision ${run.revision}): ${verdict(style, run.phase)}`;
  return {
    text: head,
    children: [{ text: `${view.verdict}; ${tally}; started ${age(run.startedAt, now)} ago` }, ...leaves(rounds)],
  };
}

function boundsText(min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) return `min ${min}, max ${max}`;
  if (min !== undefined) return `min ${min}`;
  return max !== undefined ? `max ${max}` : 'no bounds';
}

export function canaryNode(view: CanaryView): TreeNode {
  const s = view.status;
  const where =
    view.step > view.steps
      ? `all ${view.steps} steps completed`
      : `step ${view.step} of ${view.steps}: weight ${s.weight} %`;
  const split = `achieved ${s.achievedShare} % (${s.canaryReplicas} canary + ${s.stableReplicas} stable pods${s.httpRoute ? `, HTTPRoute ${s.httpRoute}` : ''})`;
  const state = s.aborted ? 'ABORTED' : pauseText(view);
  return { text: ['canary', s.color, where, split, state].filter(Boolean).join('  ') };
}

function pauseText(view: CanaryView): string {
  const p = view.pause;
  switch (p.kind) {
    case 'none':
      return '';
    case 'after-reached':
      return `pause ${shortDuration(p.ms)} once reached`;
    case 'left':
      return `pause ${shortDuration(p.ms)} left`;
    case 'until-promoted':
      return 'paused until promoted';
  }
}

export function conditionNodes(conditions: readonly Condition[], now: number, style: Style): TreeNode[] {
  const rows = conditions.map((c) => [
    c.type,
    verdict(style, c.status),
    c.reason,
    `(${age(c.lastTransitionTime, now)})`,
    c.message,
  ]);
  return leaves(alignColumns(rows));
}

/** The newest `limit` Events, oldest first, as `kubectl describe` lists them. */
export function eventNodes(events: readonly EventLike[], limit: number, now: number, style: Style): TreeNode[] {
  const sorted = [...events].sort((a, b) => (eventTime(a) ?? '').localeCompare(eventTime(b) ?? ''));
  const rows = sorted
    .slice(-limit)
    .map((e) => [
      age(eventTime(e), now),
      e.type === 'Warning' ? style.warn('Warning') : (e.type ?? ''),
      e.reason ?? '',
      `${e.message ?? ''}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`,
    ]);
  return leaves(alignColumns(rows));
}
