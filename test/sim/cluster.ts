// The simulated cluster: the truth the operator's caches lag behind. A tiny model of the API
// server (objects, resourceVersions, generations, write faults) and of the controllers the
// operator depends on (Deployment controller with a lagging status, pods that become ready,
// crash and recover, EndpointSlices that follow pod readiness). It implements the reconciler's
// ports (ClusterReader, ClusterWriter, EventSink, ProviderFactory) and records every write so
// the invariants can judge it.
import type {
  KubernetesObject,
  V1ControllerRevision,
  V1Deployment,
  V1EndpointSlice,
  V1OwnerReference,
  V1PodTemplateSpec,
  V1Service,
} from '@kubernetes/client-node';
import type { MetricProvider } from '../../operator/src/analysis/prometheus.ts';
import type { QueryOutcome } from '../../operator/src/analysis/types.ts';
import { COLORS, LABELS, type Color } from '../../operator/src/api/constants.ts';
import { colorServiceName } from '../../operator/src/api/names.ts';
import type { BlueGreenService, BlueGreenServiceStatus } from '../../operator/src/api/types.ts';
import type { ClusterReader, ClusterWriter, EventSink, ProviderFactory } from '../../operator/src/controller/ports.ts';
import { ApiError } from '../../operator/src/k8s/request.ts';
import type { HTTPRouteLike, JsonPatchOp } from '../../operator/src/api/httproute.ts';

export const NS = 'sim';

/** Thrown by a write when the simulated operator process dies right after it (or before it). */
export class Crash extends Error {}

export interface Pod {
  revision: string;
  ready: boolean;
  /** A crash-looping pod never becomes ready until it recovers. */
  crashing: boolean;
  /** A pod of a broken image (BROKEN_IMAGE) never becomes ready, recovered or not. */
  broken?: boolean;
}

/** The image whose pods never become ready (a release that can never pass). */
export const BROKEN_IMAGE = 'app:broken';

/** One write the operator made, as the invariants see it. */
export interface WriteRecord {
  step: number;
  by: string;
  kind: string;
  name: string;
  before: KubernetesObject | undefined;
  after: KubernetesObject;
}

/** `none` lets a write through, to aim the next fault at a later write. */
export type WriteFault = 'none' | 'conflict' | 'invalid' | 'unavailable' | 'crash-before' | 'crash-after';
export type PromAnswer = 'good' | 'bad' | 'no-data' | 'error' | 'timeout';

export interface Answer {
  step: number;
  stage: 'pre' | 'post' | 'canary';
  color: string;
  revision: string;
  answer: PromAnswer;
}

