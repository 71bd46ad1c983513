// `get NAME -w`: the object, its Deployments, pods and Events kept current by watches (the
// operator's resilient informer, runtime/informer.ts: list, then watch from that version,
// relist on 410 Gone, restart after errors with backoff), and the tree redrawn from memory on
// every change. Nothing polls the API; a one-second timer only re-renders ages and the pause
// countdown from what is already in memory, and writes only when the text changed.
import { paths } from '../../../operator/src/k8s/paths.ts';
import { describeError } from '../../../operator/src/runtime/errors.ts';
import { createInformer } from '../../../operator/src/runtime/informer.ts';
import type { Logger } from '../../../operator/src/runtime/logger.ts';
import type { KubernetesObject } from '@kubernetes/client-node/dist/types.js';
import type { ReleaseSnapshot } from '../model/objects.ts';
import type { Kube } from './client.ts';
import { podsPath, selectorsOf } from './reads.ts';

export interface WatchedRelease {
  /** The newest state, or undefined while the object does not exist. */
  snapshot(): ReleaseSnapshot | undefined;
  /** The last list/watch failure the informers are retrying after, until a change arrives again. */
  problem(): string | undefined;
  /** Called (synchronously) after any change the watches deliver. */
  onChange(handler: () => void): void;
  stop(): void;
}

/**
 * The informers log a warning each time a list or watch fails and they back off (an expired
 * token, RBAC without `watch`, the API server gone): `get -w` shows the last one under the tree
 * instead of a frame that silently stops changing.
 */
function problemLogger(report: (text: string) => void): Logger {
  const logger: Logger = {
    debug: () => undefined,
    info: () => undefined,
    warn: (msg, fields) => report(`${msg}: ${describeError(fields?.['err'])}`),
    error: (msg, fields) => report(`${msg}: ${describeError(fields?.['err'])}`),
    child: () => logger,
  };
  return logger;
}

/** A collection path narrowed by a field selector; the transport keeps a path's query and adds its own. */
const withFieldSelector = (path: string, selector: string) => `${path}?fieldSelector=${encodeURIComponent(selector)}`;

export async function watchRelease(kube: Kube, namespace: string, name: string): Promise<WatchedRelease> {
  const sel = selectorsOf(name);
  let problem: string | undefined;
  const handlers: (() => void)[] = [];
  const notify = () => handlers.forEach((h) => h());
  const logger = problemLogger((text) => {
    problem = text;
    notify();
  });
  const informer = (kind: string, path: string, labelSelector?: string) =>
    createInformer<KubernetesObject>({
      name: `${kind} of ${namespace}/${name}`,
      conn: kube.conn,
      path,
      logger,
      ...(labelSelector ? { labelSelector } : {}),
    });
  const bgs = informer('bluegreenservice', withFieldSelector(paths.bgs(namespace), sel.self));
  const deployments = informer('deployments', paths.deployments(namespace), sel.owned);
  const pods = informer('pods', podsPath(namespace), sel.owned);
  const events = informer('events', withFieldSelector(paths.events(namespace), sel.events));
  const all = [bgs, deployments, pods, events];
  for (const inf of all)
    inf.onChange(() => {
      problem = undefined; // a change arrived: the watches work again
      notify();
    });
  await Promise.all(all.map((inf) => inf.start()));
  return {
    snapshot() {
      const object = bgs.store.list()[0];
      if (!object) return undefined;
      const snapshot = {
        bgs: object,
        deployments: deployments.store.list(),
        pods: pods.store.list(),
        events: events.store.list(),
      };
      // The informers hold the JSON the API server sent (timestamps as strings), which is what
      // model/objects.ts types; client-node's KubernetesObject, their type parameter, says Date.
      return snapshot as unknown as ReleaseSnapshot;
    },
    problem: () => problem,
    onChange: (handler) => handlers.push(handler),
    stop: () => all.forEach((inf) => inf.stop()),
  };
}
