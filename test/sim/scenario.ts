// What the simulation generates: a BlueGreenService configuration, and a sequence of things
// that happen to it — user edits, controller progress, pod crashes, Prometheus answers, write
// faults, operator crashes, informer lag, time — each applied to the SimCluster/SimOperator.
import fc from 'fast-check';
import type { Color } from '../../operator/src/api/constants.ts';
import type { AnalysisTemplateInput, BlueGreenService } from '../../operator/src/api/types.ts';
import { BROKEN_IMAGE, NS, type PromAnswer, type SimCluster, type WriteFault } from './cluster.ts';
import type { HTTPRouteLike } from '../../operator/src/api/httproute.ts';
import type { CacheKind, SimOperator } from './world.ts';

export interface AnalysisConfig {
  count: number;
  failureLimit: number;
  inconclusiveLimit: number;
}

export interface Config {
  replicas: number;
  /** undefined: same as replicas. */
  previewReplicas: number | undefined;
  auto: boolean;
  pre: AnalysisConfig | undefined;
  post: AnalysisConfig | undefined;
  scaleDownDelaySeconds: number;
  progressDeadlineSeconds: number;
  /** A second BlueGreenService that names the same Service (a conflict to refuse). */
  rival: boolean;
  steady: boolean;
  /** spec.canary (docs/adr/0012); undefined: none. */
  canary: CanaryConfig | undefined;
}

export interface CanaryConfig {
  weights: readonly number[];
  /** Every step's pause: none, seconds, or until promoted. */
  pause: 'none' | 'until' | number;
  /** Every step's analysis, if any. */
  analysis: AnalysisConfig | undefined;
  /** Exact weights on an HTTPRoute (docs/adr/0017) instead of replica weights on the Service. */
  gateway: boolean;
}

const analysisArb = fc.record({
  count: fc.integer({ min: 1, max: 3 }),
  failureLimit: fc.integer({ min: 0, max: 2 }),
  inconclusiveLimit: fc.integer({ min: 0, max: 3 }),
});

const blueGreenConfigArb = fc.record({
  /** Start with blue serving app:v1 and Healthy (else from nothing: the first deploy). */
  steady: fc.boolean(),
  replicas: fc.integer({ min: 1, max: 3 }),
  previewReplicas: fc.option(fc.constant(1), { nil: undefined }),
  auto: fc.boolean(),
  pre: fc.option(analysisArb, { nil: undefined }),
  post: fc.option(analysisArb, { nil: undefined }),
  scaleDownDelaySeconds: fc.constantFrom(0, 30, 300),
  progressDeadlineSeconds: fc.constantFrom(0, 120, 600),
  rival: fc.boolean(),
});

/**
 * The canary part is drawn after the rest, so the blue-green configurations a seed generated
 * before canary steps existed are drawn the same way (a canary config is added, or not).
 */
const canaryArb = fc.option(
  fc.record({
    weights: fc.constantFrom([10, 50], [50], [25, 50, 75], [1, 99]),
    pause: fc.constantFrom<CanaryConfig['pause']>('none', 'until', 0, 30),
    analysis: fc.option(analysisArb, { nil: undefined }),
    gateway: fc.boolean(),
  }),
  { nil: undefined },
);

export const configArb: fc.Arbitrary<Config> = fc
  .tuple(blueGreenConfigArb, canaryArb)
  .map(([config, canary]) => ({ ...config, canary }));

export const IMAGES = ['app:v1', 'app:v2', 'app:v3', BROKEN_IMAGE] as const;

function analysis(stage: 'pre' | 'post' | 'canary', a: AnalysisConfig): AnalysisTemplateInput {
  return {
    intervalSeconds: 10,
    count: a.count,
    failureLimit: a.failureLimit,
    inconclusiveLimit: a.inconclusiveLimit,
    metrics: [{ name: `${stage}-errors`, query: `${stage}{color="{{color}}",revision="{{revision}}"}`, max: 0.5 }],
  };
}

export interface UserSpec {
  image: string;
  activeColor: Color | undefined;
  replicas: number;
  /** The user's edits of spec.canary mid-scenario: removed, or other weights (undefined: as configured). */
  canary?: 'removed' | readonly number[];
}

