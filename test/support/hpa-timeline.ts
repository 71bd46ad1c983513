// What an autoscaling e2e watches, sampled every few seconds: the HPA's view (desired and
// current replicas, measured CPU utilisation), metrics-server's per-pod CPU, and what the
// BlueGreenService and its two colours run. Printed as a table so a failure explains itself.
import type { TestKube } from '../../clusterkit/kube.ts';

export interface HpaSample {
  at: number;
  phase: string;
  hpaDesired?: number;
  hpaCurrent?: number;
  /** averageUtilization the HPA last computed, % of the pods' CPU request. */
  utilization?: number;
  /** metrics-server's CPU use per pod, millicores, by pod name. */
  podCpu: Record<string, number>;
  specReplicas?: number;
  active?: string;
  blue: string;
  green: string;
}

interface Hpa {
  status?: {
    desiredReplicas?: number;
    currentReplicas?: number;
    currentMetrics?: { resource?: { current?: { averageUtilization?: number } } }[];
  };
}

interface PodMetrics {
  items: { metadata: { name: string }; timestamp: string; window: string; containers: { usage: { cpu: string } }[] }[];
}

/** A Go duration as metrics-server writes a window ("15s", "20.5s", "1m0s") -> ms. */
export function goDurationMs(d: string): number {
  const unit: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1, us: 0.001, µs: 0.001, ns: 1e-6 };
  let ms = 0;
  for (const [, n, u] of d.matchAll(/(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)/g)) ms += Number(n) * unit[u!]!;
  return ms;
}

/** "12345678n", "15m", "1" -> millicores. */
export function millicores(q: string): number {
  if (q.endsWith('n')) return Number(q.slice(0, -1)) / 1e6;
  if (q.endsWith('u')) return Number(q.slice(0, -1)) / 1e3;
  if (q.endsWith('m')) return Number(q.slice(0, -1));
  return Number(q) * 1000;
}

export function podMetrics(kube: TestKube, ns: string): Promise<PodMetrics> {
  return kube.req<PodMetrics>('GET', `/apis/metrics.k8s.io/v1beta1/namespaces/${ns}/pods`);
}

export async function sampleHpa(kube: TestKube, ns: string, name: string, phase: string): Promise<HpaSample> {
  const [hpa, bgs, metrics, blue, green, svc] = await Promise.all([
    kube.req<Hpa>('GET', `/apis/autoscaling/v2/namespaces/${ns}/horizontalpodautoscalers/${name}`),
    kube.getBgs(ns, name),
    podMetrics(kube, ns).catch(() => ({ items: [] })),
    kube.getDeployment(ns, `${name}-blue`).catch(() => undefined),
    kube.getDeployment(ns, `${name}-green`).catch(() => undefined),
    kube.serviceColor(ns, name),
  ]);
  const colour = (d: typeof blue) => (d ? `${d.spec?.replicas ?? 0}/${d.status?.readyReplicas ?? 0}` : '-');
  return {
    at: Date.now(),
    phase,
    hpaDesired: hpa.status?.desiredReplicas,
    hpaCurrent: hpa.status?.currentReplicas,
    utilization: hpa.status?.currentMetrics?.[0]?.resource?.current?.averageUtilization,
    podCpu: Object.fromEntries(
      metrics.items.map((p) => [
        p.metadata.name.replace(`${name}-`, ''),
        Math.round(p.containers.reduce((n, c) => n + millicores(c.usage.cpu), 0)),
      ]),
    ),
    specReplicas: bgs.spec.replicas,
    active: svc,
    blue: colour(blue),
    green: colour(green),
  };
}

/** One line per sample: seconds since `t0`, phase, HPA, CPU, and each colour's spec/ready. */
export function formatTimeline(samples: readonly HpaSample[], t0: number): string {
  const header = 't(s)  phase        hpa desired/current  cpu util %  spec.replicas  active  blue  green  pod CPU (m)';
  return [
    header,
    ...samples.map(
      (s) =>
        `${((s.at - t0) / 1000).toFixed(0).padStart(4)}  ${s.phase.padEnd(11)}  ${`${s.hpaDesired ?? '-'}/${s.hpaCurrent ?? '-'}`.padEnd(19)}  ${String(s.utilization ?? '-').padEnd(10)}  ${String(s.specReplicas ?? '-').padEnd(13)}  ${(s.active ?? '-').padEnd(6)}  ${s.blue.padEnd(4)}  ${s.green.padEnd(5)}  ${JSON.stringify(s.podCpu)}`,
    ),
  ].join('\n');
}
