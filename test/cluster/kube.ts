// Small helpers for cluster tests: kubectl with a timeout, and deadline-bound waiting that
// reports what it last saw when it gives up.
import type { ClusterInfo } from './harness.ts';
import { run } from './run.ts';

export async function kubectl(info: ClusterInfo, args: string[], input?: string, timeoutMs = 60_000): Promise<string> {
  const r = await run(info.kubectl, ['--kubeconfig', info.kubeconfig, '--request-timeout=30s', ...args], {
    timeoutMs,
    ...(input === undefined ? {} : { input }),
  });
  if (r.code !== 0) throw new Error(`kubectl ${args.join(' ')} failed (${r.code}): ${r.stderr.trim()}`);
  return r.stdout;
}

export async function kubectlJson<T>(info: ClusterInfo, args: string[]): Promise<T> {
  return JSON.parse(await kubectl(info, [...args, '-o', 'json'])) as T;
}

export type Probe<T> = { ok: true; value: T } | { ok: false; seen: unknown };
export const done = <T>(value: T): Probe<T> => ({ ok: true, value });
export const seen = <T = never>(what: unknown): Probe<T> => ({ ok: false, seen: what });

/**
 * Polls `probe` until it returns a value other than undefined, or throws after timeoutMs
 * with the description and the last observation (probe returns seen(x) to report x).
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<Probe<T>>,
  intervalMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let seen: unknown;
  for (;;) {
    try {
      const r = await probe();
      if (r.ok) return r.value;
      seen = r.seen;
    } catch (err) {
      seen = err instanceof Error ? err.message : err;
    }
    if (Date.now() > deadline) {
      throw new Error(
        `timed out after ${timeoutMs} ms waiting for ${what}; last seen: ${typeof seen === 'string' ? seen : JSON.stringify(seen)}`,
      );
    }
    // Poll interval between probes of a condition bounded by `deadline` above.
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

export interface PodList {
  items: Array<{
    metadata: { name: string; deletionTimestamp?: string };
    spec: { nodeName?: string };
    status: { phase?: string; podIP?: string; conditions?: Array<{ type: string; status: string }> };
  }>;
}

export function isReady(pod: PodList['items'][number]): boolean {
  return (
    pod.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true &&
    !pod.metadata.deletionTimestamp
  );
}

/** Prometheus instant query; returns the result vector. */
export async function promQuery(
  info: ClusterInfo,
  query: string,
): Promise<Array<{ metric: Record<string, string>; value: [number, string] }>> {
  const res = await fetch(`${info.prometheusUrl}/api/v1/query?query=${encodeURIComponent(query)}`, {
    signal: AbortSignal.timeout(5_000),
  });
  const body = (await res.json()) as {
    status: string;
    data?: { result: Array<{ metric: Record<string, string>; value: [number, string] }> };
  };
  if (body.status !== 'success' || !body.data)
    throw new Error(`Prometheus query ${query} failed: ${JSON.stringify(body)}`);
  return body.data.result;
}
