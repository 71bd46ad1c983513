// A self-contained HTML page for one run: verdicts, totals, and two inline SVG plots
// (latency percentiles per second; sent vs target rate with failures). No script, no
// network: it opens from a CI artefact or an e-mail attachment as it is.
import type { RunStats } from './engine/generator.ts';
import type { Verdict } from './thresholds.ts';

const W = 900;
const H = 260;
const PAD = { l: 56, r: 16, t: 16, b: 32 };

interface Series {
  label: string;
  color: string;
  points: [number, number][];
}

const esc = (s: string) => s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
const fmt = (n: number) => (Number.isFinite(n) ? (Math.abs(n) >= 100 ? n.toFixed(0) : n.toPrecision(3)) : '-');

function plot(title: string, yLabel: string, series: Series[], xMax: number): string {
  const ys = series.flatMap((s) => s.points.map(([, y]) => y)).filter(Number.isFinite);
  const yMax = Math.max(1e-9, ...ys) * 1.1;
  const x = (v: number) => PAD.l + (v / Math.max(1, xMax)) * (W - PAD.l - PAD.r);
  const y = (v: number) => H - PAD.b - (v / yMax) * (H - PAD.t - PAD.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * yMax);
  const grid = ticks
    .map(
      (v) =>
        `<line x1="${PAD.l}" x2="${W - PAD.r}" y1="${y(v)}" y2="${y(v)}" stroke="#ddd"/>` +
        `<text x="${PAD.l - 6}" y="${y(v) + 4}" text-anchor="end">${fmt(v)}</text>`,
    )
    .join('');
  const xTicks = Array.from({ length: 6 }, (_, i) => Math.round((i * xMax) / 5))
    .map((v) => `<text x="${x(v)}" y="${H - 10}" text-anchor="middle">${v}s</text>`)
    .join('');
  const lines = series
    .map((s) => {
      // A gap (no successful request in a second) breaks the line instead of drawing a zero.
      let d = '';
      let pen = 'M';
      for (const [px, py] of s.points) {
        if (!Number.isFinite(py)) {
          pen = 'M';
          continue;
        }
        d += `${pen}${x(px).toFixed(1)},${y(py).toFixed(1)} `;
        pen = 'L';
      }
      return `<path d="${d}" fill="none" stroke="${s.color}" stroke-width="1.5"><title>${esc(s.label)}</title></path>`;
    })
    .join('');
  const legend = series
    .map((s, i) => `<text x="${PAD.l + 10 + i * 150}" y="${PAD.t + 4}" fill="${s.color}">■ ${esc(s.label)}</text>`)
    .join('');
  return `<h2>${esc(title)}</h2><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${W} ${H}" width="${W}" height="${H}" font-size="11" font-family="sans-serif">
${grid}${xTicks}<text x="12" y="${H / 2}" transform="rotate(-90 12 ${H / 2})" text-anchor="middle">${esc(yLabel)}</text>${lines}${legend}</svg>`;
}

export function renderReport(name: string, stats: RunStats, verdicts: Verdict[]): string {
  const pass = verdicts.every((v) => v.pass);
  const t = stats.timeline;
  const xMax = Math.max(1, t.length - 1);
  const latency = plot(
    'Latency per second (successful requests, by send time)',
    'ms',
    [
      { label: 'p50', color: '#2b8a3e', points: t.map((s) => [s.second, s.p50]) },
      { label: 'p95', color: '#e67700', points: t.map((s) => [s.second, s.p95]) },
      { label: 'p99', color: '#c92a2a', points: t.map((s) => [s.second, s.p99]) },
    ],
    xMax,
  );
  const splitKeys = Object.keys(stats.split).sort();
  const palette: Record<string, string> = { blue: '#1c7ed6', green: '#2f9e44' };
  const rate = plot(
    'Requests per second',
    'req/s',
    [
      { label: 'target', color: '#868e96', points: t.map((s) => [s.second, s.targetRate]) },
      { label: 'sent', color: '#212529', points: t.map((s) => [s.second, s.sent]) },
      { label: 'failed', color: '#c92a2a', points: t.map((s) => [s.second, s.failed]) },
      ...splitKeys.map((k, i) => ({
        label: `answered by ${k}`,
        color: palette[k] ?? ['#7048e8', '#0c8599', '#e8590c'][i % 3]!,
        points: t.map((s): [number, number] => [s.second, s.split[k] ?? 0]),
      })),
    ],
    xMax,
  );
  const rows = verdicts
    .map(
      (v) =>
        `<tr class="${v.pass ? 'pass' : 'fail'}"><td>${esc(v.name)}</td><td>${esc(`${v.op} ${fmt(v.limit)}`)}</td><td>${fmt(v.actual)}</td><td>${v.pass ? 'pass' : 'FAIL'}</td></tr>`,
    )
    .join('');
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>loadtest ${esc(name)}: ${pass ? 'PASS' : 'FAIL'}</title>
<style>body{font-family:sans-serif;margin:24px;color:#212529}table{border-collapse:collapse}td,th{padding:4px 10px;border-bottom:1px solid #dee2e6;text-align:left}.pass td:last-child{color:#2b8a3e}.fail td:last-child{color:#c92a2a;font-weight:bold}</style></head><body>
<h1>loadtest <code>${esc(name)}</code>: <span class="${pass ? 'pass' : 'fail'}">${pass ? 'PASS' : 'FAIL'}</span></h1>
<p>${esc(stats.url)} · keep-alive ${stats.keepAlive ? 'on' : 'off'} · started ${esc(stats.startedAt)} · ${stats.durationSeconds} s · ${stats.requests} requests, ${stats.failed} failed</p>
<table><tr><th>threshold</th><th>limit</th><th>actual</th><th></th></tr>${rows}</table>
${latency}${rate}
<h2>Statuses and errors</h2><pre>${esc(JSON.stringify({ statuses: stats.statuses, errors: stats.errors, split: stats.split }, null, 2))}</pre>
</body></html>
`;
}
