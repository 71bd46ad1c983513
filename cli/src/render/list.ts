// `kubectl bluegreen list [-A]`: one line per BlueGreenService, kubectl's table style. PURE.
import { templateOf } from '../model/analysis.ts';
import { canaryInFlight } from '../model/colors.ts';
import type { BlueGreenService } from '../model/objects.ts';
import type { Style } from './style.ts';
import { verdict } from './style.ts';
import { age } from './time.ts';
import { alignColumns } from './tree-lines.ts';

export function renderList(
  items: readonly BlueGreenService[],
  allNamespaces: boolean,
  now: number,
  style: Style,
): string {
  if (items.length === 0) return 'No BlueGreenServices found.\n';
  const sorted = [...items].sort(
    (a, b) =>
      (a.metadata.namespace ?? '').localeCompare(b.metadata.namespace ?? '') ||
      (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''),
  );
  const header = ['NAME', 'ACTIVE', 'PREVIEW', 'PINNED', 'PHASE', 'READY', 'STEP', 'ANALYSIS', 'AGE'];
  const rows = sorted.map((bgs) => {
    const s = bgs.status ?? {};
    return [
      bgs.metadata.name ?? '?',
      s.activeColor ?? '-',
      s.previewColor ?? '-',
      bgs.spec.activeColor ?? '-',
      verdict(style, s.phase ?? 'Unknown'),
      s.ready ?? '-',
      stepCell(bgs),
      analysisCell(bgs),
      age(bgs.metadata.creationTimestamp, now),
    ];
  });
  const withNs = allNamespaces
    ? [['NAMESPACE', ...header], ...rows.map((r, i) => [sorted[i]!.metadata.namespace ?? '', ...r])]
    : [header, ...rows];
  return `${alignColumns(withNs).join('\n')}\n`;
}

function stepCell(bgs: BlueGreenService): string {
  const c = bgs.status?.canary;
  if (!c || !canaryInFlight(bgs)) return '-';
  return `${c.currentStepIndex + 1}/${bgs.spec.canary?.steps.length ?? '?'} ${c.achievedShare}%`;
}

function analysisCell(bgs: BlueGreenService): string {
  const a = bgs.status?.analysis;
  if (!a) return '-';
  return `${a.stage} ${a.phase} ${a.passedRounds ?? 0}/${templateOf(bgs, a)?.count ?? '?'}`;
}
