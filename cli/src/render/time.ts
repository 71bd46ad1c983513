// Times as people read them in kubectl's AGE column: relative to `now`, which the caller passes
// (the renderers have no clock, so a golden test is the same text on any day).

/** Milliseconds since the epoch of an API timestamp; objects read as JSON hold strings, client-node's types say Date. */
export function toMs(value: string | Date | null | undefined): number | undefined {
  if (value === undefined || value === null) return undefined;
  const ms = typeof value === 'string' ? Date.parse(value) : value.getTime();
  return Number.isFinite(ms) ? ms : undefined;
}

/**
 * kubectl's short duration (apimachinery's HumanDuration, abridged): 45s, 90s, 3m12s, 42m, 2h5m,
 * 9h, 3d. A negative duration (clock skew between this machine and the API server) reads 0s.
 */
export function shortDuration(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 120) return `${s}s`;
  const m = Math.floor(s / 60);
  if (m < 10) return s % 60 === 0 ? `${m}m` : `${m}m${s % 60}s`;
  if (m < 180) return `${m}m`;
  const h = Math.floor(m / 60);
  if (h < 8) return m % 60 === 0 ? `${h}h` : `${h}h${m % 60}m`;
  if (h < 48) return `${h}h`;
  return `${Math.floor(h / 24)}d`;
}

/** Age of a timestamp at `now`, or "?" when the timestamp is missing. */
export function age(value: string | Date | null | undefined, now: number): string {
  const ms = toMs(value);
  return ms === undefined ? '?' : shortDuration(now - ms);
}
