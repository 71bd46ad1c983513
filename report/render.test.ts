import { describe, expect, it } from 'vitest';
import { loadReportAssets } from './assets.ts';
import { buildReportModel } from './model.ts';
import { renderReportHtml } from './render.ts';
import { syntheticRecording } from './testing/synthetic.ts';

const embeddedModel = (html: string) =>
  JSON.parse(/<script type="application\/json" id="report-model">(.*?)<\/script>/s.exec(html)![1]!) as unknown;

describe('report renderer', () => {
  it('Given a model, Then the page is self-contained: no external script, style, image or font', async () => {
    const html = renderReportHtml(buildReportModel(syntheticRecording()), await loadReportAssets());
    expect(html).not.toMatch(/<(script|link|img|iframe)\b[^>]*\b(src|href)=/i);
    expect(html).not.toMatch(/url\(\s*['"]?(https?:)?\/\//i);
    expect(html).not.toMatch(/@import/);
    expect(html).toContain('var uPlot=');
    expect(html).toContain('Copyright (c) 2022 Leon Sorokin');
  });

  it('Given a model, Then it is embedded whole, and the moments table lists every marker', async () => {
    const model = buildReportModel(syntheticRecording());
    const html = renderReportHtml(model, await loadReportAssets());
    expect(embeddedModel(html)).toEqual(model);
    expect(html.match(/<tr class="k-/g)).toHaveLength(model.markers.length);
    expect(html).toContain('pre-promotion analysis of green, round 2: error-rate = 0.0004 Successful');
  });

  it('Given hostile text from the cluster (an Event message), Then it cannot close the script or inject markup', async () => {
    const rec = syntheticRecording();
    rec.events[2]!.message = '</script><img src=x onerror=alert(1)>';
    const model = buildReportModel(rec);
    const html = renderReportHtml(model, await loadReportAssets());
    expect(html).not.toContain('<img src=x');
    expect(embeddedModel(html)).toEqual(model);
  });
});