/** The Service both BlueGreenServices name in a rival run: it exists before either, owned by nobody. */
export const SHARED_SERVICE = 'front';

export function simBgs(name: string, cfg: Config, user: UserSpec): BlueGreenService {
  const rival = name === RIVAL;
  return {
    apiVersion: 'bluegreen.dev/v1alpha1',
    kind: 'BlueGreenService',
    metadata: { name, namespace: NS, uid: `uid-${name}` },
    spec: {
      replicas: user.replicas,
      ...(cfg.previewReplicas !== undefined ? { previewReplicas: Math.min(cfg.previewReplicas, user.replicas) } : {}),
      ...(user.activeColor ? { activeColor: user.activeColor } : {}),
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: user.image }] } },
      service: { ...(cfg.rival ? { name: SHARED_SERVICE } : {}), ports: [{ port: 80, targetPort: 8080 }] },
      ...(rival ? { previewService: { enabled: false } } : {}),
      promotion: { auto: cfg.auto },
      scaleDownDelaySeconds: cfg.scaleDownDelaySeconds,
      progressDeadlineSeconds: cfg.progressDeadlineSeconds,
      ...(cfg.pre || cfg.post || cfg.canary?.analysis
        ? {
            analysis: {
              prometheus: { address: 'http://prometheus.sim:9090' },
              ...(cfg.pre ? { prePromotion: analysis('pre', cfg.pre) } : {}),
              ...(cfg.post ? { postPromotion: analysis('post', cfg.post) } : {}),
            },
          }
        : {}),
      ...(cfg.canary && !rival && user.canary !== 'removed'
        ? { canary: canarySpec(user.canary ? { ...cfg.canary, weights: user.canary } : cfg.canary) }
        : {}),
    },
  };
}

function canarySpec(c: CanaryConfig): NonNullable<BlueGreenService['spec']['canary']> {
  return {
    ...(c.gateway ? { trafficRouting: { gatewayAPI: { httpRoute: ROUTE } } } : {}),
    steps: c.weights.map((setWeight) => ({
      setWeight,
      ...(c.pause === 'none' ? {} : { pause: c.pause === 'until' ? {} : { seconds: c.pause } }),
      ...(c.analysis ? { analysis: analysis('canary', c.analysis) } : {}),
    })),
  };
}

const color = fc.constantFrom<Color>('blue', 'green');
export type Command =
  | { do: 'reconcile' }
  | { do: 'reconcileRival' }
  | { do: 'sync'; kind: CacheKind }
  | { do: 'deploymentController'; color: Color }
  | { do: 'podReady'; color: Color }
  | { do: 'tick'; seconds: number }
  /** Every controller catches up and every informer delivers: the cluster settles for a moment. */
  | { do: 'settle' }
  | { do: 'setImage'; image: string }
  | { do: 'setActiveColor'; color: Color | undefined }
  | { do: 'setReplicas'; replicas: number }
  | { do: 'podCrash'; color: Color }
  | { do: 'podsRecover'; color: Color }
  | { do: 'deleteDeployment'; color: Color }
  /** `kubectl scale deploy <colour> --replicas=0` by hand (or a downscaler): not through the operator. */
  | { do: 'scaleColorToZero'; color: Color }
  | { do: 'deleteService'; role: 'active' | 'preview' }
  | { do: 'prometheus'; color: Color; answer: PromAnswer }
  | { do: 'fault'; fault: WriteFault }
  /** `kubectl scale deploy <colour> --replicas=N` by hand. */
  | { do: 'scaleColorByHand'; color: Color; replicas: number }
  /** A restore from a backup that does not carry the status subresource. */
  | { do: 'wipeStatus' }
  /** The kept template copies (ControllerRevisions) deleted by hand. */
  | { do: 'deleteKeptTemplates' }
  /** spec.canary edited mid-scenario: removed, other weights, or back as configured. */
  | { do: 'editCanary'; change: 'removed' | 'weights' | 'restored' }
  /** The user's HTTPRoute edited: a third backend added, deleted, or restored as it was. */
  | { do: 'editRoute'; change: 'thirdBackend' | 'deleted' | 'restored' };

