// Kubernetes Events for every decision, so `kubectl describe bgs` tells the story.
// Best effort: a failed Event never fails a reconcile.
import type { BlueGreenService } from '../api/types.ts';
import type { Logger } from '../runtime/logger.ts';
import { paths } from './paths.ts';
import { requestJson, type KubeConnection } from './request.ts';

export class EventRecorder {
  readonly #conn: KubeConnection;
  readonly #instance: string;
  readonly #logger: Logger;
  constructor(conn: KubeConnection, instance: string, logger: Logger) {
    this.#conn = conn;
    this.#instance = instance;
    this.#logger = logger;
  }

  async record(
    bgs: BlueGreenService,
    type: 'Normal' | 'Warning',
    reason: string,
    message: string,
    signal: AbortSignal,
  ): Promise<void> {
    const now = new Date().toISOString();
    const namespace = bgs.metadata.namespace!;
    const event = {
      apiVersion: 'v1',
      kind: 'Event',
      metadata: { generateName: `${bgs.metadata.name}.`, namespace },
      involvedObject: {
        apiVersion: bgs.apiVersion,
        kind: bgs.kind,
        name: bgs.metadata.name,
        namespace,
        uid: bgs.metadata.uid,
        resourceVersion: bgs.metadata.resourceVersion,
      },
      type,
      reason,
      message: message.slice(0, 1024),
      firstTimestamp: now,
      lastTimestamp: now,
      eventTime: null,
      count: 1,
      source: { component: 'bluegreen-operator' },
      reportingComponent: 'bluegreen.dev/operator',
      reportingInstance: this.#instance,
    };
    try {
      await requestJson(this.#conn, 'POST', paths.events(namespace), signal, { body: event });
    } catch (err) {
      this.#logger.warn('event not recorded', { reason, error: String(err) });
    }
  }
}
