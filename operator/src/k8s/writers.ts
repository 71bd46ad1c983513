// The only module that writes to the API. Server-side apply with our field manager for
// objects we own (force: we are their controller, a human's kubectl edit of an owned
// Deployment is drift to undo), merge patches for a replica count and an adopted Service's
// selector, and server-side apply of status so fields we stop reporting disappear.
import type {
  KubernetesObject,
  V1ControllerRevision,
  V1Deployment,
  V1OwnerReference,
  V1PodTemplateSpec,
  V1Service,
} from '@kubernetes/client-node';
import { Counter, type Registry } from 'prom-client';
import { API_VERSION, FIELD_MANAGER, KIND } from '../api/constants.ts';
import type { BlueGreenService, BlueGreenServiceStatus } from '../api/types.ts';
import type { HTTPRouteLike, JsonPatchOp } from '../api/httproute.ts';
import { pathOf, paths } from './paths.ts';
import { isNotFound } from '../runtime/apicall.ts';
import { requestJson, type KubeConnection } from './request.ts';

const APPLY = 'application/apply-patch+yaml';
const MERGE = 'application/merge-patch+json';
const STRATEGIC = 'application/strategic-merge-patch+json';
const JSON_PATCH = 'application/json-patch+json';
const applyQuery = { fieldManager: FIELD_MANAGER, force: 'true' };

export class Writers {
  readonly #conn: KubeConnection;
  readonly #writes: Counter<'kind' | 'operation'> | undefined;
  /** With a registry, every write is counted: bluegreen_api_writes_total proves "0 writes in steady state". */
  constructor(conn: KubeConnection, registry?: Registry) {
    this.#conn = conn;
    this.#writes = registry
      ? new Counter({
          name: 'bluegreen_api_writes_total',
          help: 'Writes sent to the API server by kind and operation.',
          labelNames: ['kind', 'operation'],
          registers: [registry],
        })
      : undefined;
  }

