// A canary release written by hand (the recording in report/fixtures has no canary): orders,
// 10 stable blue pods, step 1 of 2 (10 %: 1 green pod, 9.1 % of endpoints) reached 40 s ago with a
// 2-minute pause, its step analysis of two metrics with one failed latency measurement in round 2
// (failureLimit 1: still running). The status fields are the ones planner/canary.ts writes.
import type { BlueGreenService, DeploymentLike, EventLike, PodLike, ReleaseSnapshot } from '../src/model/objects.ts';

export const CANARY_NOW = Date.parse('2026-12-07T10:00:00Z');
const at = (secondsAgo: number) => new Date(CANARY_NOW - secondsAgo * 1000).toISOString();

export function canaryRelease(): ReleaseSnapshot {
  const bgs: BlueGreenService = {
    apiVersion: 'bluegreen.dev/v1alpha1',
    kind: 'BlueGreenService',
    metadata: {
      name: 'orders',
      namespace: 'shop',
      generation: 4,
      resourceVersion: '7',
      creationTimestamp: at(86_400) as never,
    },
    spec: {
      replicas: 10,
      promotion: { auto: true },
      template: { spec: { containers: [{ name: 'orders', image: 'registry.example/orders:1.3.0' }] } },
      service: { ports: [{ port: 80, targetPort: 8080 }] },
      analysis: { prometheus: { address: 'http://prometheus.monitoring.svc:9090' } },
      canary: {
        steps: [
          {
            setWeight: 10,
            pause: { seconds: 120 },
            analysis: {
              intervalSeconds: 10,
              count: 3,
              failureLimit: 1,
              metrics: [
                { name: 'error-rate', query: 'q1', max: 0.01 },
                { name: 'p99-seconds', query: 'q2', min: 0, max: 0.5 },
              ],
            },
          },
          { setWeight: 50, pause: {} },
        ],
      },
    },
    status: {
      observedGeneration: 4,
      phase: 'Progressing',
      message: 'canary step 1 of 2: analysis running',
      activeColor: 'blue',
      previewColor: 'green',
      ready: '10/10',
      stableRevision: 'a1b2c3d4e5',
      updateRevision: 'f6e5d4c3b2',
      release: { revision: 'f6e5d4c3b2', color: 'green', startedAt: at(150), readyAt: at(90) },
      canary: {
        revision: 'f6e5d4c3b2',
        color: 'green',
        currentStepIndex: 0,
        weight: 10,
        canaryReplicas: 1,
        stableReplicas: 10,
        achievedShare: 9.1,
        stepReachedAt: at(40),
      },
      analysis: {
        stage: 'Canary',
        revision: 'f6e5d4c3b2',
        color: 'green',
        phase: 'Running',
        startedAt: at(40),
        successful: 3,
        failed: 1,
        inconclusive: 0,
        rounds: 2,
        passedRounds: 1,
        lastRoundAt: at(20),
        measurements: [
          { metric: 'error-rate', phase: 'Successful', value: 0.0012, at: at(30) },
          { metric: 'p99-seconds', phase: 'Successful', value: 0.21, at: at(30) },
          { metric: 'error-rate', phase: 'Successful', value: 0.00081234, at: at(20) },
          {
            metric: 'p99-seconds',
            phase: 'Failed',
            value: 0.7312,
            message: 'value 0.7312 is above max 0.5',
            at: at(20),
          },
        ],
      },
      colors: {
        blue: { revision: 'a1b2c3d4e5', images: ['registry.example/orders:1.2.0'], replicas: 10, readyEndpoints: 10 },
        green: { revision: 'f6e5d4c3b2', images: ['registry.example/orders:1.3.0'], replicas: 1, readyEndpoints: 1 },
      },
      conditions: [
        {
          type: 'Ready',
          status: 'False',
          reason: 'CanaryStepReached',
          message: 'canary step 1 of 2 reached',
          lastTransitionTime: at(40),
        },
        {
          type: 'Degraded',
          status: 'False',
          reason: 'AsExpected',
          message: 'no problem detected',
          lastTransitionTime: at(86_000),
        },
      ],
    },
  };
  const deployment = (color: string, revision: string, replicas: number, image: string): DeploymentLike => {
    const labels = {
      'bluegreen.dev/service': 'orders',
      'bluegreen.dev/color': color,
      'bluegreen.dev/revision': revision,
    };
    return {
      metadata: { name: `orders-${color}`, labels },
      spec: { replicas, template: { metadata: { labels }, spec: { containers: [{ name: 'orders', image }] } } },
      status: { replicas, readyReplicas: replicas },
    };
  };
  const pod = (color: string, name: string, secondsOld: number, restarts: number): PodLike => ({
    metadata: {
      name,
      labels: { 'bluegreen.dev/service': 'orders', 'bluegreen.dev/color': color },
      creationTimestamp: at(secondsOld),
    },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True' }],
      containerStatuses: [{ name: 'orders', ready: true, restartCount: restarts, state: { running: {} } }],
    },
  });
  const event = (secondsAgo: number, reason: string, message: string, type = 'Normal'): EventLike => ({
    metadata: { name: `orders.${secondsAgo}` },
    type,
    reason,
    message,
    count: 1,
    lastTimestamp: at(secondsAgo),
  });
  return {
    bgs,
    deployments: [
      deployment('blue', 'a1b2c3d4e5', 10, 'registry.example/orders:1.2.0'),
      deployment('green', 'f6e5d4c3b2', 1, 'registry.example/orders:1.3.0'),
    ],
    // Two of the ten stable pods stand for all of them: the tree lists what it is given.
    pods: [
      pod('blue', 'orders-blue-5c7d9-2hx8k', 86_000, 0),
      pod('blue', 'orders-blue-5c7d9-9qp4m', 86_000, 2),
      pod('green', 'orders-green-77f4b-tz6wd', 120, 0),
    ],
    events: [
      event(150, 'ReleaseStarted', 'deploying revision f6e5d4c3b2 (registry.example/orders:1.3.0) to green'),
      event(90, 'PreviewReady', 'green is ready at revision f6e5d4c3b2'),
      event(40, 'CanaryStepReached', 'step 1 of 2: 1 green pod next to 10 blue (9.1 %)'),
    ],
  };
}
