import { describe, expect, it } from 'vitest';
import { arrivalsBy, checkProfile, dueAt, profileDuration, rateAt, type Profile } from './profile.ts';
import { scenarios } from '../scenarios.ts';

const ramp: Profile = {
  startRate: 0,
  stages: [
    { durationSeconds: 10, rate: 100 },
    { durationSeconds: 10, rate: 100 },
  ],
};

describe('arrival-rate profiles', () => {
  it.each([
    [0, 0, 0],
    [5, 50, 125], // half the ramp: the area of a triangle 5 s x 50/s
    [10, 100, 500],
    [15, 100, 1000],
    [20, 100, 1500],
    [99, 100, 1500], // capped at the end
  ])('Given a 0->100/s ramp then a hold, at t=%ss the rate is %s and %s requests are due', (t, rate, due) => {
    expect(rateAt(ramp, t)).toBeCloseTo(rate);
    expect(arrivalsBy(ramp, t)).toBeCloseTo(due);
  });

  it('dueAt is the inverse of arrivalsBy', () => {
    for (const k of [0, 1, 124, 500, 1499]) expect(arrivalsBy(ramp, dueAt(ramp, k))).toBeCloseTo(k + 0, 0);
    expect(dueAt(ramp, 500)).toBeCloseTo(10, 3);
  });

  it('every named scenario is valid and the spike really spikes', () => {
    for (const [name, s] of Object.entries(scenarios)) expect(() => checkProfile(s.profile, name)).not.toThrow();
    const spike = scenarios['spike']!.profile;
    expect(Math.max(...Array.from({ length: profileDuration(spike) }, (_, t) => rateAt(spike, t)))).toBe(200);
  });

  it.each([
    [{ startRate: -1, stages: [{ durationSeconds: 1, rate: 1 }] }, 'p.startRate must be a number >= 0, got -1'],
    [{ startRate: 1, stages: [] }, 'p.stages must be a non-empty list'],
    [{ startRate: 1, stages: [{ durationSeconds: 0, rate: 1 }] }, 'p.stages[0].durationSeconds must be a number > 0'],
    [{ startRate: 1, stages: [{ durationSeconds: 1, rate: Number.NaN }] }, 'p.stages[0].rate must be a number >= 0'],
    [{ startRate: 0, stages: [{ durationSeconds: 10, rate: 0 }] }, 'p sends no request'],
  ])('a bad profile is refused naming the field: %j', (p, message) => {
    expect(() => checkProfile(p, 'p')).toThrow(message);
  });
});
