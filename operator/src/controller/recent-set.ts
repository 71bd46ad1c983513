// A set that remembers its newest `limit` members (insertion order): bounded memory for
// "already acknowledged" and "already warned" marks that must not grow with the cluster's age.
export class RecentSet {
  readonly #limit: number;
  readonly #members = new Set<string>();

  constructor(limit: number) {
    this.#limit = limit;
  }

  has(member: string): boolean {
    return this.#members.has(member);
  }

  add(member: string): void {
    this.#members.delete(member);
    this.#members.add(member);
    if (this.#members.size > this.#limit) this.#members.delete(this.#members.values().next().value!);
  }
}
