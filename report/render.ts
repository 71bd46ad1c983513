// Report model -> one self-contained HTML page: uPlot's JS and CSS, the page script and the
// model are all inlined, so the file opens from a CI artefact, a ticket attachment or an
// air-gapped laptop with no network at all. PURE (the assets are passed in): see assets.ts.
import type { ReportModel } from './model.ts';

export interface ReportAssets {
  uplotJs: string;
  uplotCss: string;
  uplotLicense: string;
  pageJs: string;
}

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
/** Text inside <script> must not close the element early. */
const scriptSafe = (js: string) => js.replace(/<\/(script)/gi, '<\\/$1');
/** JSON in a <script type="application/json">: `<` escaped, so no "</script>" or "<!--" in it. */
const jsonSafe = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
const fmt = (n: number | null, unit = '') => (n === null ? '–' : `${n}${unit}`);

function clock(startedAt: string, t: number): string {
  return new Date(Date.parse(startedAt) + t * 1000).toISOString().slice(11, 23);
}

function summary(m: ReportModel): string {
  const s = m.summary;
  const colours = Object.entries(s.byColor)
    .map(([c, n]) => `${esc(c)} ${n}`)
    .join(', ');
  const rows: [string, string][] = [
    ['target', esc(m.target)],
    ['started', `${esc(m.startedAt)} · ${m.durationSeconds} s of load`],
    ['requests', `${s.requests} sent, ${s.failed} failed (${s.errorRatePct} %), p99 ${fmt(s.p99Ms, ' ms')}`],
    [`answered by (${esc(m.colorHeader)})`, colours || 'no response carried the header'],
    [
      'release',
      `${s.switches} switch(es), ${s.rollbacks} rollback(s), ${s.analysisRounds} analysis round(s); ends ${esc(s.finalPhase)} on ${esc(s.finalActive)}`,
    ],
    ...Object.entries(s.colorsAtEnd).map(([c, what]): [string, string] => [`${esc(c)} at the end`, esc(what)]),
  ];
  return `<table class="summary">${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
}

function markerTable(m: ReportModel): string {
  if (m.markers.length === 0) return '<p>No status change or Event of the BlueGreenService during the recording.</p>';
  const rows = m.markers
    .map(
      (k) =>
        `<tr class="k-${k.kind}"><td>+${k.t.toFixed(1)} s</td><td>${clock(m.startedAt, k.t)}</td><td><span class="dot"></span>${k.kind}</td><td>${esc(k.detail)}</td><td>${k.source}</td></tr>`,
    )
    .join('');
  const outside =
    m.outside > 0 ? `<p>${m.outside} earlier or later moment(s) outside the recorded window are not shown.</p>` : '';
  return `<table class="markers"><tr><th>t</th><th>UTC</th><th>what</th><th>detail</th><th>from</th></tr>${rows}</table>${outside}`;
}

const CSS = `body{font-family:system-ui,sans-serif;margin:24px;color:#212529;max-width:1200px}
h1{font-size:1.4em}h2{font-size:1.1em;margin:24px 0 4px}
table{border-collapse:collapse;font-size:.9em}td,th{padding:3px 10px;border-bottom:1px solid #dee2e6;text-align:left;vertical-align:top}
.summary th{color:#495057;font-weight:600}.markers td:nth-child(-n+3){white-space:nowrap}.chart{width:100%;min-height:300px}
.dot{display:inline-block;width:10px;height:10px;border-radius:5px;margin-right:6px;background:#000}
.k-release .dot{background:#495057}.k-preview-ready .dot{background:#0c8599}.k-analysis-round .dot{background:#f08c00}
.k-analysis-verdict .dot{background:#e67700}.k-switch .dot{background:#2f9e44}.k-rollback .dot{background:#c92a2a}
.k-scaled-down .dot{background:#868e96}.k-warning .dot{background:#e03131}.k-rollback td,.k-warning td{color:#c92a2a}`;

export function renderReportHtml(model: ReportModel, assets: ReportAssets): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${esc(model.title)}</title>
<!-- Charts: uPlot, inlined under its licence:
${esc(assets.uplotLicense.trim())}
-->
<style>${assets.uplotCss}
${CSS}</style></head>
<body>
<h1>${esc(model.title)}</h1>
${summary(model)}
<noscript><p>The charts need JavaScript; the table of moments below does not.</p></noscript>
<h2>Responses per second by colour</h2><div class="chart" id="chart-rps"></div>
<h2>Error rate (failed requests: no answer, timeout or status ≥ 400)</h2><div class="chart" id="chart-errors"></div>
<h2>p99 latency of successful requests</h2><div class="chart" id="chart-latency"></div>
<h2>Moments of the release</h2>
${markerTable(model)}
<script type="application/json" id="report-model">${jsonSafe(model)}</script>
<script>${scriptSafe(assets.uplotJs)}</script>
<script>${scriptSafe(assets.pageJs)}</script>
</body></html>
`;
}
