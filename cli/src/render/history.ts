// `kubectl bluegreen history NAME`: the revisions table, then every Event kept, oldest first. PURE.
import type { History } from '../model/history.ts';
import { eventTime } from '../model/objects.ts';
import type { Style } from './style.ts';
import { age } from './time.ts';
import { alignColumns } from './tree-lines.ts';

export function renderHistory(name: string, history: History, now: number, style: Style): string {
  const header = ['REVISION', 'IMAGES', 'RELEASED', 'NOW', 'KEPT', 'WHAT HAPPENED (oldest first)'];
  const rows = history.revisions.map((r) => [
    r.revision,
    r.images.join(',') || '?',
    r.releasedAt ? `${age(r.releasedAt, now)} ago` : 'before the Events kept',
    r.now.join(', ') || '-',
    r.kept ? 'yes' : 'no',
    r.outcomes.join(' -> ') || '-',
  ]);
  const events = history.events.map((e) => [
    `${age(eventTime(e), now)} ago`,
    e.type === 'Warning' ? style.warn('Warning') : (e.type ?? ''),
    e.reason ?? '',
    `${e.message ?? ''}${(e.count ?? 1) > 1 ? ` (x${e.count})` : ''}`,
  ]);
  return [
    style.bold(`bgs/${name}: revisions`),
    ...(rows.length === 0 ? ['none recorded'] : alignColumns([header, ...rows])),
    '',
    style.bold(`Events (${history.events.length}; the API server keeps them for its --event-ttl, 1 h by default)`),
    ...(events.length === 0 ? ['none kept'] : alignColumns(events)),
    '',
  ].join('\n');
}
