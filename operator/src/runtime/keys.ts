// Work-queue and cache keys, as client-go's cache.MetaNamespaceKeyFunc and
// SplitMetaNamespaceKey define them: "namespace/name" for a namespaced object, "name" alone for
// a cluster-scoped one. One definition for the cache, the queue and the reconciler, so a key
// made by one always finds the object in the other.

export function objectKey(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}/${name}` : name;
}

/** Inverse of objectKey: a key without a slash is a cluster-scoped object (namespace ''). */
export function splitKey(key: string): { namespace: string; name: string } {
  const slash = key.indexOf('/');
  if (slash < 0) return { namespace: '', name: key };
  return { namespace: key.slice(0, slash), name: key.slice(slash + 1) };
}
