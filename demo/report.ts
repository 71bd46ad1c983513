// The demo's release report: the same recorder and renderer as `npm run report`, started before
// the release and finished after the rollback, written to demo/report/ (gitignored).
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { repoRoot } from '../test/cluster/harness.ts';
import { loadReportAssets } from '../report/assets.ts';
import { buildReportModel } from '../report/model.ts';
import { recordRelease } from '../report/recorder.ts';
import { renderReportHtml } from '../report/render.ts';

export interface ReportRun {
  /** Ends the load, writes the report and its recording; resolves with the report's path. */
  finish(): Promise<string>;
}

/** Up to 15 min of 20 req/s (kept-alive connections, like real clients) until finish(). */
export function startReport(
  kc: KubeConfig,
  namespace: string,
  name: string,
  url: string,
  headers: Record<string, string>,
): ReportRun {
  const stop = new AbortController();
  const recording = recordRelease({
    kc,
    namespace,
    name,
    generator: {
      url,
      profile: { startRate: 20, stages: [{ durationSeconds: 900, rate: 20 }] },
      keepAlive: true,
      maxConnections: 0,
      timeoutMs: 5_000,
      maxInFlight: 10_000,
      splitHeader: 'X-Color',
      headers,
    },
    signal: stop.signal,
  });
  // Surfaced by finish(); never an unhandled rejection while the demo goes on.
  recording.catch(() => undefined);
  return {
    async finish() {
      stop.abort();
      const rec = await recording;
      const dir = path.join(repoRoot, 'demo/report');
      await mkdir(dir, { recursive: true });
      const base = path.join(dir, `${name}-${rec.load.startedAt.replace(/[:.]/g, '-')}`);
      await writeFile(`${base}.recording.json`, `${JSON.stringify(rec, null, 1)}\n`);
      await writeFile(`${base}.html`, renderReportHtml(buildReportModel(rec), await loadReportAssets()));
      return `${base}.html`;
    },
  };
}
