// The read-only commands: get (once), list, history.
import type { Invocation } from '../args.ts';
import { nameArg } from '../args.ts';
import type { Io } from '../io.ts';
import type { Kube } from '../kube/client.ts';
import { getBgs, listBgs, listEvents, listKeptTemplates, readRelease } from '../kube/reads.ts';
import { buildHistory } from '../model/history.ts';
import { renderHistory } from '../render/history.ts';
import { renderList } from '../render/list.ts';
import { renderRelease } from '../render/release.ts';
import type { Style } from '../render/style.ts';

export async function getOnce(inv: Invocation, kube: Kube, io: Io, style: Style): Promise<void> {
  const snapshot = await readRelease(kube, kube.namespace, nameArg(inv));
  io.out(renderRelease(snapshot, io.now(), style));
}

export async function list(inv: Invocation, kube: Kube, io: Io, style: Style): Promise<void> {
  const items = await listBgs(kube, inv.flags.allNamespaces ? undefined : kube.namespace);
  io.out(renderList(items, inv.flags.allNamespaces, io.now(), style));
}

export async function history(inv: Invocation, kube: Kube, io: Io, style: Style): Promise<void> {
  const name = nameArg(inv);
  const [bgs, events, kept] = await Promise.all([
    getBgs(kube, kube.namespace, name),
    listEvents(kube, kube.namespace, name),
    listKeptTemplates(kube, kube.namespace, name),
  ]);
  io.out(renderHistory(name, buildHistory(bgs, events, kept), io.now(), style));
}
