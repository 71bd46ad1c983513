// Which providers keep failing. A provider that fails FAILING_AFTER attempts in a row (over all
// objects) is "failing" until it delivers again: the metric says so, the log says it once, and
// each object whose notification it fails gets one Warning Event per failing streak, so
// `kubectl describe bgs` shows why its notifications do not arrive. Nothing else changes.

/** Attempts in a row that make a provider failing. */
export const FAILING_AFTER = 3;

export type HealthChange = 'failing' | 'recovered' | undefined;

export class ProviderHealth {
  readonly #streaks = new Map<string, number>();
  /** Objects told (by an Event) in the provider's current failing streak. */
  readonly #told = new Map<string, Set<string>>();

  /** Records one attempt; says when the provider starts failing or recovers. */
  attempt(provider: string, ok: boolean): HealthChange {
    const before = this.#streaks.get(provider) ?? 0;
    if (ok) {
      this.#streaks.set(provider, 0);
      this.#told.delete(provider);
      return before >= FAILING_AFTER ? 'recovered' : undefined;
    }
    this.#streaks.set(provider, before + 1);
    return before + 1 === FAILING_AFTER ? 'failing' : undefined;
  }

  failing(provider: string): boolean {
    return (this.#streaks.get(provider) ?? 0) >= FAILING_AFTER;
  }

  streak(provider: string): number {
    return this.#streaks.get(provider) ?? 0;
  }

  /** True the first time an object is named in the provider's current failing streak. */
  firstToTell(provider: string, objectKey: string): boolean {
    const told = this.#told.get(provider) ?? new Set<string>();
    this.#told.set(provider, told);
    if (told.has(objectKey)) return false;
    told.add(objectKey);
    return true;
  }
}
