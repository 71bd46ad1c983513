// The release report as people see it: rendered from a real recorded release
// (report/fixtures/real-release.recording.json, recorded on the local cluster by
// bench/report/real-release.ts), opened in headless Chromium (Debian's package, found by
// test/tools/tool.sh) with every network request refused. Checks that each chart drew, that the
// series the charts hold are the recording's own numbers (recomputed here from the raw
// timeline, not from report/model.ts), that every moment of the release got its line, and that
// the page logged no error. Saves a PNG screenshot to test-artifacts/report-browser/.
import { mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../cluster/harness.ts';
import { toolPath } from '../support/tools.ts';
import { loadReportAssets } from '../../report/assets.ts';
import { buildReportModel, type ReportModel } from '../../report/model.ts';
import { parseRecording, type Recording } from '../../report/recording.ts';
import { renderReportHtml } from '../../report/render.ts';
import { syntheticRecording } from '../../report/testing/synthetic.ts';

const fixture = path.join(repoRoot, 'report/fixtures/real-release.recording.json');
const artifacts = path.join(repoRoot, 'test-artifacts/report-browser');
// The flags that work on this machine family (no sandbox as root, no background traffic to a
// closed network); Playwright gives each launch a fresh, empty profile directory.
const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

interface ChartSeen {
  id: string;
  width: number;
  height: number;
  /** Canvas pixels that are not transparent: 0 means nothing was drawn. */
  inkPixels: number;
  labels: string[];
  data: (number | null)[][];
  markersDrawn: number;
}

let browser: Browser;
let recording: Recording;
let model: ReportModel;
/** The real release's report, opened once for the checks below. */
let real: Opened;

interface Opened {
  page: Page;
  /** Console errors and warnings, uncaught page errors. */
  problems: string[];
  /** Every request the page tried besides its own file (all refused). */
  requests: string[];
}

/** Renders `m` to test-artifacts/report-browser/<name>.html and opens it offline, every request refused. */
async function open(name: string, m: ReportModel): Promise<Opened> {
  const file = path.join(artifacts, `${name}.html`);
  writeFileSync(file, renderReportHtml(m, await loadReportAssets()));
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  await context.setOffline(true);
  const opened: Opened = { page: await context.newPage(), problems: [], requests: [] };
  const { page, problems, requests } = opened;
  page.on('console', (msg) => {
    if (msg.type() === 'error' || msg.type() === 'warning') problems.push(`console.${msg.type()}: ${msg.text()}`);
  });
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  // Self-contained means no request but the file itself: anything else is refused and listed.
  await page.route('**/*', (route) => {
    const url = route.request().url();
    if (url === pathToFileURL(file).href) return route.continue();
    requests.push(url);
    return route.abort();
  });
  await page.goto(pathToFileURL(file).href);
  await page
    .waitForFunction(() => document.body.dataset['rendered'] === 'true', undefined, { timeout: 15_000 })
    .catch((err: unknown) => {
      throw new Error(
        `${name}: the charts did not finish rendering: ${String(err)}; page said: ${problems.join(' | ') || 'nothing'}`,
      );
    });
  return opened;
}

beforeAll(async () => {
  recording = parseRecording(JSON.parse(readFileSync(fixture, 'utf8')), fixture);
  model = buildReportModel(recording);
  mkdirSync(artifacts, { recursive: true });
  browser = await chromium.launch({ executablePath: toolPath('chromium'), headless: true, args: CHROMIUM_ARGS });
  real = await open('report', model);
}, 60_000);

afterAll(async () => {
  await browser?.close();
});

async function charts(page: Page): Promise<ChartSeen[]> {
  return page.evaluate(() => {
    interface Plot {
      root: HTMLElement;
      data: (number | null)[][];
      series: { label?: string }[];
    }
    const r = (
      window as unknown as { __report: { charts: Record<string, Plot>; markersDrawn: Record<string, number> } }
    ).__report;
    return Object.values(r.charts).map((u) => {
      const id = u.root.parentElement!.id;
      const canvas = u.root.querySelector('canvas')!;
      const pixels = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
      let ink = 0;
      for (let i = 3; i < pixels.length; i += 4) if (pixels[i]! > 0) ink++;
      return {
        id,
        width: canvas.width,
        height: canvas.height,
        inkPixels: ink,
        labels: u.series.map((s) => String(s.label)),
        data: u.data,
        markersDrawn: r.markersDrawn[id] ?? 0,
      };
    });
  });
}

describe('release report in headless Chromium', () => {
  it('Given the recorded release, Then the fixture holds what a report must show', () => {
    const kinds = new Set(model.markers.map((m) => m.kind));
    for (const k of ['release', 'preview-ready', 'analysis-round', 'switch', 'rollback'] as const)
      expect(kinds, `marker ${k}`).toContain(k);
    expect(Object.keys(model.summary.byColor).sort()).toEqual(['blue', 'green']);
  });

  it('Then it opens with no network, no console error, and every chart drew on its canvas', async () => {
    expect(real.requests).toEqual([]);
    expect(real.problems).toEqual([]);
    const seen = await charts(real.page);
    expect(seen.map((c) => c.id)).toEqual(['chart-rps', 'chart-errors', 'chart-latency']);
    for (const c of seen) {
      expect(c.width, c.id).toBeGreaterThan(500);
      expect(c.height, c.id).toBeGreaterThan(200);
      // Axes, grid, lines and marker lines: thousands of pixels; an empty canvas has 0.
      expect(c.inkPixels, c.id).toBeGreaterThan(5_000);
    }
  });

  it('Then the charts hold the recording: per-colour responses, error rate and p99 of each second', async () => {
    const t = recording.load.timeline;
    const [rps, errors, latency] = await charts(real.page);
    // Each second is drawn at its middle (report/model.ts).
    const x = t.map((s) => s.second + 0.5);
    expect(rps!.labels).toEqual(['t (s)', 'sent', 'X-Color: blue', 'X-Color: green']);
    expect(rps!.data).toEqual([
      x,
      t.map((s) => s.sent),
      t.map((s) => s.split['blue'] ?? 0),
      t.map((s) => s.split['green'] ?? 0),
    ]);
    const pct = (failed: number, sent: number) => (sent === 0 ? null : Math.round((1e5 * failed) / sent) / 1e3);
    expect(errors!.data).toEqual([x, t.map((s) => pct(s.failed, s.sent))]);
    expect(latency!.data).toEqual([x, t.map((s) => (Number.isFinite(s.p99) ? s.p99 : null))]);
  });

  it('Then every moment of the release is drawn on every chart and listed in the table', async () => {
    for (const c of await charts(real.page)) expect(c.markersDrawn, c.id).toBe(model.markers.length);
    const rows = await real.page.locator('table.markers tr[class^="k-"]').count();
    expect(rows).toBe(model.markers.length);
  });

  it('Then a screenshot is saved as a test artefact', async () => {
    const png = path.join(artifacts, 'report.png');
    await real.page.screenshot({ path: png, fullPage: true });
    expect(statSync(png).size).toBeGreaterThan(20_000);
  });
});

describe('a report with failures, a second without any success and a rollback, in headless Chromium', () => {
  it('Then the error rate and the p99 gap are drawn as recorded, and the page logs no error', async () => {
    const synthetic = buildReportModel(syntheticRecording());
    const { page, problems, requests } = await open('synthetic', synthetic);
    expect(requests).toEqual([]);
    expect(problems).toEqual([]);
    const [rps, errors, latency] = await charts(page);
    expect(rps!.data.slice(2)).toEqual([
      [10, 10, 10, 9, 10, 0, 0, 0, 10, 10],
      [0, 0, 0, 0, 0, 10, 10, 0, 0, 0],
    ]);
    expect(errors!.data[1]).toEqual([0, 0, 0, 10, 0, 0, 0, 100, 0, 0]);
    // The second where nothing succeeded is a gap (null), never a zero latency.
    expect(latency!.data[1]).toEqual([5, 6, 7, 8, 9, 10, 11, null, 13, 14]);
    for (const c of [rps!, errors!, latency!]) expect(c.markersDrawn, c.id).toBe(synthetic.markers.length);
    await page.screenshot({ path: path.join(artifacts, 'synthetic.png'), fullPage: true });
  });
});
