// How big a release report gets with the length of the run, and how long model + render take:
// the real recorded release (report/fixtures/) stretched to N seconds by repeating its timeline.
//
//   npx node bench/report/html-size.ts
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../test/cluster/harness.ts';
import { loadReportAssets } from '../../report/assets.ts';
import { buildReportModel } from '../../report/model.ts';
import { parseRecording } from '../../report/recording.ts';
import { renderReportHtml } from '../../report/render.ts';

const file = path.join(repoRoot, 'report/fixtures/real-release.recording.json');
const base = parseRecording(JSON.parse(readFileSync(file, 'utf8')), file);
const assets = await loadReportAssets();
const library = assets.uplotJs.length + assets.uplotCss.length;

console.log('| seconds of load | HTML bytes | of which uPlot | model + render ms (median of 5) |');
console.log('| --- | --- | --- | --- |');
for (const seconds of [base.load.timeline.length, 600, 3600]) {
  const rec = structuredClone(base);
  rec.load.timeline = Array.from({ length: seconds }, (_, i) => ({
    ...base.load.timeline[i % base.load.timeline.length]!,
    second: i,
  }));
  rec.load.durationSeconds = seconds;
  const times: number[] = [];
  let html = '';
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    html = renderReportHtml(buildReportModel(rec), assets);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  console.log(`| ${seconds} | ${Buffer.byteLength(html)} | ${library} | ${times[2]!.toFixed(1)} |`);
}
