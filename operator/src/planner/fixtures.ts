// Test fixtures for planner tables: a BlueGreenService and the world around it, described
// in a few words per test. Used only by *.test.ts; kept out of them so each table stays short.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { ANNOTATIONS, LABELS, type Color } from '../api/constants.ts';
import { revisionOf } from '../api/revision.ts';
import type { BlueGreenService, BlueGreenServiceSpec, BlueGreenServiceStatus } from '../api/types.ts';
import { desiredActiveService, desiredColorService, desiredDeployment, desiredPreviewService } from './desired.ts';
import { activeServiceName, previewServiceName } from '../api/names.ts';
import type { HTTPRouteLike } from '../api/httproute.ts';
import type { Action, Observed, Plan } from './types.ts';

export const T0 = Date.parse('2026-11-27T12:00:00Z');
export const iso = (ms: number) => new Date(ms).toISOString();

export function template(image: string): BlueGreenServiceSpec['template'] {
  return { metadata: { labels: { app: 'orders' } }, spec: { containers: [{ name: 'app', image }] } };
}

export function bgs(spec: Partial<BlueGreenServiceSpec> = {}, status?: BlueGreenServiceStatus): BlueGreenService {
  return {
    apiVersion: 'bluegreen.dev/v1alpha1',
    kind: 'BlueGreenService',
    metadata: { name: 'orders', namespace: 'shop', uid: 'uid-orders', generation: 1 },
    spec: {
      replicas: 3,
      template: template('orders:v1'),
      service: { ports: [{ port: 80, targetPort: 8080 }] },
      ...spec,
    },
    ...(status ? { status } : {}),
  };
}

export const rev = (image: string) => revisionOf(template(image));

/** A canary step analysis of green at `image` that started at `reachedMs` and has measured nothing yet. */
export function runningCanaryRun(image: string, reachedMs: number): NonNullable<BlueGreenServiceStatus['analysis']> {
  return {
    stage: 'Canary',
    revision: rev(image),
    color: 'green',
    phase: 'Running',
    startedAt: iso(reachedMs),
    successful: 0,
    failed: 0,
    inconclusive: 0,
    rounds: 0,
    passedRounds: 0,
    measurements: [],
  };
}

/** What the reconciler hands back when it measured green's canary step at `image`. */
export const measuringCanary = (image: string) => ({
  stage: 'Canary' as const,
  color: 'green' as const,
  revision: rev(image),
});

export interface ColorWorld {
  image: string;
  replicas: number;
  /** Ready pods; defaults to replicas. */
  ready?: number;
}

export function deployment(b: BlueGreenService, color: Color, w: ColorWorld): V1Deployment {
  const d = desiredDeployment(
    { ...b, spec: { ...b.spec, template: template(w.image) } },
    color,
    w.replicas,
    rev(w.image),
  );
  const ready = w.ready ?? w.replicas;
  d.metadata!.generation = 1;
  d.status = {
    observedGeneration: 1,
    replicas: w.replicas,
    updatedReplicas: w.replicas,
    availableReplicas: ready,
    readyReplicas: ready,
  };
  return d;
}

export interface World {
  blue?: ColorWorld;
  green?: ColorWorld;
  /** 'both': the active Service selects both colours (a canary step). */
  active?: Color | 'both';
  preview?: Color;
  now?: number;
  activeService?: V1Service;
  /** The HTTPRoute of the Gateway API mode (docs/adr/0017): the canary's weight, or a route as given. */
  route?: number | HTTPRouteLike;
}

/** An HTTPRoute `orders` with one rule: the active Service at 100 - canary, the preview Service at canary. */
export function httpRoute(b: BlueGreenService, canary: number): HTTPRouteLike {
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: { name: 'orders', namespace: b.metadata.namespace, resourceVersion: '7' },
    spec: {
      rules: [
        {
          backendRefs: [
            { name: activeServiceName(b), port: 80, weight: 100 - canary },
            { name: previewServiceName(b), port: 80, weight: canary },
          ],
        },
      ],
    },
  };
}

export function observed(b: BlueGreenService, w: World): Observed {
  const colors = {
    blue: {
      deployment: w.blue && deployment(b, 'blue', w.blue),
      readyEndpoints: w.blue ? (w.blue.ready ?? w.blue.replicas) : 0,
    },
    green: {
      deployment: w.green && deployment(b, 'green', w.green),
      readyEndpoints: w.green ? (w.green.ready ?? w.green.replicas) : 0,
    },
  };
  return {
    bgs: b,
    now: w.now ?? T0,
    colors,
    ...(w.activeService
      ? { activeService: w.activeService }
      : w.active
        ? { activeService: desiredActiveService(b, w.active) }
        : {}),
    ...(w.preview ? { previewService: desiredPreviewService(b, w.preview) } : {}),
    colorServices: { blue: desiredColorService(b, 'blue'), green: desiredColorService(b, 'green') },
    ...(w.route === undefined ? {} : { httpRoute: typeof w.route === 'number' ? httpRoute(b, w.route) : w.route }),
  };
}

export function selectorOf(svc: V1Service | undefined): string | undefined {
  return svc?.spec?.selector?.[LABELS.color];
}

/** One action in a few words, as the canary tables compare them. */
function describeAction(a: Action): string {
  switch (a.kind) {
    case 'applyDeployment':
      return `apply ${a.color} x${a.object.spec!.replicas} ${a.object.spec!.template.spec!.containers[0]!.image}`;
    case 'scaleDeployment':
      return `scale ${a.color} x${a.replicas}`;
    case 'keepTemplate':
      return 'keep template';
    case 'dropTemplate':
      return 'drop template';
    case 'adoptDeployment':
      return `adopt ${a.color}`;
    case 'applyService':
    case 'patchServiceSelector': {
      if (a.role === 'color') return 'color service';
      const selector = a.kind === 'applyService' ? a.object.spec!.selector! : a.selector;
      const aborted = a.kind === 'applyService' && a.object.metadata?.annotations?.[ANNOTATIONS.abortedRevision];
      return `${a.role} -> ${selector[LABELS.color] ?? 'both'}${aborted ? ' (aborted)' : ''}`;
    }
    case 'setRouteWeights':
      return `route ${a.canaryWeight}%`;
  }
}

/** The plan's waves in a few words, one entry per wave; a wave's writes run concurrently, so they are sorted. */
export const summary = (p: Plan): string[] => p.waves.map((wave) => wave.map(describeAction).sort().join(' & '));
