// The two controllers under comparison behind one shape: how to start each, what a user
// creates for one service, how a release is made, and when each counts as done. Same N, pod
// template (kwok placement, one container), replicas 1, auto-promotion and a 3600 s
// scale-down delay for both.
import { kwokBgs, templateWithImage } from '../../clusterkit/bgs.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import type { BlueGreenService } from '../../operator/src/api/types.ts';
import type { Bench } from '../operator/lib.ts';
import { paths } from '../../operator/src/k8s/paths.ts';
import { requestJson } from '../../operator/src/k8s/request.ts';
import { argoObjects, argoPromoted, startArgoRollouts, type ArgoStatus } from './argo.ts';

export interface Contender {
  name: string;
  /** Objects one service takes, as a user creates them. */
  perService: string;
  start(ns: string, kubeconfig: string): Promise<OperatorProcess>;
  watchPath(ns: string): string;
  create(ns: string, name: string): Promise<void>;
  /** Done after create: the first template serves through the active Service. */
  healthy: (obj: any) => boolean;
  release(ns: string, name: string): Promise<void>;
  /** Done after the release: the new template serves through the active Service. */
  promoted: (obj: any) => boolean;
}

const spec = { replicas: 1, scaleDownDelaySeconds: 3600 };
const MERGE = 'application/merge-patch+json';

function req(b: Bench, method: 'POST' | 'PATCH', path: string, body: unknown, contentType?: string) {
  return requestJson(b.kube.conn, method, path, AbortSignal.timeout(60_000), {
    body,
    ...(contentType ? { contentType } : {}),
  });
}

/**
 * One user request, retried like kubectl users would on a loaded shared API server: a timeout
 * or a 5xx/429 is tried again (up to 5 times); a 409 after a retry means the earlier attempt
 * did land. Applies to both controllers' inputs alike.
 */
async function retrying(fn: () => Promise<unknown>): Promise<void> {
  // (Each attempt has 60 s: on this shared 2-core machine a POST can wait > 15 s in the API
  // server's queue while 50 are in flight.)
  for (let attempt = 1; ; attempt++) {
    try {
      await fn();
      return;
    } catch (err) {
      const msg = String(err);
      if (attempt > 1 && /\b409\b|AlreadyExists/.test(msg)) return;
      if (attempt >= 5 || !/timeout|aborted|\b(429|5\d\d)\b|ECONNRESET/i.test(msg)) throw err;
    }
  }
}

async function waitHttpOk(url: string, op: OperatorProcess, what: string): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (op.child.exitCode !== null)
      throw new Error(`${what} exited ${op.child.exitCode}: ${op.logs.slice(-5).join('\n')}`);
    if (
      await fetch(url, { signal: AbortSignal.timeout(1000) }).then(
        (r) => r.ok,
        () => false,
      )
    )
      return;
    if (Date.now() > deadline)
      throw new Error(`${what} not ready at ${url} after 120 s: ${op.logs.slice(-10).join('\n')}`);
    await new Promise((r) => setTimeout(r, 200)); // a poll interval inside a deadline-bounded wait
  }
}

/** nodeArgs: Node/V8 flags of the operator process only (e.g. a V8 flag under test). */
export function bluegreenOperator(b: Bench, port: number, nodeArgs: string[] = []): Contender {
  const base = kwokBgs('x', 'x', 'app:v1', { ...spec, promotion: { auto: true } });
  return {
    name: 'bluegreen-operator',
    perService: '1 BlueGreenService (the operator creates 2 Deployments and 2 Services)',
    async start(ns, kubeconfig) {
      const op = startOperator({
        kubeconfig,
        namespace: ns,
        name: `compare-${port}`,
        port,
        env: { LEADER_ELECTION: 'false', LOG_LEVEL: 'info' },
        nodeArgs,
      });
      process.on('exit', () => op.child.kill('SIGKILL'));
      await waitHttpOk(`http://127.0.0.1:${port}/readyz`, op, 'bluegreen-operator');
      return op;
    },
    watchPath: (ns) => `/apis/bluegreen.dev/v1alpha1/namespaces/${ns}/bluegreenservices`,
    async create(ns, name) {
      await retrying(() =>
        req(b, 'POST', paths.bgs(ns), kwokBgs(ns, name, 'app:v1', { ...spec, promotion: { auto: true } })),
      );
    },
    healthy: (o: BlueGreenService) => o.status?.phase === 'Healthy' && o.status.activeColor === 'blue',
    async release(ns, name) {
      const template = templateWithImage(base, 'app:v2');
      await retrying(() =>
        req(
          b,
          'PATCH',
          paths.bgs(ns, name),
          { spec: { template: { ...template, metadata: { labels: { app: name } } } } },
          MERGE,
        ),
      );
    },
    promoted: (o: BlueGreenService) => o.status?.phase === 'Healthy' && o.status.activeColor === 'green',
  };
}

export function argoRollouts(b: Bench, dir: string, port: number): Contender {
  const base = kwokBgs('x', 'x', 'app:v1');
  // The pod-template hash each Rollout served when it was first Healthy: promoted = a new one.
  const firstHash = new Map<string, string>();
  return {
    name: 'Argo Rollouts',
    perService: '1 Rollout + 2 Services (active, preview) the user creates',
    async start(ns, kubeconfig) {
      const op = startArgoRollouts(dir, kubeconfig, ns, port);
      process.on('exit', () => op.child.kill('SIGKILL'));
      await waitHttpOk(`http://127.0.0.1:${port + 1}/healthz`, op, 'rollouts-controller');
      return op;
    },
    watchPath: (ns) => `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts`,
    async create(ns, name) {
      const o = argoObjects(ns, name, kwokBgs(ns, name, 'app:v1').spec.template, spec);
      // In the order a user's manifest would: the Rollout refers to both Services.
      for (const svc of o.services) await retrying(() => req(b, 'POST', `/api/v1/namespaces/${ns}/services`, svc));
      await retrying(() => req(b, 'POST', `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts`, o.rollout));
    },
    healthy(o: { metadata: { name: string }; status?: ArgoStatus }) {
      if (!argoPromoted(o.status)) return false;
      firstHash.set(o.metadata.name, o.status!.currentPodHash!);
      return true;
    },
    async release(ns, name) {
      const template = templateWithImage(base, 'app:v2');
      await retrying(() =>
        req(
          b,
          'PATCH',
          `/apis/argoproj.io/v1alpha1/namespaces/${ns}/rollouts/${name}`,
          { spec: { template: { ...template, metadata: { labels: { app: name } } } } },
          MERGE,
        ),
      );
    },
    promoted: (o: { metadata: { name: string }; status?: ArgoStatus }) =>
      argoPromoted(o.status) && o.status!.currentPodHash !== firstHash.get(o.metadata.name),
  };
}
