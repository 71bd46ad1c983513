// Conditions keep their lastTransitionTime unless their status flips, so a steady
// reconcile produces an identical status and no write.
import type { Condition } from '../api/types.ts';

export function setCondition(
  existing: readonly Condition[],
  next: Omit<Condition, 'lastTransitionTime'>,
  nowIso: string,
): Condition[] {
  const prior = existing.find((c) => c.type === next.type);
  const lastTransitionTime = prior && prior.status === next.status ? prior.lastTransitionTime : nowIso;
  const merged: Condition = { ...next, lastTransitionTime };
  return [...existing.filter((c) => c.type !== next.type), merged].sort((a, b) => a.type.localeCompare(b.type));
}

export function conditionStatus(
  conditions: readonly Condition[] | undefined,
  type: string,
): Condition['status'] | undefined {
  return conditions?.find((c) => c.type === type)?.status;
}
