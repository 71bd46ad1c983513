// Test objects for the plugin's renderers and levers. The BlueGreenService statuses and the
// Events are RECORDED: report/fixtures/real-release.recording.json holds what the operator
// wrote during a real release of the sample auth service on the local cluster's real node
// (bench/report/real-release.ts: release to green, pre-promotion analysis, auto-promotion, then
// a manual rollback to blue). What that recording lacks (the spec, the Deployments and the pods)
// is written here to match it: the spec as the bench script applied it, one Deployment per
// colour and one pod per replica, as many ready as status counted ready endpoints.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Color } from '../../operator/src/api/constants.ts';
import type { BlueGreenServiceStatus } from '../../operator/src/api/types.ts';
import type { BlueGreenService, DeploymentLike, EventLike, PodLike, ReleaseSnapshot } from '../src/model/objects.ts';

interface Recording {
  namespace: string;
  name: string;
  snapshots: { seenAt: string; status: BlueGreenServiceStatus }[];
  events: { at: string; type: string; reason: string; message: string; count: number }[];
}

const recording = JSON.parse(
  readFileSync(path.resolve(import.meta.dirname, '../../report/fixtures/real-release.recording.json'), 'utf8'),
) as Recording;

export const RECORDED_SNAPSHOTS = recording.snapshots.length;

/** The spec bench/report/real-release.ts applied (test/support/samples.ts authBgs + errorRateAnalysis). */
export function authSpec(activeColor?: Color): BlueGreenService['spec'] {
  return {
    replicas: 2,
    previewReplicas: 1,
    scaleDownDelaySeconds: 60,
    promotion: { auto: true },
    ...(activeColor ? { activeColor } : {}),
    template: {
      metadata: { labels: { app: 'auth' } },
      spec: { containers: [{ name: 'auth', image: 'bluegreen/sample-services:e2e', args: ['auth'] }] },
    },
    service: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
    analysis: {
      prometheus: { address: 'http://prometheus.monitoring.svc:9090', timeoutSeconds: 3 },
      prePromotion: {
        initialDelaySeconds: 20,
        intervalSeconds: 5,
        count: 2,
        failureLimit: 0,
        inconclusiveLimit: 3,
        metrics: [{ name: 'error-rate', query: 'sum(rate(http_requests_total{code=~"5.."}[30s]))', max: 0.05 }],
      },
    },
  };
}

/**
 * The object and what `get` reads, as they stood at recorded snapshot `index` (0-11), and that
 * moment as `now`. From snapshot 9 on, spec.activeColor is blue: the recorded ManualRollback
 * was that edit.
 */
export function recordedRelease(index: number): { snapshot: ReleaseSnapshot; now: number } {
  const shot = recording.snapshots[index];
  if (!shot) throw new Error(`no recorded snapshot ${index}`);
  const now = Date.parse(shot.seenAt);
  const status = shot.status;
  const rolledBack = recording.events.some((e) => e.reason === 'ManualRollback' && Date.parse(e.at) <= now);
  const bgs: BlueGreenService = {
    apiVersion: 'bluegreen.dev/v1alpha1',
    kind: 'BlueGreenService',
    metadata: {
      name: recording.name,
      namespace: recording.namespace,
      uid: '5b0f6a4e-auth',
      resourceVersion: String(1000 + index),
      generation: status.observedGeneration ?? 1,
      creationTimestamp: '2026-12-02T02:14:24Z' as never,
    },
    spec: authSpec(rolledBack ? 'blue' : undefined),
    status,
  };
  const events: EventLike[] = recording.events
    .filter((e) => Date.parse(e.at) <= now)
    .map((e, i) => ({
      metadata: { name: `auth.${i}`, creationTimestamp: e.at },
      involvedObject: { kind: 'BlueGreenService', name: 'auth' },
      type: e.type,
      reason: e.reason,
      message: e.message,
      count: e.count,
      lastTimestamp: e.at,
    }));
  const colors = Object.entries(status.colors ?? {}) as [Color, NonNullable<BlueGreenServiceStatus['colors']>[Color]][];
  const deployments = colors.map(([color, c]) =>
    deploymentOf(color, c!.revision ?? '?', c!.replicas, c!.readyEndpoints, c!.images),
  );
  const pods = colors.flatMap(([color, c]) =>
    podsOf(
      color,
      c!.revision ?? '?',
      c!.replicas,
      c!.readyEndpoints,
      status.release?.color === color ? status.release.startedAt : '2026-12-02T02:14:30Z',
    ),
  );
  return { snapshot: { bgs, deployments, pods, events }, now };
}

function deploymentOf(
  color: Color,
  revision: string,
  replicas: number,
  ready: number,
  images: string[],
): DeploymentLike {
  const labels = { 'bluegreen.dev/service': 'auth', 'bluegreen.dev/color': color, 'bluegreen.dev/revision': revision };
  return {
    metadata: { name: `auth-${color}`, labels },
    spec: {
      replicas,
      template: { metadata: { labels }, spec: { containers: images.map((image) => ({ name: 'auth', image })) } },
    },
    status: { replicas, readyReplicas: ready },
  };
}

const SUFFIXES = ['7xk2p', 'm4q9z', 'b8wn3', 'r2t6v'];

function podsOf(color: Color, revision: string, replicas: number, ready: number, created: string): PodLike[] {
  return Array.from({ length: replicas }, (_, i) => ({
    metadata: {
      name: `auth-${color}-${revision.slice(0, 8)}-${SUFFIXES[i] ?? i}`,
      labels: { 'bluegreen.dev/service': 'auth', 'bluegreen.dev/color': color },
      creationTimestamp: created,
    },
    status: {
      phase: i < ready ? 'Running' : 'Pending',
      conditions: [{ type: 'Ready', status: i < ready ? 'True' : 'False' }],
      containerStatuses: [
        i < ready
          ? { name: 'auth', ready: true, restartCount: i === 1 ? 1 : 0, state: { running: {} } }
          : { name: 'auth', ready: false, restartCount: 0, state: { waiting: { reason: 'ContainerCreating' } } },
      ],
    },
  }));
}