  #count(kind: string, operation: string): void {
    this.#writes?.inc({ kind, operation });
  }

  apply<T extends KubernetesObject>(obj: T, signal: AbortSignal): Promise<T> {
    this.#count(obj.kind ?? 'unknown', 'apply');
    return requestJson<T>(this.#conn, 'PATCH', pathOf(obj), signal, {
      body: obj,
      contentType: APPLY,
      query: applyQuery,
    });
  }

  scaleDeployment(namespace: string, name: string, replicas: number, signal: AbortSignal): Promise<V1Deployment> {
    this.#count('Deployment', 'scale');
    return requestJson<V1Deployment>(this.#conn, 'PATCH', paths.deployments(namespace, name), signal, {
      body: { spec: { replicas } },
      contentType: MERGE,
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  /**
   * Add an owner reference to a Deployment, nothing else. A strategic merge patch: owner
   * references merge by uid, so references others hold are kept.
   */
  adoptDeployment(
    namespace: string,
    name: string,
    owner: V1OwnerReference,
    signal: AbortSignal,
  ): Promise<V1Deployment> {
    this.#count('Deployment', 'adopt');
    return requestJson<V1Deployment>(this.#conn, 'PATCH', paths.deployments(namespace, name), signal, {
      body: { metadata: { ownerReferences: [owner] } },
      contentType: STRATEGIC,
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  /** Replace an adopted Service's selector: our keys set, every other key removed (null). */
  patchServiceSelector(
    namespace: string,
    name: string,
    selector: Record<string, string>,
    removeKeys: readonly string[],
    metadata: { labels: Record<string, string>; annotations: Record<string, string> },
    signal: AbortSignal,
  ): Promise<V1Service> {
    this.#count('Service', 'selector-patch');
    const next: Record<string, string | null> = { ...selector };
    for (const k of removeKeys) next[k] = null;
    return requestJson<V1Service>(this.#conn, 'PATCH', paths.services(namespace, name), signal, {
      body: { metadata, spec: { selector: next } },
      contentType: MERGE,
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  /**
   * Set weights on the user's HTTPRoute: a JSON patch (its lists are atomic, so an apply would
   * take over the whole rules list; docs/adr/0017). The API server applies it to the object as
   * stored and refuses it (422) when a test op fails: nothing is written then.
   */
  patchHTTPRoute(namespace: string, name: string, patch: JsonPatchOp[], signal: AbortSignal): Promise<HTTPRouteLike> {
    this.#count('HTTPRoute', 'json-patch');
    return requestJson<HTTPRouteLike>(this.#conn, 'PATCH', paths.httpRoutes(namespace, name), signal, {
      body: patch,
      contentType: JSON_PATCH,
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  /** A 404 is "no such route" (or no HTTPRoute CRD installed): the planner reports it, naming the field. */
  async getHTTPRoute(namespace: string, name: string, signal: AbortSignal): Promise<HTTPRouteLike | undefined> {
    try {
      return await requestJson<HTTPRouteLike>(this.#conn, 'GET', paths.httpRoutes(namespace, name), signal);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  applyStatus(bgs: BlueGreenService, status: BlueGreenServiceStatus, signal: AbortSignal): Promise<BlueGreenService> {
    this.#count('BlueGreenService', 'status');
    const body = {
      apiVersion: API_VERSION,
      kind: KIND,
      metadata: { name: bgs.metadata.name, namespace: bgs.metadata.namespace },
      status,
    };
    return requestJson<BlueGreenService>(
      this.#conn,
      'PATCH',
      `${paths.bgs(bgs.metadata.namespace, bgs.metadata.name)}/status`,
      signal,
      {
        body,
        contentType: APPLY,
        query: applyQuery,
      },
    );
  }

  async getService(namespace: string, name: string, signal: AbortSignal): Promise<V1Service | undefined> {
    try {
      return await requestJson<V1Service>(this.#conn, 'GET', paths.services(namespace, name), signal);
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  async getKeptTemplate(namespace: string, name: string, signal: AbortSignal): Promise<V1PodTemplateSpec | undefined> {
    try {
      const kept = await requestJson<V1ControllerRevision>(
        this.#conn,
        'GET',
        paths.controllerRevisions(namespace, name),
        signal,
      );
      return (kept.data as { template?: V1PodTemplateSpec } | undefined)?.template;
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw err;
    }
  }

  /** Owner references merge by uid (strategic merge patch): references others hold are kept. */
  async adoptKeptTemplate(
    namespace: string,
    name: string,
    owner: V1OwnerReference,
    signal: AbortSignal,
  ): Promise<void> {
    this.#count('ControllerRevision', 'adopt');
    try {
      await requestJson(this.#conn, 'PATCH', paths.controllerRevisions(namespace, name), signal, {
        body: { metadata: { ownerReferences: [owner] } },
        contentType: STRATEGIC,
        query: { fieldManager: FIELD_MANAGER },
      });
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async dropKeptTemplate(namespace: string, name: string, signal: AbortSignal): Promise<void> {
    this.#count('ControllerRevision', 'delete');
    try {
      await requestJson(this.#conn, 'DELETE', paths.controllerRevisions(namespace, name), signal);
    } catch (err) {
      if (!isNotFound(err)) throw err;
    }
  }

  async readSecret(namespace: string, name: string, signal: AbortSignal): Promise<Record<string, string>> {
    const secret = await requestJson<{ data?: Record<string, string> }>(
      this.#conn,
      'GET',
      paths.secret(namespace, name),
      signal,
    );
    return Object.fromEntries(
      Object.entries(secret.data ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64').toString('utf8').trim()]),
    );
  }

  /** A ConfigMap's string data (a CA bundle: spec.analysis.prometheus.tls.caConfigMapRef). */
  async readConfigMap(namespace: string, name: string, signal: AbortSignal): Promise<Record<string, string>> {
    const configMap = await requestJson<{ data?: Record<string, string> }>(
      this.#conn,
      'GET',
      paths.configMap(namespace, name),
      signal,
    );
    return { ...configMap.data };
  }
}
