// The operator's timing policy, decided here (not in the reconciler) so plan() alone says
// when the next reconcile happens and how long a measurement may take.
import { PHASES, type Phase } from '../api/constants.ts';

/**
 * While a release or switch is in flight, reconcile at least this often even without events:
 * a safety net for a watch that missed an update (client-node watches can stall silently).
 */
export const IN_FLIGHT_RESYNC_MS = 30_000;

/**
 * One analysis round must finish well inside one reconcile (the runner aborts a reconcile
 * after 30 s), so a hung Prometheus becomes a recorded "timed out" measurement (inconclusive)
 * instead of an aborted reconcile that records nothing. spec.analysis.prometheus.timeoutSeconds
 * above this is capped (docs/api.md).
 */
export const MAX_QUERY_TIMEOUT_MS = 20_000;

/** The one definition of "in flight": anything but a settled phase. */
export function inFlight(phase: Phase | undefined): boolean {
  return phase !== PHASES.healthy && phase !== PHASES.degraded && phase !== PHASES.invalid;
}

/** The soonest timer, capped by the in-flight resync; undefined: wait for events only. */
export function requeueAfter(now: number, wakeAt: readonly number[], phase: Phase | undefined): number | undefined {
  const soonest = wakeAt.length > 0 ? Math.max(0, Math.min(...wakeAt) - now) : undefined;
  if (!inFlight(phase)) return soonest;
  return Math.min(soonest ?? IN_FLIGHT_RESYNC_MS, IN_FLIGHT_RESYNC_MS);
}
