// Lists a collection by its URL path, returning plain JSON objects. The informer uses this by
// default so that listed objects look exactly like watched ones: the generated typed APIs turn
// timestamps into Date objects while Watch hands out parsed JSON (strings), and a cache mixing
// both shapes makes "did it change?" comparisons lie.
//
// Memory: the list is read in pages of a bounded size (limit/continue) and each page's items
// go through `transform` as the page arrives, so at most one raw page (not the whole raw list,
// managedFields and all) is alive at a time while the informer fills its cache.

import type { KubeConnection } from './connection.ts';
import type { KubernetesListObject, KubernetesObject } from '@kubernetes/client-node/dist/types.js';
import { requestJson } from './apirequest.ts';

/** client-go's reflector uses the same page size. */
export const DEFAULT_PAGE_SIZE = 500;

export interface RawListOptions<T> {
  labelSelector?: string;
  /** Page size; the API server returns a continue token when there is more. Default 500. */
  limit?: number;
  /** Applied to every item as its page arrives (e.g. dropping managedFields). */
  transform?: (obj: T) => T;
}

export async function listFromPath<T extends KubernetesObject>(
  conn: KubeConnection,
  path: string,
  signal: AbortSignal,
  options: RawListOptions<T> = {},
): Promise<KubernetesListObject<T>> {
  const limit = options.limit ?? DEFAULT_PAGE_SIZE;
  if (!Number.isInteger(limit) || limit < 1)
    throw new Error(`listFromPath: limit must be a positive integer, got ${limit}`);
  const transform = options.transform ?? ((o: T) => o);
  const items: T[] = [];
  let continueToken: string | undefined;
  // Only the first page's header is kept (not its raw items).
  let head: Omit<KubernetesListObject<T>, 'items'> | undefined;
  do {
    const query: Record<string, string> = { limit: String(limit) };
    if (options.labelSelector) query['labelSelector'] = options.labelSelector;
    if (continueToken) query['continue'] = continueToken;
    const page = await requestJson<KubernetesListObject<T>>(conn, 'GET', path, signal, { query });
    head ??= { apiVersion: page.apiVersion, kind: page.kind, metadata: page.metadata };
    for (const item of page.items ?? []) items.push(transform(item));
    continueToken = page.metadata?._continue ?? (page.metadata as { continue?: string } | undefined)?.continue;
  } while (continueToken);
  // The resourceVersion of the first page is the snapshot all pages belong to.
  return { ...head, items };
}
