// The user's cluster, reached the way kubectl reaches it: client-node's KubeConfig reads
// $KUBECONFIG or ~/.kube/config (or --kubeconfig), picks the context (--context), and computes
// each request's credentials, exec plugins and OIDC logins included. Requests and watches go
// over the operator's own transport (runtime/), adapted from that KubeConfig
// (runtime/clientnodeconnection.ts), so the plugin and the operator speak HTTP the same way.
// Deep import: the package root would also load the generated API clients the plugin never
// calls (see cli/build/bundle.ts).
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { connectionFromClientNode } from '../../../operator/src/runtime/clientnodeconnection.ts';
import type { KubeConnection } from '../../../operator/src/runtime/connection.ts';
import { ApiError, requestJson, type HttpVerb, type RequestOptions } from '../../../operator/src/runtime/apirequest.ts';
import { describeError } from '../../../operator/src/runtime/errors.ts';
import { CliError, EXIT } from '../exit.ts';

export interface KubeTarget {
  kubeconfig?: string | undefined;
  context?: string | undefined;
  namespace?: string | undefined;
  /** Deadline of one request, ms. */
  requestTimeoutMs: number;
}

export interface Kube {
  conn: KubeConnection;
  /** --namespace, else the context's namespace, else "default" (kubectl's order). */
  namespace: string;
  context: string;
  requestTimeoutMs: number;
}

export function connect(target: KubeTarget): Kube {
  const kc = new KubeConfig();
  try {
    if (target.kubeconfig) kc.loadFromFile(target.kubeconfig);
    else kc.loadFromDefault();
  } catch (err) {
    throw new CliError(EXIT.failed, `cannot read the kubeconfig: ${describeError(err)}`);
  }
  if (target.context) {
    if (!kc.getContextObject(target.context))
      throw new CliError(EXIT.notFound, `context "${target.context}" does not exist in the kubeconfig`);
    kc.setCurrentContext(target.context);
  }
  const context = kc.getCurrentContext();
  let conn: KubeConnection;
  try {
    conn = connectionFromClientNode(kc);
  } catch (err) {
    throw new CliError(EXIT.failed, describeError(err));
  }
  const namespace = target.namespace ?? kc.getContextObject(context)?.namespace ?? 'default';
  return { conn, namespace, context, requestTimeoutMs: target.requestTimeoutMs };
}

/** One JSON request with the deadline; API errors become CliErrors a script can branch on. */
export async function call<R>(
  kube: Kube,
  method: HttpVerb,
  path: string,
  options: RequestOptions = {},
  what = path,
): Promise<R> {
  try {
    return await requestJson<R>(kube.conn, method, path, AbortSignal.timeout(kube.requestTimeoutMs), options);
  } catch (err) {
    throw asCliError(err, what);
  }
}

export function asCliError(err: unknown, what: string): CliError | ApiError {
  if (err instanceof CliError) return err;
  if (err instanceof ApiError) {
    if (err.statusCode === 404) return new CliError(EXIT.notFound, `${what} not found`);
    // A 409 is left to the caller: server-side apply tells stale reads from field conflicts.
    if (err.statusCode === 409) return err;
    return new CliError(EXIT.failed, err.message);
  }
  if (err instanceof Error && err.name === 'TimeoutError')
    return new CliError(EXIT.failed, `${what}: no answer from the API server in time (--request-timeout)`);
  return new CliError(EXIT.failed, `${what}: ${describeError(err)}`);
}
