// The objects the plugin reads, as the API server sends them (plain JSON: timestamps are
// strings). client-node's model classes type timestamps as Date, which is true only of objects
// its generated API deserialised; ours come from our own transport, so they are typed here with
// the few fields the plugin reads.
import type { BlueGreenService } from '../../../operator/src/api/types.ts';

export type { BlueGreenService };

export interface ObjectMeta {
  name?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  managedFields?: ManagedFieldsEntry[];
}

/** One entry of metadata.managedFields: which manager owns which fields (fieldsV1). */
export interface ManagedFieldsEntry {
  manager?: string;
  operation?: 'Apply' | 'Update';
  apiVersion?: string;
  time?: string;
  fieldsType?: string;
  fieldsV1?: FieldSet;
  subresource?: string;
}

/** The fieldsV1 trie: keys `f:<field>`, `k:<json key>`, `v:<json value>`, `i:<index>`, and `.` for the node itself. */
export interface FieldSet {
  [key: string]: FieldSet;
}

export interface ContainerLike {
  name: string;
  image?: string;
}

export interface DeploymentLike {
  metadata: ObjectMeta;
  spec?: {
    replicas?: number;
    template?: { metadata?: ObjectMeta; spec?: { containers?: ContainerLike[] } };
  };
  status?: {
    replicas?: number;
    readyReplicas?: number;
    updatedReplicas?: number;
    availableReplicas?: number;
    observedGeneration?: number;
  };
}

export interface ContainerStatusLike {
  name: string;
  ready?: boolean;
  restartCount?: number;
  state?: { waiting?: { reason?: string }; terminated?: { reason?: string }; running?: object };
}

export interface PodLike {
  metadata: ObjectMeta;
  status?: {
    phase?: string;
    reason?: string;
    conditions?: { type: string; status: string }[];
    containerStatuses?: ContainerStatusLike[];
  };
}

/** A core/v1 Event, the kind the operator records (operator/src/k8s/events.ts). */
export interface EventLike {
  metadata: ObjectMeta;
  involvedObject?: { kind?: string; name?: string; uid?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  firstTimestamp?: string | null;
  lastTimestamp?: string | null;
  eventTime?: string | null;
}

/** A kept template copy (ADR 0016): apps/v1 ControllerRevision `<name>-template-<revision>`. */
export interface ControllerRevisionLike {
  metadata: ObjectMeta;
  data?: { template?: { spec?: { containers?: ContainerLike[] } } };
}

/** Everything `get` draws, read at one moment; the renderers are pure functions of it. */
export interface ReleaseSnapshot {
  bgs: BlueGreenService;
  deployments: readonly DeploymentLike[];
  pods: readonly PodLike[];
  events: readonly EventLike[];
}

/** When an Event last happened: lastTimestamp, else eventTime, else when it was created. */
export function eventTime(e: EventLike): string | undefined {
  return e.lastTimestamp ?? e.eventTime ?? e.metadata.creationTimestamp ?? undefined;
}

/**
 * The metadata of an object read as plain JSON. BlueGreenService borrows client-node's
 * V1ObjectMeta, whose types (Date timestamps, V1ManagedFieldsEntry) describe deserialised
 * objects; what our transport hands over is this.
 */
export function plainMeta(obj: { metadata?: unknown }): ObjectMeta {
  const meta: unknown = obj.metadata ?? {};
  return meta as ObjectMeta;
}
