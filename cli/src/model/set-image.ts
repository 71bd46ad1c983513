// `set image NAME CONTAINER=IMAGE ...`: a new spec.template, by container name, as
// `kubectl set image` does for a Deployment. PURE.
//
// spec.template.spec.containers is an atomic list in our CRD (no list-map keys: the PodSpec is
// embedded with preserve-unknown-fields), so server-side apply owns and replaces it whole: the
// change carries every container with every field as read, only the image replaced. The apply's
// resourceVersion precondition (apply-plan.ts) keeps an edit made meanwhile from being lost.
import { CliError, EXIT } from '../exit.ts';
import type { FieldChange } from './apply-plan.ts';
import type { Decision } from './levers.ts';
import type { BlueGreenService } from './objects.ts';

export interface ImageAssignment {
  container: string;
  image: string;
}

/** Parses CONTAINER=IMAGE arguments; a malformed one is a usage error naming it. */
export function parseAssignments(args: readonly string[]): ImageAssignment[] {
  if (args.length === 0) throw new CliError(EXIT.usage, 'set image needs at least one CONTAINER=IMAGE');
  return args.map((arg) => {
    const m = /^([^=\s]+)=(\S+)$/.exec(arg);
    if (!m) throw new CliError(EXIT.usage, `expected CONTAINER=IMAGE, got "${arg}"`);
    return { container: m[1]!, image: m[2]! };
  });
}

type Container = Record<string, unknown> & { name: string; image?: string };
const LISTS = ['containers', 'initContainers'] as const;

export function decideSetImage(bgs: BlueGreenService, assignments: readonly ImageAssignment[]): Decision {
  const podSpec = (bgs.spec.template.spec ?? {}) as unknown as Record<string, Container[] | undefined>;
  const lists = new Map(LISTS.map((key) => [key, (podSpec[key] ?? []).map((c) => ({ ...c }))]));
  const changed = new Set<(typeof LISTS)[number]>();
  const done: string[] = [];
  for (const { container, image } of assignments) {
    const key = LISTS.find((k) => lists.get(k)!.some((c) => c.name === container));
    if (!key) {
      const names = LISTS.flatMap((k) => lists.get(k)!.map((c) => c.name)).join(', ');
      throw new CliError(EXIT.notFound, `container "${container}" not found in spec.template (it has: ${names})`);
    }
    const target = lists.get(key)!.find((c) => c.name === container)!;
    if (target.image === image) continue;
    done.push(`${container}: ${target.image ?? '-'} -> ${image}`);
    target.image = image;
    changed.add(key);
  }
  if (changed.size === 0) return { kind: 'noop', message: 'every image is already as asked: no new revision' };
  const changes: FieldChange[] = LISTS.filter((key) => changed.has(key)).map((key) => ({
    path: ['spec', 'template', 'spec', key],
    fragment: { spec: { template: { spec: { [key]: lists.get(key) } } } },
  }));
  return {
    kind: 'set',
    changes,
    summary: `new template for bgs/${bgs.metadata.name}: ${done.join(', ')}`,
    notes: ['a new revision: the operator deploys it to the idle colour as a release (follow it with get -w)'],
  };
}
