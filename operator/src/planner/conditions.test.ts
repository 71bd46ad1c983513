// Conditions keep their lastTransitionTime unless their status flips (rows written for the
// mutants the first mutation run left alive: bench/results/mutation-2026-12-07.md).
import { describe, expect, it } from 'vitest';
import type { Condition } from '../api/types.ts';
import { conditionStatus, setCondition } from './conditions.ts';

const before: Condition[] = [
  { type: 'Ready', status: 'True', reason: 'Steady', message: '', lastTransitionTime: 'T1' },
  { type: 'Degraded', status: 'False', reason: 'AsExpected', message: '', lastTransitionTime: 'T1' },
];

describe('setCondition', () => {
  it('Given the same status with a new message, Then the transition time is kept', () => {
    const next = setCondition(before, { type: 'Ready', status: 'True', reason: 'Steady', message: 'x' }, 'T2');
    expect(next.find((c) => c.type === 'Ready')).toMatchObject({ message: 'x', lastTransitionTime: 'T1' });
  });

  it('Given a flipped status, Then the transition time is now', () => {
    const next = setCondition(before, { type: 'Ready', status: 'False', reason: 'Progressing', message: '' }, 'T2');
    expect(next.find((c) => c.type === 'Ready')?.lastTransitionTime).toBe('T2');
  });

  it('Then the conditions come out sorted by type (a stable order writes nothing new)', () => {
    const next = setCondition(before, { type: 'Available', status: 'True', reason: 'Ready', message: '' }, 'T2');
    expect(next.map((c) => c.type)).toEqual(['Available', 'Degraded', 'Ready']);
  });
});

describe('conditionStatus', () => {
  it('Given several conditions, Then it reads the one of the type asked', () => {
    expect(conditionStatus(before, 'Degraded')).toBe('False');
    expect(conditionStatus(before, 'Ready')).toBe('True');
    expect(conditionStatus(before, 'Progressing')).toBeUndefined();
  });
});
