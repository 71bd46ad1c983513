// One reconcile of one BlueGreenService: cache snapshot -> plan -> (measure -> plan) ->
// execute -> one status write (skipped when unchanged). Level-triggered: it reads the whole
// state every time and does not care which event woke it.
import type { KubernetesObject } from '@kubernetes/client-node';
import { measureRound } from '../analysis/round.ts';
import type { Measurement } from '../analysis/types.ts';
import { canonicalJson } from '../api/canonical-json.ts';
import { activeServiceName } from '../api/names.ts';
import { LABELS } from '../api/constants.ts';
import type { BlueGreenService } from '../api/types.ts';
import { ApiError } from '../k8s/request.ts';
import type { OperatorMetrics } from '../metrics/operator-metrics.ts';
import { plan } from '../planner/plan.ts';
import { refusedPlan } from '../planner/status.ts';
import type { Action, MeasurementRequest, Plan } from '../planner/types.ts';
import { splitKey } from '../runtime/keys.ts';
import { TerminalError, type ReconcileResult } from '../runtime/runner.ts';
import type { Logger } from '../runtime/logger.ts';
import type { WriteOverlay } from './overlay.ts';
import type {
  Caches,
  ClusterReader,
  ClusterWriter,
  EventSink,
  NotificationPort,
  ProviderFactory,
  WebProviderFactory,
} from './ports.ts';
import { roundProviders } from './providers.ts';
import { snapshot } from './snapshot.ts';

export interface ReconcilerDeps {
  caches: Caches;
  reader: ClusterReader;
  writer: ClusterWriter;
  events: EventSink;
  prometheus: ProviderFactory;
  /** Web check provider per round; unset: the real HTTP client (analysis/web.ts). */
  web?: WebProviderFactory;
  overlay: WriteOverlay;
  metrics: OperatorMetrics;
  /** Unset: no notifications (the simulation, and an operator configured without providers). */
  notifications?: NotificationPort;
  logger: Logger;
  now: () => number;
}

export class Reconciler {
  readonly #d: ReconcilerDeps;
  #ids = 0;
  constructor(deps: ReconcilerDeps) {
    this.#d = deps;
  }

