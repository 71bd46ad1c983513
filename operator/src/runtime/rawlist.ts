// Lists a collection by its URL path, returning plain JSON objects. The informer uses this by
// default so that listed objects look exactly like watched ones: the generated typed APIs turn
// timestamps into Date objects while Watch hands out parsed JSON (strings), and a cache mixing
// both shapes makes "did it change?" comparisons lie.

import {
  HttpMethod,
  IsomorphicFetchHttpLibrary,
  RequestContext,
  type KubeConfig,
  type KubernetesListObject,
  type KubernetesObject,
} from '@kubernetes/client-node';

import { reuseConnections } from './apicall.ts';

const http = new IsomorphicFetchHttpLibrary();

export interface RawListOptions {
  labelSelector?: string;
  /** Page size; the API server returns a continue token when there is more. Default 500. */
  limit?: number;
}

export async function listFromPath<T extends KubernetesObject>(
  kc: KubeConfig,
  path: string,
  signal: AbortSignal,
  options: RawListOptions = {},
): Promise<KubernetesListObject<T>> {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error('kubeconfig: no current cluster');
  const items: T[] = [];
  let continueToken: string | undefined;
  let first: KubernetesListObject<T> | undefined;
  do {
    const url = new URL(cluster.server + path);
    url.searchParams.set('limit', String(options.limit ?? 500));
    if (options.labelSelector) url.searchParams.set('labelSelector', options.labelSelector);
    if (continueToken) url.searchParams.set('continue', continueToken);
    const page = await getJson<KubernetesListObject<T>>(kc, url.toString(), signal);
    first ??= page;
    items.push(...(page.items ?? []));
    continueToken = page.metadata?._continue ?? (page.metadata as { continue?: string } | undefined)?.continue;
  } while (continueToken);
  // The resourceVersion of the first page is the snapshot all pages belong to.
  return { apiVersion: first.apiVersion, kind: first.kind, metadata: first.metadata, items };
}

async function getJson<R>(kc: KubeConfig, url: string, signal: AbortSignal): Promise<R> {
  const ctx = new RequestContext(url, HttpMethod.GET);
  ctx.setHeaderParam('Accept', 'application/json');
  await kc.applySecurityAuthentication(ctx);
  reuseConnections(kc, ctx);
  ctx.setSignal(signal);
  const response = await http.send(ctx).toPromise();
  const text = await response.body.text();
  if (response.httpStatusCode !== 200) {
    let message = text.slice(0, 300);
    try {
      message = (JSON.parse(text) as { message?: string }).message ?? message;
    } catch {
      // not a Status object; keep the raw text
    }
    throw Object.assign(new Error(`GET ${new URL(url).pathname}: ${response.httpStatusCode} ${message}`), {
      statusCode: response.httpStatusCode,
    });
  }
  return JSON.parse(text) as R;
}
