// Follows a release of one BlueGreenService and prints every state change as it happens.
import type { TestKube } from '../clusterkit/kube.ts';
import { note } from './timeline.ts';

/** Resolves with the time the active Service was seen selecting `to`, once the release settled. */
export async function watchRelease(
  kube: TestKube,
  ns: string,
  name: string,
  to: string,
  startedAt: number,
  timeoutMs = 600_000,
): Promise<number> {
  let last = '';
  let switchedAt: number | undefined;
  let promoted = false;
  const deadline = startedAt + timeoutMs;
  while (Date.now() < deadline) {
    const s = (await kube.getBgs(ns, name)).status ?? {};
    const selector = await kube.serviceColor(ns, name);
    if (selector === to && switchedAt === undefined) switchedAt = Date.now();
    const line = `${s.phase ?? '-'} active=${s.activeColor ?? '-'} preview=${s.previewColor ?? '-'} | ${s.analysis ? `analysis ${s.analysis.stage} ${s.analysis.phase} (${s.analysis.rounds} rounds)` : ''} ${s.message ?? ''}`;
    if (line !== last) {
      note(line);
      last = line;
    }
    if (s.phase === 'Degraded') throw new Error(`release degraded: ${s.message}`);
    const waitingForHuman =
      s.phase === 'AwaitingPromotion' &&
      s.conditions?.find((c) => c.type === 'Progressing')?.reason === 'AwaitingPromotion';
    if (waitingForHuman && !promoted) {
      // Manual promotion, exactly as a user would do it: one field of the spec.
      note(`analysis passed; promoting: kubectl patch bgs ${name} --type merge -p '{"spec":{"activeColor":"${to}"}}'`);
      await kube.patchBgsSpec(ns, name, { activeColor: to });
      promoted = true;
    }
    if (switchedAt !== undefined && (s.phase === 'Healthy' || s.phase === 'Verifying')) return switchedAt;
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`release of ${name} did not finish within ${timeoutMs / 1000} s; last: ${last}`);
}
