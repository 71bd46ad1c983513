// The shape of the user's Gateway API HTTPRoute (gateway.networking.k8s.io/v1) as far as the
// operator reads and writes it (docs/adr/0017), and the JSON patch ops it sends. Types only:
// the planner reads routes (planner/route.ts), the writers send the patch (k8s/writers.ts).

/** The fields of gateway.networking.k8s.io/v1 HTTPRoute the operator reads. */
export interface HTTPBackendRefLike {
  group?: string;
  kind?: string;
  name: string;
  namespace?: string;
  port?: number;
  /** Unset means 1 (Gateway API). */
  weight?: number;
}

export interface HTTPRouteLike {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string };
  spec?: { rules?: { backendRefs?: HTTPBackendRefLike[] }[] };
}

export interface JsonPatchOp {
  op: 'test' | 'add';
  path: string;
  value: unknown;
}
