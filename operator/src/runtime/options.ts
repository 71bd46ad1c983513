// Checks of numeric options shared by the runtime's building blocks. A bad option is a
// programmer error caught at construction, with a message naming the component and the field.

/** value if it is a finite number > 0; otherwise throws "<owner>: <field> must be a positive number". */
export function positive(owner: string, field: string, value: number): number {
  if (!Number.isFinite(value) || value <= 0)
    throw new Error(`${owner}: ${field} must be a positive number, got ${value}`);
  return value;
}
