// Product metrics of the operator (the runtime adds controller-runtime style reconcile and
// queue metrics). Label sets stay bounded: one series per BlueGreenService and fixed values.
import { Counter, Gauge, type Registry } from 'prom-client';
import { COLORS, PHASES, type Color } from '../api/constants.ts';
import type { Measurement } from '../analysis/types.ts';

export interface OperatorMetrics {
  switched(namespace: string, name: string, reason: string): void;
  state(namespace: string, name: string, phase: string, active: Color | undefined): void;
  measured(namespace: string, name: string, stage: string, measurements: readonly Measurement[]): void;
}

export function operatorMetrics(registry: Registry): OperatorMetrics {
  const switches = new Counter({
    name: 'bluegreen_switches_total',
    help: 'Active Service selector switches by reason (InitialDeploy, AutoPromotion, ManualPromotion, ManualRollback, AutoRollback).',
    labelNames: ['namespace', 'name', 'reason'],
    registers: [registry],
  });
  const phase = new Gauge({
    name: 'bluegreen_phase',
    help: '1 for the current phase of each BlueGreenService, 0 for the others.',
    labelNames: ['namespace', 'name', 'phase'],
    registers: [registry],
  });
  const active = new Gauge({
    name: 'bluegreen_active_color',
    help: '1 for the colour the active Service points at.',
    labelNames: ['namespace', 'name', 'color'],
    registers: [registry],
  });
  const measurements = new Counter({
    name: 'bluegreen_analysis_measurements_total',
    help: 'Analysis measurements by stage, metric and verdict.',
    labelNames: ['namespace', 'name', 'stage', 'metric', 'phase'],
    registers: [registry],
  });
  const lastValue = new Gauge({
    name: 'bluegreen_analysis_last_value',
    help: 'Last measured value of each analysis metric.',
    labelNames: ['namespace', 'name', 'stage', 'metric'],
    registers: [registry],
  });
  return {
    switched: (namespace, name, reason) => switches.inc({ namespace, name, reason }),
    state(namespace, name, current, color) {
      for (const p of Object.values(PHASES)) phase.set({ namespace, name, phase: p }, p === current ? 1 : 0);
      for (const c of COLORS) active.set({ namespace, name, color: c }, c === color ? 1 : 0);
    },
    measured(namespace, name, stage, ms) {
      for (const m of ms) {
        measurements.inc({ namespace, name, stage, metric: m.metric, phase: m.phase });
        if (m.value !== undefined) lastValue.set({ namespace, name, stage, metric: m.metric }, m.value);
      }
    },
  };
}
