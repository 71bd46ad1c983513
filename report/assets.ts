// The files inlined into every report: uPlot (MIT, ADR 0013) from node_modules, its licence,
// and our page script. Read once per process.
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ReportAssets } from './render.ts';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));

let cached: Promise<ReportAssets> | undefined;

export function loadReportAssets(): Promise<ReportAssets> {
  cached ??= (async () => {
    const dist = path.dirname(require.resolve('uplot/dist/uPlot.iife.min.js'));
    const [uplotJs, uplotCss, uplotLicense, pageJs] = await Promise.all([
      readFile(path.join(dist, 'uPlot.iife.min.js'), 'utf8'),
      readFile(path.join(dist, 'uPlot.min.css'), 'utf8'),
      readFile(path.join(dist, '..', 'LICENSE'), 'utf8'),
      readFile(path.join(here, 'page', 'charts.js'), 'utf8'),
    ]);
    return { uplotJs, uplotCss, uplotLicense, pageJs };
  })();
  return cached;
}