export const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 10, arbitrary: fc.constant({ do: 'reconcile' as const }) },
  { weight: 2, arbitrary: fc.constant({ do: 'reconcileRival' as const }) },
  {
    weight: 6,
    arbitrary: fc.record({
      do: fc.constant('sync' as const),
      kind: fc.constantFrom<CacheKind>('bgs', 'deployments', 'services', 'slices'),
    }),
  },
  { weight: 6, arbitrary: fc.record({ do: fc.constant('deploymentController' as const), color }) },
  { weight: 6, arbitrary: fc.record({ do: fc.constant('podReady' as const), color }) },
  { weight: 4, arbitrary: fc.record({ do: fc.constant('tick' as const), seconds: fc.integer({ min: 1, max: 60 }) }) },
  { weight: 5, arbitrary: fc.constant({ do: 'settle' as const }) },
  { weight: 2, arbitrary: fc.record({ do: fc.constant('setImage' as const), image: fc.constantFrom(...IMAGES) }) },
  {
    weight: 1,
    arbitrary: fc.record({ do: fc.constant('setActiveColor' as const), color: fc.option(color, { nil: undefined }) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ do: fc.constant('setReplicas' as const), replicas: fc.integer({ min: 0, max: 6 }) }),
  },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('podCrash' as const), color }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('podsRecover' as const), color }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('deleteDeployment' as const), color }) },
  { weight: 1, arbitrary: fc.record({ do: fc.constant('scaleColorToZero' as const), color }) },
  {
    weight: 1,
    arbitrary: fc.record({
      do: fc.constant('deleteService' as const),
      role: fc.constantFrom<'active' | 'preview'>('active', 'preview'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      do: fc.constant('prometheus' as const),
      color,
      answer: fc.constantFrom<PromAnswer>('good', 'good', 'bad', 'no-data', 'error', 'timeout'),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      do: fc.constant('fault' as const),
      fault: fc.constantFrom<WriteFault>('conflict', 'invalid', 'unavailable', 'crash-before', 'crash-after'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      do: fc.constant('scaleColorByHand' as const),
      color,
      replicas: fc.integer({ min: 1, max: 5 }),
    }),
  },
  { weight: 1, arbitrary: fc.constant({ do: 'wipeStatus' as const }) },
  { weight: 1, arbitrary: fc.constant({ do: 'deleteKeptTemplates' as const }) },
  {
    weight: 1,
    arbitrary: fc.record({
      do: fc.constant('editCanary' as const),
      change: fc.constantFrom<'removed' | 'weights' | 'restored'>('removed', 'weights', 'restored'),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      do: fc.constant('editRoute' as const),
      change: fc.constantFrom<'thirdBackend' | 'deleted' | 'restored'>('thirdBackend', 'deleted', 'restored'),
    }),
  },
);

/** Commands that change what the operator should do (inputs); the rest is progress. */
export function isInput(c: Command): boolean {
  return ![
    'reconcile',
    'reconcileRival',
    'sync',
    'deploymentController',
    'podReady',
    'tick',
    'settle',
    'fault',
  ].includes(c.do);
}

export const MAIN = 'shop';
export const RIVAL = 'rival';
export const activeName = (cfg: Config) => (cfg.rival ? SHARED_SERVICE : MAIN);
/** The user's HTTPRoute of a gateway canary configuration: the active Service at 100, the preview at 0. */
export const ROUTE = 'shop-route';

export function simRoute(cfg: Config): HTTPRouteLike {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: ROUTE, namespace: NS },
    spec: {
      rules: [
        {
          backendRefs: [
            { name: activeName(cfg), port: 80, weight: 100 },
            { name: `${activeName(cfg)}-preview`, port: 80, weight: 0 },
          ],
        },
      ],
    },
  };
}

/** The user edits their HTTPRoute (gateway configurations only): a third backend, deletion, or back as it was. */
function editRoute(cluster: SimCluster, cfg: Config, change: 'thirdBackend' | 'deleted' | 'restored'): void {
  if (!cfg.canary?.gateway) return;
  const route = cluster.routes.get(ROUTE);
  if (change === 'deleted') {
    cluster.routes.delete(ROUTE);
    return;
  }
  const base = change === 'restored' || !route ? simRoute(cfg) : structuredClone(route);
  if (change === 'thirdBackend') base.spec!.rules![0]!.backendRefs!.push({ name: 'legacy', port: 80, weight: 10 });
  cluster.routes.set(ROUTE, { ...base, metadata: { name: ROUTE, namespace: NS, resourceVersion: cluster.nextRv() } });
}

