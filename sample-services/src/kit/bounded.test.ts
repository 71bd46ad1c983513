import { describe, expect, it } from 'vitest';
import { BoundedMap } from './bounded.ts';

interface Item {
  id: number;
  owner: string;
}

describe('BoundedMap', () => {
  it('Given a full map, When another entry arrives, Then the oldest goes and is counted', () => {
    const m = new BoundedMap<number, Item>(2);
    for (const id of [1, 2, 3]) m.set(id, { id, owner: 'a' });
    expect([m.get(1), m.get(2)?.id, m.get(3)?.id, m.size, m.evicted]).toEqual([undefined, 2, 3, 2, 1]);
  });

  it('lists an owner’s newest entries first and forgets evicted ones', () => {
    const m = new BoundedMap<number, Item>(3, (v) => v.owner);
    for (const [id, owner] of [
      [1, 'a'],
      [2, 'b'],
      [3, 'a'],
      [4, 'a'],
      [5, 'b'],
    ] as const)
      m.set(id, { id, owner });
    expect(m.newestOf('a', 10).map((v) => v.id)).toEqual([4, 3]);
    expect(m.newestOf('b', 10).map((v) => v.id)).toEqual([5]);
    expect(m.newestOf('a', 1).map((v) => v.id)).toEqual([4]);
    expect(m.newestOf('nobody', 5)).toEqual([]);
  });

  it('replacing a value keeps its age; delete removes it from the owner list', () => {
    const m = new BoundedMap<number, Item>(2, (v) => v.owner);
    m.set(1, { id: 1, owner: 'a' });
    m.set(2, { id: 2, owner: 'a' });
    m.set(1, { id: 1, owner: 'a' });
    m.set(3, { id: 3, owner: 'a' });
    expect(m.get(1)).toBeUndefined();
    m.delete(3);
    expect(m.newestOf('a', 5).map((v) => v.id)).toEqual([2]);
  });
});
