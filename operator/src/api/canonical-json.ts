// Canonical JSON: object keys sorted (by UTF-16 code unit, like Array.prototype.sort), so two
// values that differ only in key order serialize to the same string. One definition for the two
// facts that depend on it: a template's revision hash (re-applying the same YAML never starts a
// release) and "status unchanged" (an equal status is never written again).
//
// The key order is part of every revision ever written to a status: changing it would make the
// operator see a new revision for every existing BlueGreenService. canonical-json.test.ts pins it.

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}
