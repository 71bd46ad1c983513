// What the commands read. Plain GET and LIST requests, each with the --request-timeout deadline;
// every read is scoped to one BlueGreenService by name or by its `bluegreen.dev/service` label,
// so the RBAC a user needs is `get`/`list` in that namespace (docs/cli.md).
import { KIND, LABELS } from '../../../operator/src/api/constants.ts';
import { paths } from '../../../operator/src/k8s/paths.ts';
import type {
  BlueGreenService,
  ControllerRevisionLike,
  DeploymentLike,
  EventLike,
  PodLike,
  ReleaseSnapshot,
} from '../model/objects.ts';
import { call, type Kube } from './client.ts';

interface List<T> {
  items?: T[];
  metadata?: { resourceVersion?: string };
}

export const podsPath = (namespace: string) => `/api/v1/namespaces/${namespace}/pods`;

/** Selectors of what belongs to one BlueGreenService (the informers of `get -w` use them too). */
export function selectorsOf(name: string) {
  return {
    owned: `${LABELS.service}=${name}`,
    events: `involvedObject.kind=${KIND},involvedObject.name=${name}`,
    self: `metadata.name=${name}`,
  };
}

export function getBgs(kube: Kube, namespace: string, name: string): Promise<BlueGreenService> {
  return call<BlueGreenService>(
    kube,
    'GET',
    paths.bgs(namespace, name),
    {},
    `bluegreenservice "${name}" in ${namespace}`,
  );
}

export async function listBgs(kube: Kube, namespace: string | undefined): Promise<BlueGreenService[]> {
  const list = await call<List<BlueGreenService>>(kube, 'GET', paths.bgs(namespace), {}, 'bluegreenservices');
  return list.items ?? [];
}

async function listOwned<T>(kube: Kube, path: string, labelSelector: string): Promise<T[]> {
  return (await call<List<T>>(kube, 'GET', path, { query: { labelSelector } })).items ?? [];
}

export async function listEvents(kube: Kube, namespace: string, name: string): Promise<EventLike[]> {
  const query = { fieldSelector: selectorsOf(name).events };
  return (await call<List<EventLike>>(kube, 'GET', paths.events(namespace), { query })).items ?? [];
}

/** The object and everything `get` draws, read together (one round trip of four requests). */
export async function readRelease(kube: Kube, namespace: string, name: string): Promise<ReleaseSnapshot> {
  const owned = selectorsOf(name).owned;
  const [bgs, deployments, pods, events] = await Promise.all([
    getBgs(kube, namespace, name),
    listOwned<DeploymentLike>(kube, paths.deployments(namespace), owned),
    listOwned<PodLike>(kube, podsPath(namespace), owned),
    listEvents(kube, namespace, name),
  ]);
  return { bgs, deployments, pods, events };
}

/** The kept template copies (ADR 0016): one per revision a colour still runs. */
export function listKeptTemplates(kube: Kube, namespace: string, name: string): Promise<ControllerRevisionLike[]> {
  return listOwned<ControllerRevisionLike>(kube, paths.controllerRevisions(namespace), selectorsOf(name).owned);
}
