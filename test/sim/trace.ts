// A readable trace of one simulated scenario: what the operator wrote, recorded and asked
// Prometheus since the last line, one line each. Used by `npm run sim -- --trace` and
// `--replay=<file>` to read a shrunk counterexample step by step (gateway mode included).
import type { SimCluster } from './cluster.ts';
import { LABELS } from '../../operator/src/api/constants.ts';

type Loose = Record<string, any>;

export class Tracer {
  #writes = 0;
  #events = 0;
  #answers = 0;

  readonly cluster: SimCluster;
  readonly print: (line: string) => void;

  constructor(cluster: SimCluster, print: (line: string) => void = console.log) {
    this.cluster = cluster;
    this.print = print;
  }

  /** Prints `label` and everything that happened since the previous call. */
  flush(label: string): void {
    const lines: string[] = [];
    for (const w of this.cluster.writes.slice(this.#writes))
      lines.push(`  W ${describeWrite(w.kind, w.name, w.after)}`);
    for (const e of this.cluster.events.slice(this.#events)) lines.push(`  E ${e.reason}: ${e.message}`);
    for (const a of this.cluster.answers.slice(this.#answers))
      lines.push(`  P ${a.stage} ${a.color} ${a.revision}: ${a.answer}`);
    this.#writes = this.cluster.writes.length;
    this.#events = this.cluster.events.length;
    this.#answers = this.cluster.answers.length;
    this.print(`${label}  [t=${this.cluster.now / 1000}s ${this.#pods()}]`);
    for (const l of lines) this.print(l);
  }

  /** Ready/wanted pods per Deployment, so a switch can be judged against what was ready. */
  #pods(): string {
    return [...this.cluster.deployments.entries()]
      .map(([name, d]) => {
        const pods = this.cluster.pods.get(name) ?? [];
        const ready = pods.filter((p) => p.ready).length;
        return `${name} ${d.metadata?.labels?.[LABELS.revision] ?? '?'} ${ready}/${d.spec?.replicas ?? 0}`;
      })
      .join(', ');
  }
}

function describeWrite(kind: string, name: string, after: Loose): string {
  switch (kind) {
    case 'Deployment':
      return `Deployment ${name} rev=${after.metadata?.labels?.[LABELS.revision]} x${after.spec?.replicas}`;
    case 'Service':
      return `Service ${name} -> ${after.spec?.selector?.[LABELS.color] ?? 'both colours'}`;
    case 'HTTPRoute':
      return `HTTPRoute ${name} weights ${JSON.stringify(
        after.spec?.rules?.[0]?.backendRefs?.map((b: Loose) => `${b.name}=${b.weight}`),
      )}`;
    case 'BlueGreenService': {
      const s = after.status ?? {};
      // SIM_TRACE_STATUS=1 prints the whole status (for turning a counterexample into a planner row).
      if (process.env['SIM_TRACE_STATUS']) return `status ${JSON.stringify({ ...s, conditions: undefined })}`;
      return `status ${s.phase} active=${s.activeColor} prev=${s.previousColor} release=${JSON.stringify(
        s.release,
      )} canary=${JSON.stringify(s.canary)} analysis=${s.analysis?.phase}: ${s.message}`;
    }
    default:
      return `${kind} ${name}`;
  }
}