const clone = <T>(o: T): T => structuredClone(o);
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class SimCluster implements ClusterReader, ClusterWriter, EventSink {
  step = 0;
  now = Date.parse('2026-12-01T00:00:00Z');
  /** Which BlueGreenService the operator is reconciling (for "who wrote it"). */
  reconciling = '';
  #rv = 100;
  readonly bgs = new Map<string, BlueGreenService>();
  readonly deployments = new Map<string, V1Deployment>();
  readonly pods = new Map<string, Pod[]>();
  readonly services = new Map<string, V1Service>();
  /** The user's HTTPRoutes (Gateway API canary mode, docs/adr/0017): read by name, never cached. */
  readonly routes = new Map<string, HTTPRouteLike>();
  /** Kept templates (ControllerRevisions): not cached by the operator, read by name. */
  readonly revisions = new Map<string, V1ControllerRevision>();
  readonly writes: WriteRecord[] = [];
  readonly answers: Answer[] = [];
  readonly events: { step: number; reason: string; message: string }[] = [];
  /** Faults for the next writes, consumed one per write. */
  readonly faults: WriteFault[] = [];
  /** What Prometheus answers, per colour. */
  readonly prometheus: Record<Color, PromAnswer> = { blue: 'good', green: 'good' };

  nextRv(): string {
    return String(++this.#rv);
  }

  // ---- users -------------------------------------------------------------------------------

  putBgs(b: BlueGreenService): void {
    const prior = this.bgs.get(b.metadata.name!);
    const generation = (prior?.metadata.generation ?? 0) + (prior && same(prior.spec, b.spec) ? 0 : 1);
    this.bgs.set(b.metadata.name!, {
      ...clone(b),
      metadata: { ...clone(b.metadata), generation, resourceVersion: this.nextRv() },
      ...(prior?.status ? { status: prior.status } : {}),
    });
  }

  deleteDeployment(name: string): void {
    this.deployments.delete(name);
    this.pods.delete(name);
  }

  /** Someone else scales a Deployment (no write record: the invariants judge the operator's writes). */
  scaleByHand(name: string, replicas: number): void {
    const d = this.deployments.get(name);
    if (!d || d.spec?.replicas === replicas) return;
    const next = clone(d);
    next.spec!.replicas = replicas;
    next.metadata!.generation = (next.metadata!.generation ?? 0) + 1;
    next.metadata!.resourceVersion = this.nextRv();
    this.deployments.set(name, next);
  }

  deleteService(name: string): void {
    this.services.delete(name);
  }

  // ---- controllers -------------------------------------------------------------------------

  /** One step of the Deployment controller: roll one pod, then report status. */
  deploymentController(name: string): void {
    const d = this.deployments.get(name);
    if (!d) return;
    const want = d.spec?.replicas ?? 0;
    const revision = d.spec?.template?.metadata?.labels?.[LABELS.revision] ?? '';
    const pods = this.pods.get(name) ?? [];
    const broken = d.spec?.template?.spec?.containers?.some((c) => c.image === BROKEN_IMAGE) === true;
    const fresh = (): Pod => ({ revision, ready: false, crashing: false, ...(broken ? { broken } : {}) });
    const old = pods.findIndex((p) => p.revision !== revision);
    if (old >= 0) pods.splice(old, 1, fresh());
    else if (pods.length < want) pods.push(fresh());
    else if (pods.length > want) {
      const notReady = pods.findIndex((p) => !p.ready);
      pods.splice(notReady >= 0 ? notReady : pods.length - 1, 1);
    }
    this.pods.set(name, pods);
    const ready = pods.filter((p) => p.ready).length;
    d.status = {
      observedGeneration: d.metadata?.generation,
      replicas: pods.length,
      updatedReplicas: pods.filter((p) => p.revision === revision).length,
      readyReplicas: ready,
      availableReplicas: ready,
    };
    d.metadata!.resourceVersion = this.nextRv();
  }

  podReady(name: string): void {
    const p = (this.pods.get(name) ?? []).find((x) => !x.ready && !x.crashing && !x.broken);
    if (p) p.ready = true;
  }

  podCrash(name: string): void {
    const p = (this.pods.get(name) ?? []).find((x) => x.ready);
    if (p) Object.assign(p, { ready: false, crashing: true });
  }

  podsRecover(name: string): void {
    for (const p of this.pods.get(name) ?? []) p.crashing = false;
  }

  /** Ready pods of the Deployment whose revision label matches its template (what a switch needs). */
  readyPods(name: string): number {
    return (this.pods.get(name) ?? []).filter((p) => p.ready).length;
  }

  /** The EndpointSlices of every per-colour Service, derived from pod readiness (their controller is fast). */
  endpointSlices(): V1EndpointSlice[] {
    const out: V1EndpointSlice[] = [];
    for (const b of this.bgs.values()) {
      for (const c of COLORS) {
        const svcName = colorServiceName(b, c);
        const svc = this.services.get(svcName);
        if (!svc) continue;
        const dep = [...this.deployments.values()].find((d) =>
          Object.entries(svc.spec?.selector ?? {}).every(([k, v]) => d.spec?.template?.metadata?.labels?.[k] === v),
        );
        const pods = dep ? (this.pods.get(dep.metadata!.name!) ?? []) : [];
        out.push({
          apiVersion: 'discovery.k8s.io/v1',
          kind: 'EndpointSlice',
          addressType: 'IPv4',
          metadata: {
            name: `${svcName}-slice`,
            namespace: NS,
            resourceVersion: this.nextRv(),
            labels: { 'kubernetes.io/service-name': svcName, [LABELS.service]: b.metadata.name! },
          },
          endpoints: pods.map((p) => ({ addresses: [], conditions: { ready: p.ready } })),
        });
      }
    }
    return out;
  }

  // ---- ports the reconciler calls ---------------------------------------------------------

  async getService(_namespace: string, name: string): Promise<V1Service | undefined> {
    const s = this.services.get(name);
    return s ? clone(s) : undefined;
  }

  async getKeptTemplate(_namespace: string, name: string): Promise<V1PodTemplateSpec | undefined> {
    const kept = this.revisions.get(name);
    return kept ? clone((kept.data as { template: V1PodTemplateSpec }).template) : undefined;
  }

  async adoptKeptTemplate(_namespace: string, name: string, owner: V1OwnerReference): Promise<void> {
    const before = this.revisions.get(name);
    if (!before) return;
    this.#write<KubernetesObject>(
      'ControllerRevision',
      name,
      () => {
        const next = clone(before);
        next.metadata!.ownerReferences = [...(next.metadata!.ownerReferences ?? []), owner];
        next.metadata!.resourceVersion = this.nextRv();
        this.revisions.set(name, next);
        return next;
      },
      before,
    );
  }

  async dropKeptTemplate(_namespace: string, name: string): Promise<void> {
    const before = this.revisions.get(name);
    this.#write<KubernetesObject>(
      'ControllerRevision',
      name,
      () => {
        this.revisions.delete(name);
        return { metadata: { name } };
      },
      before,
    );
  }

  async getHTTPRoute(_namespace: string, name: string): Promise<HTTPRouteLike | undefined> {
    const r = this.routes.get(name);
    return r ? clone(r) : undefined;
  }

  /** A JSON patch as the API server applies it: all ops or none; a failed test op is a 422. */
  async patchHTTPRoute(_namespace: string, name: string, patch: JsonPatchOp[]): Promise<HTTPRouteLike> {
    const before = this.routes.get(name);
    if (!before) throw new ApiError(`httproutes.gateway.networking.k8s.io "${name}" not found`, 404, 'NotFound');
    return this.#write(
      'HTTPRoute',
      name,
      () => {
        const next = clone(before);
        for (const op of patch) {
          const keys = op.path.split('/').slice(1);
          const last = keys.pop()!;
          let at = next as unknown as Record<string, unknown> | undefined;
          for (const k of keys) at = at?.[k] as Record<string, unknown> | undefined;
          if (at === undefined) throw new ApiError(`httproutes "${name}": path ${op.path} not found`, 422, 'Invalid');
          if (op.op === 'test' && !same(at[last], op.value))
            throw new ApiError(`httproutes "${name}": testing value ${op.path} failed`, 422, 'Invalid');
          if (op.op === 'add') at[last] = op.value;
        }
        next.metadata!.resourceVersion = this.nextRv();
        this.routes.set(name, next);
        return next;
      },
      before,
    );
  }

  async readSecret(_namespace: string, name: string): Promise<Record<string, string>> {
    throw new ApiError(`secrets "${name}" not found`, 404);
  }

  async record(_bgs: BlueGreenService, _type: string, reason: string, message: string): Promise<void> {
    this.events.push({ step: this.step, reason, message });
  }

  /** Faults: a write may be refused (the API server's answer) or the operator may die around it. */
  #write<T extends KubernetesObject>(kind: string, name: string, change: () => T, before: T | undefined): T {
    const fault = this.faults.shift();
    if (fault === 'crash-before') throw new Crash(`crash before writing ${kind} ${name}`);
    if (fault === 'conflict') throw new ApiError(`Operation cannot be fulfilled on ${kind} "${name}"`, 409, 'Conflict');
    if (fault === 'invalid')
      throw new ApiError(`${kind} "${name}" is invalid: admission webhook denied it`, 422, 'Invalid');
    if (fault === 'unavailable') throw new ApiError('etcdserver: request timed out', 500);
    const after = change();
    this.writes.push({
      step: this.step,
      by: this.reconciling,
      kind,
      name,
      before: before && clone(before),
      after: clone(after),
    });
    if (fault === 'crash-after') throw new Crash(`crash after writing ${kind} ${name}`);
    return clone(after);
  }

  async apply<T extends KubernetesObject>(obj: T): Promise<T> {
    const name = obj.metadata!.name!;
    if (obj.kind === 'Deployment') {
      const before = this.deployments.get(name);
      return this.#write(
        'Deployment',
        name,
        () => {
          const want = obj as V1Deployment;
          const next: V1Deployment = {
            ...clone(want),
            metadata: {
              ...clone(want.metadata),
              generation: (before?.metadata?.generation ?? 0) + (before && same(before.spec, want.spec) ? 0 : 1),
              resourceVersion: this.nextRv(),
              uid: before?.metadata?.uid ?? `uid-${name}-${this.step}`,
            },
            ...(before?.status ? { status: before.status } : { status: {} }),
          };
          this.deployments.set(name, next);
          if (!this.pods.has(name)) this.pods.set(name, []);
          return next as T;
        },
        before as T | undefined,
      );
    }
    if (obj.kind === 'Service') {
      const before = this.services.get(name);
      return this.#write(
        'Service',
        name,
        () => {
          const next = {
            ...clone(obj as V1Service),
            metadata: { ...clone(obj.metadata), resourceVersion: this.nextRv() },
          };
          this.services.set(name, next);
          return next as T;
        },
        before as T | undefined,
      );
    }
    if (obj.kind === 'ControllerRevision') {
      const want = obj as unknown as V1ControllerRevision;
      const before = this.revisions.get(name);
      return this.#write(
        'ControllerRevision',
        name,
        () => {
          // Immutable like the real one: an apply with other data is refused.
          if (before && !same(before.data, want.data))
            throw new ApiError(`controllerrevisions "${name}" is invalid: data: field is immutable`, 422, 'Invalid');
          const next = { ...clone(want), metadata: { ...clone(want.metadata), resourceVersion: this.nextRv() } };
          this.revisions.set(name, next);
          return next as unknown as T;
        },
        before as unknown as T | undefined,
      );
    }
    throw new Error(`sim: apply of ${obj.kind} not modelled`);
  }

  async scaleDeployment(_ns: string, name: string, replicas: number): Promise<V1Deployment> {
    const before = this.deployments.get(name);
    if (!before) throw new ApiError(`deployments.apps "${name}" not found`, 404, 'NotFound');
    return this.#write(
      'Deployment',
      name,
      () => {
        const next = clone(before);
        if (next.spec!.replicas !== replicas) next.metadata!.generation = (next.metadata!.generation ?? 0) + 1;
        next.spec!.replicas = replicas;
        next.metadata!.resourceVersion = this.nextRv();
        this.deployments.set(name, next);
        return next;
      },
      before,
    );
  }

  async adoptDeployment(_ns: string, name: string, owner: V1OwnerReference): Promise<V1Deployment> {
    const before = this.deployments.get(name);
    if (!before) throw new ApiError(`deployments.apps "${name}" not found`, 404, 'NotFound');
    return this.#write(
      'Deployment',
      name,
      () => {
        const next = clone(before);
        next.metadata!.ownerReferences = [...(next.metadata!.ownerReferences ?? []), owner];
        next.metadata!.resourceVersion = this.nextRv();
        this.deployments.set(name, next);
        return next;
      },
      before,
    );
  }

  async patchServiceSelector(
    _ns: string,
    name: string,
    selector: Record<string, string>,
    removeKeys: readonly string[],
    metadata: { labels: Record<string, string>; annotations: Record<string, string> },
  ): Promise<V1Service> {
    const before = this.services.get(name);
    if (!before) throw new ApiError(`services "${name}" not found`, 404, 'NotFound');
    return this.#write(
      'Service',
      name,
      () => {
        const next = clone(before);
        next.spec!.selector = Object.fromEntries(
          Object.entries({ ...next.spec!.selector, ...selector }).filter(([k]) => !removeKeys.includes(k)),
        );
        next.metadata!.labels = { ...next.metadata!.labels, ...metadata.labels };
        next.metadata!.annotations = { ...next.metadata!.annotations, ...metadata.annotations };
        next.metadata!.resourceVersion = this.nextRv();
        this.services.set(name, next);
        return next;
      },
      before,
    );
  }

  async applyStatus(b: BlueGreenService, status: BlueGreenServiceStatus): Promise<BlueGreenService> {
    const name = b.metadata.name!;
    const before = this.bgs.get(name);
    if (!before) throw new ApiError(`bluegreenservices "${name}" not found`, 404, 'NotFound');
    return this.#write(
      'BlueGreenService',
      name,
      () => {
        const next = { ...clone(before), status: clone(status) };
        next.metadata.resourceVersion = this.nextRv();
        this.bgs.set(name, next);
        return next;
      },
      before,
    );
  }

  /** Prometheus: the answer is chosen per colour; every answer is logged for the oracle. */
  readonly provider: ProviderFactory = () => this.#prometheus;
  readonly #prometheus: MetricProvider = {
    runQuery: async (promql: string): Promise<QueryOutcome> => {
      const m = /^(pre|post|canary)\{color="(\w+)",revision="(\w+)"\}$/.exec(promql);
      if (!m) return { kind: 'error', message: `sim: unexpected query ${promql}` };
      const color = m[2] as Color;
      const answer = this.prometheus[color];
      this.answers.push({ step: this.step, stage: m[1] as Answer['stage'], color, revision: m[3]!, answer });
      switch (answer) {
        case 'good':
          return { kind: 'value', value: 0 };
        case 'bad':
          return { kind: 'value', value: 1 };
        case 'no-data':
          return { kind: 'no-data', message: 'empty vector' };
        case 'error':
          return { kind: 'error', message: 'connection refused' };
        case 'timeout':
          return { kind: 'timeout', message: 'no answer within 5000 ms' };
      }
    },
  };
}