  async reconcile(key: string, signal: AbortSignal): Promise<ReconcileResult> {
    const { namespace, name } = splitKey(key);
    const d = this.#d;
    const cached = d.caches.bgs.store.get(namespace, name);
    const bgs = d.overlay.pick<BlueGreenService>('BlueGreenService', namespace, name, cached);
    if (!bgs || bgs.metadata.deletionTimestamp) return {}; // owned objects go with it (ownerReferences)
    const log = d.logger.child({ bgs: key, reconcileId: ++this.#ids, generation: bgs.metadata.generation });

    const observed = await snapshot(bgs, d.caches, d.overlay, d.reader, d.now(), signal);
    let result = plan(observed);
    if (result.measure) {
      const measurements = await this.#measure(bgs, result.measure, signal, log);
      result = plan({ ...observed, measurements: { ...result.measure, measurements } });
    }
    try {
      // The planner decided the order: each wave's writes are independent, and a wave starts
      // only once every write of the previous one was accepted (traffic moves come last).
      for (const wave of result.waves) await Promise.all(wave.map((a) => this.#execute(bgs, a, signal, log)));
    } catch (err) {
      // Retrying cannot help in a namespace being deleted (the BlueGreenService goes with it);
      // retries would only crowd out live work in the queue.
      if (err instanceof ApiError && err.statusCode === 403 && /being terminated/.test(err.message)) {
        throw new TerminalError(`namespace ${namespace} is terminating: ${err.message}`);
      }
      // A refusal the user must fix reaches status (then the runner retries with backoff).
      if (err instanceof RefusedWrite) {
        await this.#writeStatus(bgs, refusedPlan(observed, err.object, err.message), signal, log);
      }
      throw err;
    }
    const statusWritten = await this.#writeStatus(bgs, result, signal, log);
    log.debug('reconciled', {
      phase: result.status.phase,
      writes: result.waves.flat().length,
      statusWritten,
      requeueAfterMs: result.requeueAfterMs,
    });
    // Events are best effort and never delay the next reconcile (record() logs its own failures).
    for (const e of result.events) void d.events.record(bgs, e.type, e.reason, e.message, AbortSignal.timeout(10_000));
    if (result.switched) {
      d.metrics.switched(namespace, name, result.switched.reason);
      log.info('switched', { service: activeServiceName(bgs), ...result.switched });
    }
    d.metrics.state(namespace, name, result.status.phase ?? 'Unknown', result.status.activeColor);
    return result.requeueAfterMs === undefined ? {} : { requeueAfterMs: result.requeueAfterMs };
  }

  async #measure(
    bgs: BlueGreenService,
    req: MeasurementRequest,
    signal: AbortSignal,
    log: Logger,
  ): Promise<Measurement[]> {
    const { reader, prometheus, web } = this.#d;
    const providers = await roundProviders(bgs, req, { reader, prometheus, web }, signal);
    const ms = await measureRound(providers, req.metrics, new Date(this.#d.now()).toISOString(), signal);
    this.#d.metrics.measured(bgs.metadata.namespace!, bgs.metadata.name!, req.stage, ms);
    log.info('measured', { stage: req.stage, color: req.color, revision: req.revision, measurements: ms });
    return ms;
  }

  async #execute(bgs: BlueGreenService, a: Action, signal: AbortSignal, log: Logger): Promise<void> {
    try {
      await this.#write(bgs, a, signal, log);
    } catch (err) {
      // A route weight patch refused with 422 failed a test op: the user changed the entries it
      // addresses since the read. Not theirs to fix: the next reconcile reads the route again.
      const routeMoved = a.kind === 'setRouteWeights' && err instanceof ApiError && err.statusCode === 422;
      if (isRefusal(err) && !routeMoved) throw new RefusedWrite(describeTarget(a), err.message);
      throw err;
    }
  }

  async #write(bgs: BlueGreenService, a: Action, signal: AbortSignal, log: Logger): Promise<void> {
    const { writer, overlay } = this.#d;
    const ns = bgs.metadata.namespace!;
    switch (a.kind) {
      case 'applyDeployment':
        overlay.remember(await writer.apply(a.object, signal));
        log.info('applied deployment', {
          color: a.color,
          replicas: a.object.spec?.replicas,
          revision: a.object.metadata?.labels?.[LABELS.revision],
        });
        return;
      case 'keepTemplate':
        // Not cached, so not remembered: only read back when a colour's Deployment is gone.
        await writer.apply(a.object, signal);
        log.info('kept template', { name: a.object.metadata?.name });
        return;
      case 'dropTemplate':
        await writer.dropKeptTemplate(ns, a.name, signal);
        log.info('dropped kept template', { name: a.name });
        return;
      case 'scaleDeployment':
        overlay.remember(withKind(await writer.scaleDeployment(ns, a.name, a.replicas, signal), 'Deployment'));
        log.info('scaled deployment', { color: a.color, replicas: a.replicas });
        return;
      case 'adoptDeployment':
        overlay.remember(withKind(await writer.adoptDeployment(ns, a.name, a.owner, signal), 'Deployment'));
        if (a.keptTemplate !== undefined) await writer.adoptKeptTemplate(ns, a.keptTemplate, a.owner, signal);
        log.info('adopted orphaned deployment', { color: a.color, name: a.name, keptTemplate: a.keptTemplate });
        return;
      case 'applyService':
        overlay.remember(await writer.apply(a.object, signal));
        log.info('applied service', {
          role: a.role,
          name: a.object.metadata?.name,
          selectorColor: a.object.spec?.selector?.['bluegreen.dev/color'],
        });
        return;
      case 'patchServiceSelector':
        overlay.remember(
          withKind(
            await writer.patchServiceSelector(
              ns,
              a.name,
              a.selector,
              a.removeKeys,
              { labels: a.labels, annotations: a.annotations },
              signal,
            ),
            'Service',
          ),
        );
        log.info('patched adopted service selector', { role: a.role, name: a.name, color: a.switchTo });
        return;
      case 'setRouteWeights':
        // Not cached: the next reconcile reads the route again.
        await writer.patchHTTPRoute(ns, a.name, a.patch, signal);
        log.info('set httproute weights', { name: a.name, canaryWeight: a.canaryWeight });
        return;
    }
  }

  async #writeStatus(bgs: BlueGreenService, result: Plan, signal: AbortSignal, log: Logger): Promise<boolean> {
    const notify = this.#d.notifications;
    // The notifications of this transition travel in the same write as the transition itself.
    const status = notify ? notify.statusFor(bgs, result.status, result.events, this.#d.now()) : result.status;
    if (canonicalJson(status) === canonicalJson(bgs.status ?? {})) {
      notify?.offer(bgs, status);
      return false;
    }
    const written = await this.#d.writer.applyStatus(bgs, status, signal);
    this.#d.overlay.remember(written);
    notify?.offer(bgs, status, written.status ?? {});
    log.debug('status written', { phase: status.phase });
    return true;
  }
}

/** A write the API server refused for a reason retrying will not fix. */
class RefusedWrite extends Error {
  readonly object: string;
  constructor(object: string, message: string) {
    super(message);
    this.object = object;
  }
}

/**
 * 400 (bad request), 422 (invalid: schema, immutable field) and 403 other than a terminating
 * namespace (RBAC, ResourceQuota, an admission webhook's denial) are the user's to fix. 409,
 * 404, 429 and 5xx are transient: retried silently with backoff.
 */
function isRefusal(err: unknown): err is ApiError {
  return err instanceof ApiError && [400, 403, 422].includes(err.statusCode) && !/being terminated/.test(err.message);
}

function describeTarget(a: Action): string {
  switch (a.kind) {
    case 'applyDeployment':
      return `Deployment ${a.object.metadata?.name ?? a.color}`;
    case 'scaleDeployment':
      return `Deployment ${a.name} (scale to ${a.replicas})`;
    case 'adoptDeployment':
      return `Deployment ${a.name} (owner reference)`;
    case 'keepTemplate':
      return `ControllerRevision ${a.object.metadata?.name ?? ''}`;
    case 'dropTemplate':
      return `ControllerRevision ${a.name}`;
    case 'applyService':
      return `Service ${a.object.metadata?.name ?? a.role}`;
    case 'patchServiceSelector':
      return `Service ${a.name}`;
    case 'setRouteWeights':
      return `HTTPRoute ${a.name} (canary weight ${a.canaryWeight}; spec.canary.trafficRouting.gatewayAPI.httpRoute)`;
  }
}

function withKind<T extends KubernetesObject>(obj: T, kind: string): T {
  return obj.kind ? obj : { ...obj, kind };
}
