// No flapping: a traffic field (the active Service's colours, the preview's colour, the route's
// share) or a colour's template never goes back to a value it left without something that
// justifies a change — a user's input or the world's (readiness lost, objects deleted), or, for
// traffic only, a bad or missing measurement of a colour that serves (the one move away from it
// that a verdict explains; moving back again is judged by automatic-moves-earned).

export class FlapWindows {
  /** Values each field took since the last input, oldest first. */
  readonly #windows = new Map<string, string[]>();

  /** Records the fields' new values; returns a sentence per field that went back to a value it left. */
  record(fields: ReadonlyMap<string, string>): string[] {
    const flaps: string[] = [];
    for (const [field, value] of fields) {
      const values = this.#windows.get(field) ?? [];
      const last = values.at(-1);
      if (last === value) continue;
      if (values.includes(value))
        flaps.push(`${field} went back to ${value} without a new input (${[...values, value].join(' -> ')})`);
      values.push(value);
      this.#windows.set(field, values);
    }
    return flaps;
  }

  clear(): void {
    this.#windows.clear();
  }

  clearTraffic(): void {
    for (const field of [...this.#windows.keys()]) if (field.startsWith('traffic:')) this.#windows.delete(field);
  }
}
