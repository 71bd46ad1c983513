import { describe, expect, it } from 'vitest';
import { objectKey, splitKey } from './keys.ts';
import { ObjectStore } from './store.ts';

describe('objectKey and splitKey', () => {
  it.each<[string, string | undefined, string, string]>([
    ['a namespaced object', 'team-a', 'orders', 'team-a/orders'],
    ['an empty namespace (cluster-scoped, as client-go)', '', 'orders', 'orders'],
    ['no namespace at all', undefined, 'orders', 'orders'],
  ])('Given %s, Then the key is as client-go makes it and splits back', (_case, namespace, name, key) => {
    expect(objectKey(namespace, name)).toBe(key);
    expect(splitKey(key)).toEqual({ namespace: namespace ?? '', name });
  });

  it('Given a key made for the queue, Then the cache finds the object by its split parts', () => {
    const store = new ObjectStore();
    store.upsert({ metadata: { name: 'crd-a', resourceVersion: '1' } });
    store.upsert({ metadata: { namespace: 'ns', name: 'a', resourceVersion: '1' } });
    for (const key of ['crd-a', 'ns/a']) {
      const { namespace, name } = splitKey(key);
      expect(store.get(namespace, name)?.metadata?.name).toBe(name);
    }
  });
});
