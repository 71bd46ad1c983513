// Product metrics of the operator (the runtime adds controller-runtime style reconcile and
// queue metrics). Label sets stay bounded: one series per BlueGreenService and fixed values.
//
// Label names: a BlueGreenService is identified by `bgs_namespace` and `bgs_name`, never by
// `namespace`/`name`. Every standard scrape (Prometheus' kubernetes_sd relabelling, a
// ServiceMonitor or PodMonitor without honorLabels) sets `namespace` to the operator pod's
// namespace and renames a clashing label of ours to `exported_namespace`; labels that no
// scrape sets survive every set-up unchanged (docs/adr/0011-monitoring-metric-labels.md).
//
// Invariants:
// - Per-object series exist only for BlueGreenServices that exist: forget() removes all of
//   them (gauges and counters) when the object is deleted.
// - Only the leader exports per-object state: clear() removes every per-object series when
//   a replica stops leading, so two replicas never report two phases for one object.
// - Switch counters start at 0 for every reason the first time an object is seen, so
//   increase() sees the first switch (a counter born at 1 has no increase to show).
import { Counter, Gauge, type Registry } from 'prom-client';
import { COLORS, PHASES, REASONS, type Color } from '../api/constants.ts';
import type { Measurement } from '../analysis/types.ts';

export interface OperatorMetrics {
  switched(namespace: string, name: string, reason: string): void;
  state(namespace: string, name: string, phase: string, active: Color | undefined): void;
  measured(namespace: string, name: string, stage: string, measurements: readonly Measurement[]): void;
  /** Removes every series of one BlueGreenService (it was deleted). */
  forget(namespace: string, name: string): void;
  /** Removes every per-object series (this replica stopped leading). */
  clear(): void;
}

/** Label names of the object a series describes; see the header for why not `namespace`. */
export const OBJECT_LABELS = ['bgs_namespace', 'bgs_name'] as const;

const SWITCH_REASONS = [
  REASONS.initialDeploy,
  REASONS.autoPromotion,
  REASONS.manualPromotion,
  REASONS.manualRollback,
  REASONS.autoRollback,
] as const;

export function operatorMetrics(registry: Registry): OperatorMetrics {
  const switches = new Counter({
    name: 'bluegreen_switches_total',
    help: 'Active Service selector switches by reason (InitialDeploy, AutoPromotion, ManualPromotion, ManualRollback, AutoRollback).',
    labelNames: [...OBJECT_LABELS, 'reason'],
    registers: [registry],
  });
  const phase = new Gauge({
    name: 'bluegreen_phase',
    help: '1 for the current phase of each BlueGreenService, 0 for the others.',
    labelNames: [...OBJECT_LABELS, 'phase'],
    registers: [registry],
  });
  const active = new Gauge({
    name: 'bluegreen_active_color',
    help: '1 for the colour the active Service points at.',
    labelNames: [...OBJECT_LABELS, 'color'],
    registers: [registry],
  });
  const measurements = new Counter({
    name: 'bluegreen_analysis_measurements_total',
    help: 'Analysis measurements by stage, metric and verdict.',
    labelNames: [...OBJECT_LABELS, 'stage', 'metric', 'phase'],
    registers: [registry],
  });
  const lastValue = new Gauge({
    name: 'bluegreen_analysis_last_value',
    help: 'Last measured value of each analysis metric.',
    labelNames: [...OBJECT_LABELS, 'stage', 'metric'],
    registers: [registry],
  });
  const perObject = [switches, phase, active, measurements, lastValue];
  // Every label set written, per object, so forget() can remove exactly those series
  // (prom-client removes by complete label sets only).
  const written = new Map<string, Map<string, { metric: Counter | Gauge; labels: Labels }>>();
  const key = (namespace: string, name: string) => `${namespace}/${name}`;
  const track = (metric: Counter | Gauge, labels: Labels) => {
    const k = key(labels.bgs_namespace, labels.bgs_name);
    let sets = written.get(k);
    if (!sets) {
      sets = new Map();
      written.set(k, sets);
      for (const reason of SWITCH_REASONS) {
        const zero = { bgs_namespace: labels.bgs_namespace, bgs_name: labels.bgs_name, reason };
        switches.inc(zero, 0);
        sets.set(`${perObject.indexOf(switches)}${JSON.stringify(zero)}`, { metric: switches, labels: zero });
      }
    }
    sets.set(`${perObject.indexOf(metric)}${JSON.stringify(labels)}`, { metric, labels });
  };
  const inc = (metric: Counter, labels: Labels) => {
    track(metric, labels);
    metric.inc(labels);
  };
  const set = (metric: Gauge, labels: Labels, value: number) => {
    track(metric, labels);
    metric.set(labels, value);
  };
  return {
    switched(namespace, name, reason) {
      inc(switches, { bgs_namespace: namespace, bgs_name: name, reason });
    },
    state(namespace, name, current, color) {
      const o = { bgs_namespace: namespace, bgs_name: name };
      for (const p of Object.values(PHASES)) set(phase, { ...o, phase: p }, p === current ? 1 : 0);
      for (const c of COLORS) set(active, { ...o, color: c }, c === color ? 1 : 0);
    },
    measured(namespace, name, stage, ms) {
      const o = { bgs_namespace: namespace, bgs_name: name, stage };
      for (const m of ms) {
        inc(measurements, { ...o, metric: m.metric, phase: m.phase });
        if (m.value !== undefined) set(lastValue, { ...o, metric: m.metric }, m.value);
      }
    },
    forget(namespace, name) {
      for (const { metric, labels } of written.get(key(namespace, name))?.values() ?? []) metric.remove(labels);
      written.delete(key(namespace, name));
    },
    clear() {
      written.clear();
      for (const metric of perObject) metric.reset();
    },
  };
}

interface Labels {
  bgs_namespace: string;
  bgs_name: string;
  [label: string]: string;
}
