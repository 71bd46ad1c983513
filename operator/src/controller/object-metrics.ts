// Per-object metrics that follow the objects and the Lease: the reconciler records through
// this guard, the controller tells it about deletions and about leading.
//
// Why a guard and not only forget() on delete: a reconcile that started before the delete
// event finishes after it and would re-create the deleted object's series; and a replica
// that stops leading finishes (or aborts) its in-flight reconciles after clear(). Both write
// through here, and here a write for an object that is gone, or while not leading, is dropped.
import type { OperatorMetrics } from '../metrics/operator-metrics.ts';

export interface ObjectMetrics extends OperatorMetrics {
  /** Called on leading changes: while false nothing per-object is exported. */
  setLeading(leading: boolean): void;
}

export function objectMetrics(
  inner: OperatorMetrics,
  exists: (namespace: string, name: string) => boolean,
): ObjectMetrics {
  let leading = false;
  const live = (namespace: string, name: string) => leading && exists(namespace, name);
  return {
    switched(ns, name, reason) {
      if (live(ns, name)) inner.switched(ns, name, reason);
    },
    state(ns, name, phase, color) {
      if (live(ns, name)) inner.state(ns, name, phase, color);
    },
    measured(ns, name, stage, ms) {
      if (live(ns, name)) inner.measured(ns, name, stage, ms);
    },
    forget: (ns, name) => inner.forget(ns, name),
    clear: () => inner.clear(),
    setLeading(now) {
      leading = now;
      if (!now) inner.clear();
    },
  };
}
