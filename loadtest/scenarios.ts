// The named scenarios of `npm run loadtest -- <scenario>`. Rates are modest on purpose: the
// defaults must pass on a 2-core machine that runs the whole cluster; scale them to your
// service with --rate-scale / --duration-scale, or copy one into a JSON file (--file).
import type { Profile } from './engine/profile.ts';

export interface Thresholds {
  /** Failed requests / all requests; a run above it fails. */
  maxErrorRate: number;
  p95Ms: number;
  p99Ms: number;
  /** The generator's own lateness; above it the results are not trustworthy and the run fails. */
  maxGeneratorLagP99Ms: number;
}

export interface Scenario {
  description: string;
  profile: Profile;
  thresholds: Thresholds;
}

const thresholds: Thresholds = { maxErrorRate: 0, p95Ms: 250, p99Ms: 500, maxGeneratorLagP99Ms: 100 };

export const scenarios: Record<string, Scenario> = {
  constant: {
    description: 'constant arrival rate: 50 req/s for 30 s',
    profile: { startRate: 50, stages: [{ durationSeconds: 30, rate: 50 }] },
    thresholds,
  },
  ramp: {
    description: 'ramp from 0 to 100 req/s over 30 s, hold 30 s, ramp down over 10 s',
    profile: {
      startRate: 0,
      stages: [
        { durationSeconds: 30, rate: 100 },
        { durationSeconds: 30, rate: 100 },
        { durationSeconds: 10, rate: 0 },
      ],
    },
    thresholds,
  },
  spike: {
    description: '20 req/s, a spike to 200 req/s for 10 s, back to 20 req/s',
    profile: {
      startRate: 20,
      stages: [
        { durationSeconds: 15, rate: 20 },
        { durationSeconds: 1, rate: 200 },
        { durationSeconds: 10, rate: 200 },
        { durationSeconds: 1, rate: 20 },
        { durationSeconds: 15, rate: 20 },
      ],
    },
    // A spike may slow the tail down; it must not fail requests.
    thresholds: { ...thresholds, p95Ms: 500, p99Ms: 1000 },
  },
  soak: {
    description: 'constant 20 req/s for 10 min: leaks, slow drift, connection churn',
    profile: { startRate: 20, stages: [{ durationSeconds: 600, rate: 20 }] },
    thresholds,
  },
};

/** A profile with every rate multiplied by `rate` and every duration by `duration`. */
export function scaled(p: Profile, rate: number, duration: number): Profile {
  return {
    startRate: p.startRate * rate,
    stages: p.stages.map((s) => ({ durationSeconds: s.durationSeconds * duration, rate: s.rate * rate })),
  };
}
