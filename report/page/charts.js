/* global uPlot, document, window */
// Runs inside the report page (inlined by report/render.ts after uPlot): draws the three
// charts from the model embedded as JSON in #report-model, with a vertical line per marker.
// It computes nothing: every number comes from report/model.ts. What it drew is left on
// window.__report (the model, the uPlot instances, markers drawn per chart) so the browser
// test can check that the page shows the recording, not just that a canvas exists.
(function () {
  'use strict';
  const model = JSON.parse(document.getElementById('report-model').textContent);
  const COLORS = { blue: '#1c7ed6', green: '#2f9e44' };
  const OTHER = ['#7048e8', '#0c8599', '#e8590c', '#868e96'];
  const MARKER_COLORS = {
    release: '#495057',
    'preview-ready': '#0c8599',
    'analysis-round': '#f08c00',
    'analysis-verdict': '#e67700',
    switch: '#2f9e44',
    rollback: '#c92a2a',
    'scaled-down': '#868e96',
    warning: '#e03131',
  };
  const markersDrawn = {};

  // Draws the marker lines after the series; labels only where asked (the top chart), so the
  // lower charts stay readable when analysis rounds are many.
  function markerPlugin(id, withLabels) {
    return {
      hooks: {
        draw: [
          (u) => {
            const ctx = u.ctx;
            const { left, top, width, height } = u.bbox;
            const px = window.devicePixelRatio || 1;
            let n = 0;
            // Labels of moments drawn at (almost) the same x are moved right, one line width each,
            // so "rollback" does not print over "preview again" at the same instant.
            let lastX = -Infinity;
            let stacked = 0;
            ctx.save();
            ctx.font = `${Math.round(10 * px)}px sans-serif`;
            ctx.textAlign = 'left';
            ctx.textBaseline = 'bottom';
            for (const m of model.markers) {
              const x = Math.round(u.valToPos(m.t, 'x', true));
              if (x < left || x > left + width) continue;
              ctx.strokeStyle = MARKER_COLORS[m.kind] || '#000';
              ctx.fillStyle = ctx.strokeStyle;
              ctx.lineWidth = m.kind === 'analysis-round' ? 1 : 2;
              ctx.setLineDash(m.kind === 'analysis-round' ? [4, 4] : []);
              ctx.beginPath();
              ctx.moveTo(x, top);
              ctx.lineTo(x, top + height);
              ctx.stroke();
              if (withLabels) {
                stacked = x - lastX < 12 * px ? stacked + 1 : 0;
                lastX = x;
                ctx.save();
                ctx.translate(x + (3 + 12 * stacked) * px, top + 4 * px);
                ctx.rotate(Math.PI / 2);
                ctx.fillText(m.label, 0, 0);
                ctx.restore();
              }
              n++;
            }
            ctx.restore();
            markersDrawn[id] = n;
          },
        ],
      },
    };
  }

  function chart(id, yLabel, series, data) {
    const el = document.getElementById(id);
    return new uPlot(
      {
        width: Math.max(600, el.clientWidth || 1000),
        height: 280,
        scales: {
          x: { time: false, range: () => [0, model.windowSeconds] },
          // From 0, and never a zero-height axis when a whole series is 0 (no errors at all).
          y: { range: (_u, _min, max) => [0, max > 0 ? max * 1.1 : 1] },
        },
        axes: [{ label: 'seconds since the load started' }, { label: yLabel, size: 60 }],
        series: [{ label: 't (s)' }, ...series],
        plugins: [markerPlugin(id, id === 'chart-rps')],
      },
      [model.x, ...data],
      el,
    );
  }

  const charts = {
    rps: chart(
      'chart-rps',
      'responses / s',
      [
        { label: 'sent', stroke: '#adb5bd', dash: [6, 4], width: 1 },
        ...model.rpsByColor.map((s, i) => ({
          label: `${model.colorHeader}: ${s.color}`,
          stroke: COLORS[s.color] || OTHER[i % OTHER.length],
          width: 2,
        })),
      ],
      [model.sent, ...model.rpsByColor.map((s) => s.values)],
    ),
    errors: chart(
      'chart-errors',
      '% failed',
      [{ label: 'error rate %', stroke: '#c92a2a', fill: 'rgba(201,42,42,0.12)', width: 2 }],
      [model.errorRatePct],
    ),
    latency: chart('chart-latency', 'ms', [{ label: 'p99 ms', stroke: '#e67700', width: 2 }], [model.p99Ms]),
  };
  window.__report = { model, charts, markersDrawn };
  document.body.dataset.rendered = 'true';
})();
