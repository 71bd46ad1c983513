// A tiny world for planted violations: blue serves v1 through the active Service, green runs v2
// (the template), every pod ready. Rows write through the simulated API server what the operator
// must never do and read which promise the contract oracle names. Objects are built here by hand
// (no planner builders), as a user would write them.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { ANNOTATIONS, LABELS, type Color } from '../../../operator/src/api/constants.ts';
import { revisionOf } from '../../../operator/src/api/revision.ts';
import type { BlueGreenService, BlueGreenServiceStatus } from '../../../operator/src/api/types.ts';
import { NS, SimCluster } from '../cluster.ts';
import { ContractOracle } from './oracle.ts';

export const OWNER = 'shop';
type Spec = BlueGreenService['spec'];

const template = (image: string): Spec['template'] => ({
  metadata: { labels: { app: OWNER } },
  spec: { containers: [{ name: 'app', image }] },
});
/** Revisions as the operator names them: the hash of the template. */
export const V1 = revisionOf(template('app:v1'));
export const V2 = revisionOf(template('app:v2'));

export function deployment(color: Color, revision: string, replicas: number): V1Deployment {
  const labels = { [LABELS.service]: OWNER, [LABELS.color]: color, [LABELS.revision]: revision };
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: `${OWNER}-${color}`, namespace: NS, generation: 1 },
    spec: {
      replicas,
      selector: { matchLabels: { [LABELS.service]: OWNER, [LABELS.color]: color } },
      template: { metadata: { labels }, spec: { containers: [{ name: 'app', image: `app:${revision}` }] } },
    },
  };
}

export function service(name: string, selects: Color | 'both', owner = OWNER, aborted?: string): V1Service {
  const selector: Record<string, string> = { [LABELS.service]: owner };
  if (selects !== 'both') selector[LABELS.color] = selects;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: NS, ...(aborted ? { annotations: { [ANNOTATIONS.abortedRevision]: aborted } } : {}) },
    spec: { selector, ports: [{ port: 80 }] },
  };
}

export interface World {
  cluster: SimCluster;
  oracle: ContractOracle;
  spec: Spec;
  /** The operator's writes of one pass, then the oracle's judgement of it. */
  pass(writes: (c: SimCluster) => Promise<unknown>, kind?: { input?: boolean }): Promise<string[]>;
  /** A Prometheus answer for a colour at a revision, in this step. */
  answer(stage: 'pre' | 'post' | 'canary', color: Color, revision: string, good: boolean): void;
  /** The user (or the world) changes something: the next pass follows an input. */
  input(change: (c: SimCluster, spec: Spec) => void): Promise<string[]>;
  setStatus(status: BlueGreenServiceStatus): void;
}

export function world(spec: Partial<Spec> = {}, replicas = { blue: 1, green: 1 }): World {
  const cluster = new SimCluster();
  const full: Spec = {
    replicas: 1,
    template: template('app:v2'),
    service: { ports: [{ port: 80 }] },
    promotion: { auto: true },
    ...spec,
  };
  const bgs: BlueGreenService = {
    apiVersion: 'bluegreen.dev/v1alpha1',
    kind: 'BlueGreenService',
    metadata: { name: OWNER, namespace: NS, uid: 'uid-shop' },
    spec: full,
  };
  cluster.putBgs(bgs);
  for (const [color, revision] of [
    ['blue', V1],
    ['green', V2],
  ] as const) {
    cluster.deployments.set(`${OWNER}-${color}`, deployment(color, revision, replicas[color]));
    cluster.pods.set(
      `${OWNER}-${color}`,
      Array.from({ length: replicas[color] }, () => ({ revision, ready: true, crashing: false })),
    );
  }
  cluster.services.set(OWNER, service(OWNER, 'blue'));
  cluster.services.set(`${OWNER}-preview`, service(`${OWNER}-preview`, 'green'));
  const seen = (): BlueGreenService => ({ ...cluster.bgs.get(OWNER)!, spec: full });
  const oracle = new ContractOracle(
    cluster,
    { owner: OWNER, activeName: OWNER, previewName: `${OWNER}-preview`, routeName: `${OWNER}-route` },
    seen,
  );
  let judged = 0;
  const verdicts = () => {
    const out = oracle.violations.slice(judged);
    judged = oracle.violations.length;
    return out;
  };
  return {
    cluster,
    oracle,
    spec: full,
    async pass(writes, kind = {}) {
      cluster.step++;
      cluster.reconciling = OWNER;
      await writes(cluster);
      cluster.reconciling = '';
      oracle.afterCommand({ input: kind.input ?? false, reconciled: true });
      return verdicts();
    },
    answer(stage, color, revision, good) {
      cluster.answers.push({ step: cluster.step, stage, color, revision, answer: good ? 'good' : 'bad' });
    },
    async input(change) {
      cluster.step++;
      change(cluster, full);
      oracle.afterCommand({ input: true, reconciled: false });
      return verdicts();
    },
    setStatus(status) {
      cluster.bgs.get(OWNER)!.status = status;
    },
  };
}

/** The writes a pass makes, through the simulated API server (recorded for the oracle). */
export const writes = {
  select: (name: string, selects: Color | 'both', aborted?: string) => (c: SimCluster) =>
    c.apply(service(name, selects, OWNER, aborted)),
  deploy: (color: Color, revision: string, replicas: number) => (c: SimCluster) =>
    c.apply(deployment(color, revision, replicas)),
  scale: (color: Color, replicas: number) => (c: SimCluster) => c.scaleDeployment(NS, `${OWNER}-${color}`, replicas),
};
