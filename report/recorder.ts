// Records a release as it happens: sends the open-model load (loadtest/engine, ADR 0010) at a
// URL while following one BlueGreenService on any cluster the KubeConfig reaches, and returns
// the Recording that model.ts turns into a report.
//
// The BlueGreenService is polled (status every pollMs, its Events every second poll) rather
// than watched: a status the operator rewrote twice between two polls loses nothing the report
// needs, because every moment it draws is a timestamp the status KEEPS (release.startedAt,
// readyAt, lastSwitchTime, the measurements of the last 20 rounds) or an Event. And a poll that
// fails (API server restart, network blip) is counted and retried, never the end of a run.
import type { KubeConfig } from '@kubernetes/client-node';
import { runLoad, type GeneratorOptions, type SecondStats } from '../loadtest/engine/generator.ts';
import { canonicalJson } from '../operator/src/api/canonical-json.ts';
import type { BlueGreenService } from '../operator/src/api/types.ts';
import { paths } from '../operator/src/k8s/paths.ts';
import { isNotFound, requestJson } from '../operator/src/k8s/request.ts';
import { connectionFromClientNode } from '../operator/src/runtime/clientnodeconnection.ts';
import { RECORDING_FORMAT, type RecordedEvent, type Recording, type StatusSnapshot } from './recording.ts';

export interface RecorderOptions {
  kc: KubeConfig;
  namespace: string;
  name: string;
  generator: GeneratorOptions;
  /** Status poll interval (default 500 ms). */
  pollMs?: number;
  /** Ends the load (and the recording) early; the report covers what ran. */
  signal?: AbortSignal;
  log?: (line: string) => void;
  onSecond?: (s: SecondStats) => void;
}

interface KubeEvent {
  metadata: { uid: string; creationTimestamp?: string };
  involvedObject: { uid?: string };
  type?: string;
  reason?: string;
  message?: string;
  count?: number;
  lastTimestamp?: string | null;
  eventTime?: string | null;
  firstTimestamp?: string | null;
}

const REQUEST_TIMEOUT_MS = 10_000;

export async function recordRelease(o: RecorderOptions): Promise<Recording> {
  const log = o.log ?? (() => undefined);
  const pollMs = o.pollMs ?? 500;
  // Credentials as client-node computes them (exec plugins and all): a user's cluster, any kind.
  const conn = connectionFromClientNode(o.kc);
  const get = <R>(path: string, query?: Record<string, string>) =>
    requestJson<R>(conn, 'GET', path, AbortSignal.timeout(REQUEST_TIMEOUT_MS), query ? { query } : {});

  // Fail before sending any load when the object is not there: a typo must not cost a run.
  const first = await get<BlueGreenService>(paths.bgs(o.namespace, o.name)).catch((err: unknown) => {
    throw isNotFound(err)
      ? new Error(
          `BlueGreenService ${o.namespace}/${o.name} not found (check --namespace, --name and the kube context)`,
        )
      : err;
  });
  const uid = first.metadata.uid;

  const snapshots: StatusSnapshot[] = [];
  let lastStatus = '';
  const events = new Map<string, RecordedEvent>();
  let pollErrors = 0;
  const noteStatus = (bgs: BlueGreenService) => {
    const status = bgs.status ?? {};
    const key = canonicalJson(status);
    if (key === lastStatus) return;
    lastStatus = key;
    snapshots.push({ seenAt: new Date().toISOString(), status });
    const a = status.analysis;
    log(
      `${status.phase ?? '-'} active=${status.activeColor ?? '-'} preview=${status.previewColor ?? '-'}` +
        (a ? ` | ${a.stage} analysis ${a.phase}, ${a.rounds} round(s)` : '') +
        (status.message ? ` | ${status.message}` : ''),
    );
  };
  const pollEvents = async () => {
    const list = await get<{ items: KubeEvent[] }>(paths.events(o.namespace), {
      fieldSelector: `involvedObject.kind=BlueGreenService,involvedObject.name=${o.name}`,
    });
    for (const e of list.items) {
      // An Event of an earlier object of the same name is not part of this release.
      if (uid && e.involvedObject.uid && e.involvedObject.uid !== uid) continue;
      const at = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata.creationTimestamp;
      if (!at) continue;
      events.set(e.metadata.uid, {
        at,
        type: e.type ?? 'Normal',
        reason: e.reason ?? '',
        message: e.message ?? '',
        count: e.count ?? 1,
      });
    }
  };
  const poll = async (withEvents: boolean) => {
    try {
      noteStatus(await get<BlueGreenService>(paths.bgs(o.namespace, o.name)));
      if (withEvents) await pollEvents();
    } catch (err) {
      pollErrors++;
      if (pollErrors === 1 || pollErrors % 20 === 0)
        log(`reading ${o.namespace}/${o.name} failed (${pollErrors}x so far, retrying): ${String(err)}`);
    }
  };

  noteStatus(first);
  await poll(true);
  let settled = false;
  const load = runLoad(o.generator, o.onSecond, o.signal).finally(() => (settled = true));
  // Moments before this line are outside the report's time axis: release after it.
  log(`load started at ${o.generator.url}: release when ready`);
  // Wakes the poll loop at once when the load ends, instead of after a last full interval.
  const loadEnded = load.then(
    () => undefined,
    () => undefined,
  );
  for (let i = 1; !settled; i++) {
    await Promise.race([loadEnded, new Promise((r) => setTimeout(r, pollMs))]);
    if (!settled) await poll(i % 2 === 0);
  }
  const stats = await load;
  await poll(true);
  if (pollErrors > 0) log(`${pollErrors} poll(s) of the BlueGreenService failed during the run`);
  return {
    format: RECORDING_FORMAT,
    namespace: o.namespace,
    name: o.name,
    colorHeader: o.generator.splitHeader,
    load: stats,
    snapshots,
    events: [...events.values()].sort((a, b) => Date.parse(a.at) - Date.parse(b.at)),
  };
}
