// Reading the user's HTTPRoute and building the one write the operator makes to it
// (docs/adr/0017). Pure: the route comes from the snapshot, the write is a JSON patch the
// reconciler sends as it is.
//
// Why a JSON patch and not server-side apply: HTTPRoute's spec.rules and rules[].backendRefs are
// `x-kubernetes-list-type: atomic` (gateway-api apis/v1/httproute_types.go), so an apply that sets
// one weight must send, and would then own, the user's whole rules list. The patch replaces the
// two weights and nothing else; its `test` ops make the API server refuse it (422) when the
// entries it addresses are no longer the ones it read (a user reordered or removed a backendRef
// meanwhile), instead of writing a weight onto someone else's backend.
import type { HTTPBackendRefLike, HTTPRouteLike, JsonPatchOp } from '../api/httproute.ts';

export type { HTTPBackendRefLike, HTTPRouteLike, JsonPatchOp };

/** One rule's pair of backendRefs: their indices and weights. */
export interface WeightedPair {
  rule: number;
  stable: number;
  canary: number;
  stableWeight: number;
  canaryWeight: number;
}

export type RouteReading =
  | {
      ok: true;
      name: string;
      stableService: string;
      canaryService: string;
      pairs: WeightedPair[];
      /** The canary's percent of the weights, the highest over the rules (one decimal). */
      canaryShare: number;
    }
  | { ok: false; name: string; problem: string };

function namesService(ref: HTTPBackendRefLike, routeNamespace: string | undefined, service: string): boolean {
  return (
    (ref.group ?? '') === '' &&
    (ref.kind ?? 'Service') === 'Service' &&
    ref.name === service &&
    (ref.namespace === undefined || ref.namespace === routeNamespace)
  );
}

const share = (canary: number, stable: number) =>
  canary + stable === 0 ? 0 : Math.round((canary / (canary + stable)) * 1000) / 10;

/**
 * Find the two backendRefs by Service name in every rule. A rule routes to the release only
 * through both, and to nothing else: a rule naming one of them without the other, or a third
 * backend next to them, would make the weights something other than the percent a step
 * promises, so it is a problem the user must fix (reported, nothing written).
 */
export function readRoute(
  route: HTTPRouteLike | undefined,
  name: string,
  namespace: string | undefined,
  stableService: string,
  canaryService: string,
): RouteReading {
  const fail = (problem: string): RouteReading => ({ ok: false, name, problem });
  if (!route) return fail(`HTTPRoute ${namespace}/${name} not found`);
  const pairs: WeightedPair[] = [];
  const rules = route.spec?.rules ?? [];
  for (const [r, rule] of rules.entries()) {
    const refs = rule.backendRefs ?? [];
    const stable = refs.flatMap((ref, i) => (namesService(ref, namespace, stableService) ? [i] : []));
    const canary = refs.flatMap((ref, i) => (namesService(ref, namespace, canaryService) ? [i] : []));
    if (stable.length === 0 && canary.length === 0) continue;
    const at = `HTTPRoute ${name} spec.rules[${r}]`;
    if (stable.length !== 1 || canary.length !== 1)
      return fail(
        `${at} must list Service ${stableService} (stable) and Service ${canaryService} (canary) once each in its backendRefs`,
      );
    if (refs.length !== 2)
      return fail(`${at} has ${refs.length - 2} backendRefs besides ${stableService} and ${canaryService}`);
    const stableWeight = refs[stable[0]!]!.weight ?? 1;
    const canaryWeight = refs[canary[0]!]!.weight ?? 1;
    pairs.push({ rule: r, stable: stable[0]!, canary: canary[0]!, stableWeight, canaryWeight });
  }
  if (pairs.length === 0)
    return fail(
      `HTTPRoute ${name} has no rule whose backendRefs are Service ${stableService} (stable) and Service ${canaryService} (canary)`,
    );
  const canaryShare = Math.max(...pairs.map((p) => share(p.canaryWeight, p.stableWeight)));
  return { ok: true, name, stableService, canaryService, pairs, canaryShare };
}

/** Every pair already carries exactly `canary` and 100 - `canary`. */
export function routeAt(reading: RouteReading, canary: number): boolean {
  return reading.ok && reading.pairs.every((p) => p.canaryWeight === canary && p.stableWeight === 100 - canary);
}

/**
 * Set every pair to `canary` / 100 - `canary`: a test of each entry's name, then its weight
 * (`add` replaces an existing member and creates a missing one, RFC 6902 4.1).
 */
export function weightPatch(reading: Extract<RouteReading, { ok: true }>, canary: number): JsonPatchOp[] {
  const ops: JsonPatchOp[] = [];
  for (const p of reading.pairs) {
    for (const [index, service, weight] of [
      [p.stable, reading.stableService, 100 - canary],
      [p.canary, reading.canaryService, canary],
    ] as const) {
      const at = `/spec/rules/${p.rule}/backendRefs/${index}`;
      ops.push({ op: 'test', path: `${at}/name`, value: service });
      ops.push({ op: 'add', path: `${at}/weight`, value: weight });
    }
  }
  return ops;
}