/** Every Deployment rolls and its pods get ready (crashing ones excepted); every cache catches up. */
export function settle(cluster: SimCluster, op: SimOperator): void {
  for (const name of [...cluster.deployments.keys()]) {
    for (let i = 0; i < 8; i++) {
      cluster.deploymentController(name);
      cluster.podReady(name);
    }
    cluster.deploymentController(name);
  }
  op.syncAll();
}

/** Applies one command. Readiness losses reach the caches at once (see README: the model). */
export async function apply(
  c: Command,
  cluster: SimCluster,
  op: SimOperator,
  user: UserSpec,
  cfg: Config,
): Promise<void> {
  const dep = (col: Color) => `${MAIN}-${col}`;
  switch (c.do) {
    case 'reconcile':
      await op.reconcile(MAIN);
      return;
    case 'reconcileRival':
      if (!cfg.rival) return;
      // The rival's pods simply come up: it exists to compete for the shared Service.
      for (const col of ['blue', 'green'] as const) {
        cluster.deploymentController(`${RIVAL}-${col}`);
        cluster.podReady(`${RIVAL}-${col}`);
      }
      op.syncAll();
      await op.reconcile(RIVAL);
      return;
    case 'sync':
      op.sync(c.kind);
      return;
    case 'deploymentController': {
      // A pod it removed is a readiness loss: it reaches the caches at once, as a crash does
      // (seed 20261218: a live colour scaled to 0 by hand looked ready to the operator).
      const ready = cluster.readyPods(dep(c.color));
      cluster.deploymentController(dep(c.color));
      if (cluster.readyPods(dep(c.color)) < ready) op.sync('slices');
      return;
    }
    case 'podReady':
      cluster.podReady(dep(c.color));
      return;
    case 'tick':
      cluster.now += c.seconds * 1000;
      return;
    case 'settle':
      settle(cluster, op);
      return;
    case 'setImage':
      user.image = c.image;
      break;
    case 'setActiveColor':
      user.activeColor = c.color;
      break;
    case 'setReplicas':
      // CEL refuses spec.replicas 0 with spec.canary or with pre-promotion analysis (docs/api.md).
      if (c.replicas === 0 && (cfg.canary || cfg.pre)) return;
      user.replicas = c.replicas;
      break;
    case 'podCrash':
      cluster.podCrash(dep(c.color));
      op.sync('slices');
      return;
    case 'podsRecover':
      cluster.podsRecover(dep(c.color));
      return;
    case 'deleteDeployment':
      cluster.deleteDeployment(dep(c.color));
      op.sync('deployments');
      op.sync('slices');
      return;
    case 'scaleColorToZero':
      cluster.scaleByHand(dep(c.color), 0);
      op.sync('deployments');
      return;
    case 'deleteService':
      cluster.deleteService(c.role === 'active' ? activeName(cfg) : `${activeName(cfg)}-preview`);
      op.sync('services');
      return;
    case 'prometheus':
      cluster.prometheus[c.color] = c.answer;
      return;
    case 'fault':
      cluster.faults.push(c.fault);
      return;
    case 'scaleColorByHand':
      cluster.scaleByHand(dep(c.color), c.replicas);
      op.sync('deployments');
      return;
    case 'wipeStatus': {
      // A restore re-creates the object: a new resourceVersion, no status.
      const restored = cluster.bgs.get(MAIN)!;
      delete restored.status;
      restored.metadata.resourceVersion = cluster.nextRv();
      return;
    }
    case 'deleteKeptTemplates':
      cluster.revisions.clear();
      return;
    case 'editCanary':
      user.canary = c.change === 'removed' ? 'removed' : c.change === 'weights' ? [30, 60] : undefined;
      break;
    case 'editRoute':
      editRoute(cluster, cfg, c.change);
      return;
  }
  cluster.putBgs(simBgs(MAIN, cfg, user));
}
