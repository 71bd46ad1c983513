// Replica-weighted traffic: with the active Service selecting both colours, kube-proxy spreads
// new connections evenly over the ready endpoints, so the canary's share is
// canary / (canary + stable) of them. The stable colour keeps its spec.replicas pods (its
// capacity never shrinks for a canary), so a weight is reached by choosing the canary's count.

/** The share (percent) that `canary` ready pods next to `stable` ready pods receive. */
export function shareOf(canary: number, stable: number): number {
  return canary + stable === 0 ? 0 : (100 * canary) / (canary + stable);
}

/**
 * Canary pods giving the share nearest `weight` percent next to `stable` pods: the real
 * solution of n / (n + stable) = weight / 100 is weight x stable / (100 - weight); its floor and
 * ceiling are compared by the share they give (a tie goes to fewer pods), and a step always runs
 * at least one canary pod (a weight above 0 is a promise of some traffic).
 */
export function canaryReplicasFor(weight: number, stable: number): number {
  if (stable <= 0 || weight <= 0) return 0;
  const exact = (weight * stable) / (100 - weight);
  const low = Math.max(1, Math.floor(exact));
  const high = Math.max(1, Math.ceil(exact));
  return Math.abs(shareOf(low, stable) - weight) <= Math.abs(shareOf(high, stable) - weight) ? low : high;
}

/** A share for status: one decimal, so a steady state writes the same number every time. */
export function roundedShare(canary: number, stable: number): number {
  return Math.round(shareOf(canary, stable) * 10) / 10;
}

/**
 * Gateway API mode (docs/adr/0017): the route sends exactly `weight` percent of requests to the
 * canary whatever its pod count, so the canary runs the capacity for that share of the stable
 * colour's load, rounded up, and at least one pod (Argo Rollouts sizes its canary the same way).
 */
export function routedCanaryReplicas(weight: number, stable: number): number {
  if (stable <= 0 || weight <= 0) return 0;
  return Math.max(1, Math.ceil((weight * stable) / 100));
}
