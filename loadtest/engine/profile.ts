// Arrival-rate profiles of an open-model load test: the rate is a function of time, and
// requests are sent on that schedule whether or not earlier ones have answered (a closed
// loop would slow down with the system under test and hide exactly the latency we look for).
//
// A profile is a start rate and stages; each stage moves the rate LINEARLY from where the
// previous one ended to its own `rate` over `durationSeconds` (k6's ramping-arrival-rate
// semantics). A constant rate is a stage whose rate equals the start rate.
//
// This file, histogram.ts, generator.ts and job-main.ts import only node: builtins and each
// other: the in-cluster Job mounts them from a ConfigMap into any Node >= 22.18 image.

export interface Stage {
  durationSeconds: number;
  /** Requests per second at the END of the stage. */
  rate: number;
}

export interface Profile {
  /** Requests per second at t = 0. */
  startRate: number;
  stages: Stage[];
}

export function profileDuration(p: Profile): number {
  return p.stages.reduce((sum, s) => sum + s.durationSeconds, 0);
}

/** Target rate at `t` seconds (the end rate after the profile). */
export function rateAt(p: Profile, t: number): number {
  let from = p.startRate;
  let start = 0;
  for (const s of p.stages) {
    if (t < start + s.durationSeconds) return from + ((s.rate - from) * (t - start)) / s.durationSeconds;
    start += s.durationSeconds;
    from = s.rate;
  }
  return from;
}

/** Requests due by `t` seconds: the integral of the rate, capped at the profile's end. */
export function arrivalsBy(p: Profile, t: number): number {
  let from = p.startRate;
  let start = 0;
  let total = 0;
  for (const s of p.stages) {
    const d = s.durationSeconds;
    if (t < start + d) {
      const x = Math.max(0, t - start);
      return total + from * x + ((s.rate - from) * x * x) / (2 * d);
    }
    total += ((from + s.rate) * d) / 2;
    start += d;
    from = s.rate;
  }
  return total;
}

/** When request `k` (0-based) is due, in seconds: the inverse of arrivalsBy, by bisection. */
export function dueAt(p: Profile, k: number): number {
  let lo = 0;
  let hi = profileDuration(p);
  for (let i = 0; i < 50 && hi - lo > 1e-6; i++) {
    const mid = (lo + hi) / 2;
    if (arrivalsBy(p, mid) > k) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** Refuses a profile that cannot run, naming the field. */
export function checkProfile(p: Profile, where = 'profile'): void {
  const bad = (field: string, v: unknown, what: string) => {
    throw new Error(`${where}.${field} must be ${what}, got ${JSON.stringify(v)}`);
  };
  if (!Number.isFinite(p.startRate) || p.startRate < 0) bad('startRate', p.startRate, 'a number >= 0');
  if (!Array.isArray(p.stages) || p.stages.length === 0) bad('stages', p.stages, 'a non-empty list');
  p.stages.forEach((s, i) => {
    if (!Number.isFinite(s.durationSeconds) || s.durationSeconds <= 0)
      bad(`stages[${i}].durationSeconds`, s.durationSeconds, 'a number > 0');
    if (!Number.isFinite(s.rate) || s.rate < 0) bad(`stages[${i}].rate`, s.rate, 'a number >= 0');
  });
  if (arrivalsBy(p, profileDuration(p)) < 1) throw new Error(`${where} sends no request: its rates are (almost) all 0`);
}
