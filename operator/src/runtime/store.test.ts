import type { KubernetesObject } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { ObjectStore } from './store.ts';

function obj(
  name: string,
  rv: string,
  extra: { owner?: string; labels?: Record<string, string>; ns?: string } = {},
): KubernetesObject {
  return {
    metadata: {
      name,
      namespace: extra.ns ?? 'default',
      resourceVersion: rv,
      labels: extra.labels,
      ownerReferences: extra.owner ? [{ apiVersion: 'v1', kind: 'X', name: 'owner', uid: extra.owner }] : undefined,
    },
  };
}

describe('ObjectStore', () => {
  it('indexes by owner uid, label and namespace, and re-indexes on update', () => {
    const store = new ObjectStore();
    store.upsert(obj('blue', '1', { owner: 'u1', labels: { color: 'blue' } }));
    store.upsert(obj('green', '1', { owner: 'u1', labels: { color: 'green' } }));
    store.upsert(obj('other', '1', { owner: 'u2', ns: 'prod' }));
    expect(
      store
        .byOwnerUid('u1')
        .map((o) => o.metadata?.name)
        .sort(),
    ).toEqual(['blue', 'green']);
    expect(store.byLabel('color', 'blue').map((o) => o.metadata?.name)).toEqual(['blue']);
    expect(store.list('prod').map((o) => o.metadata?.name)).toEqual(['other']);
    store.upsert(obj('blue', '2', { owner: 'u2', labels: { color: 'green' } }));
    expect(store.byOwnerUid('u1').map((o) => o.metadata?.name)).toEqual(['green']);
    expect(store.byLabel('color', 'blue')).toEqual([]);
    expect(store.byLabel('color', 'green')).toHaveLength(2);
    store.remove(obj('green', '3'));
    expect(store.byOwnerUid('u1')).toEqual([]);
  });

  it('reports no change for the same resourceVersion, so relists cause no spurious updates', () => {
    const store = new ObjectStore();
    expect(store.upsert(obj('a', '1'))?.type).toBe('add');
    expect(store.upsert(obj('a', '1'))).toBeUndefined();
    const changes = store.replaceAll([obj('a', '1'), obj('b', '1')]);
    expect(changes.map((c) => `${c.type} ${c.obj.metadata?.name}`)).toEqual(['add b']);
    expect(store.replaceAll([obj('b', '2')]).map((c) => `${c.type} ${c.obj.metadata?.name}`)).toEqual([
      'update b',
      'delete a',
    ]);
  });
});
