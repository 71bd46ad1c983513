// Disaster recovery on the real node (docs/disaster-recovery.md).
//
// Case 1, the state is lost while the workloads run: the BlueGreenService is deleted with
// --cascade=orphan, then restored from a backup of BlueGreenServices, Deployments and Services
// taken WITHOUT status and server-set metadata, as a Velero restore does by default (objects
// that still exist are skipped: Velero's default existingResourcePolicy). The operator must
// rebuild status from what it finds: no selector change, no pod replaced or restarted, no
// failed request.
// Case 2, only the BlueGreenService is restored into an empty namespace: the operator creates
// everything and it becomes Healthy.
import type { V1OwnerReference, V1Pod } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureCluster, type ClusterInfo } from '../cluster/harness.ts';
import { installCrds } from '../../clusterkit/crd.ts';
import { buildSampleImage } from '../support/images.ts';
import { TestKube } from '../../clusterkit/kube.ts';
import { failures, startLoad } from '../../clusterkit/load.ts';
import { startOperator, type OperatorProcess } from '../../clusterkit/operator-process.ts';
import { authBgs, authTemplate } from '../support/samples.ts';
import { waitForServiceAnswer } from '../../clusterkit/service-probe.ts';
import { waitFor } from '../../clusterkit/wait.ts';
import { REASONS } from '../../operator/src/api/constants.ts';
import { paths } from '../../operator/src/k8s/paths.ts';
import { ApiError } from '../../operator/src/k8s/request.ts';

let cluster: ClusterInfo;
let kube: TestKube;
const operators: OperatorProcess[] = [];
const stamp = Date.now().toString(36);
const nsA = `dr-a-${stamp}`;
const nsB = `dr-b-${stamp}`;
const name = 'auth';

interface Obj {
  apiVersion?: string;
  kind?: string;
  metadata: Record<string, unknown> & { name: string; namespace?: string };
  spec?: Record<string, unknown>;
  status?: unknown;
}

beforeAll(async () => {
  cluster = await ensureCluster({ nodes: 'real' });
  await Promise.all([installCrds(cluster), buildSampleImage()]);
  kube = new TestKube(cluster.kubeconfig);
  await kube.createNamespace(nsA);
  await kube.createNamespace(nsB);
  operators.push(
    startOperator({
      kubeconfig: cluster.kubeconfig,
      namespace: nsA,
      name: 'op-dr-a',
      port: 18431,
      env: { LEADER_ELECTION: 'false' },
    }),
    startOperator({
      kubeconfig: cluster.kubeconfig,
      namespace: nsB,
      name: 'op-dr-b',
      port: 18432,
      env: { LEADER_ELECTION: 'false' },
    }),
  );
});

afterAll(async () => {
  await Promise.all(operators.map((o) => o.stop()));
  await kube?.deleteNamespace(nsA);
  await kube?.deleteNamespace(nsB);
});

/** What a Velero backup + default restore keeps of an object: no status, no server-set metadata. */
function asRestored(o: Obj, namespace: string): Obj {
  const m = o.metadata;
  const metadata: Obj['metadata'] = { name: m.name, namespace };
  for (const k of ['labels', 'annotations'] as const) if (m[k]) metadata[k] = m[k];
  const spec = structuredClone(o.spec ?? {});
  // Velero's Service restore action drops the allocated ClusterIPs (they are re-allocated).
  if (o.kind === 'Service') {
    delete spec['clusterIP'];
    delete spec['clusterIPs'];
  }
  return { apiVersion: o.apiVersion!, kind: o.kind!, metadata, spec };
}

async function list<T>(path: string, kind: string, apiVersion: string): Promise<T[]> {
  const l = await kube.req<{ items: T[] }>('GET', path);
  return l.items.map((i) => ({ apiVersion, kind, ...i }));
}

/** Velero's default: create; an object that already exists is skipped and reported. */
async function restore(path: string, o: Obj): Promise<'created' | 'skipped (exists)'> {
  try {
    await kube.req('POST', path, o);
    return 'created';
  } catch (err) {
    if (err instanceof ApiError && err.statusCode === 409) return 'skipped (exists)';
    throw err;
  }
}

const podFacts = async (ns: string) =>
  (await kube.req<{ items: V1Pod[] }>('GET', `/api/v1/namespaces/${ns}/pods`)).items
    .map(
      (p) =>
        `${p.metadata!.name}@${p.metadata!.uid} restarts=${(p.status?.containerStatuses ?? []).reduce((n, c) => n + c.restartCount, 0)}`,
    )
    .sort();

/**
 * bluegreen_switches_total of the operator watching nsA for `name`, summed over reasons, or
 * undefined when it has no series: the operator forgets an object's series when it sees the
 * object deleted, so after a restore the sum counts the switches made since.
 */
async function switchesCounted(): Promise<number | undefined> {
  const text = await (await fetch('http://127.0.0.1:18431/metrics')).text();
  const lines = text
    .split('\n')
    .filter(
      (l) =>
        l.startsWith('bluegreen_switches_total{') &&
        l.includes(`bgs_namespace="${nsA}"`) &&
        l.includes(`bgs_name="${name}"`),
    );
  return lines.length === 0 ? undefined : lines.reduce((n, l) => n + Number(l.split(' ').at(-1)), 0);
}

/** Event reasons the operator gives a selector switch. */
const SWITCH_REASONS: string[] = [
  REASONS.initialDeploy,
  REASONS.autoPromotion,
  REASONS.manualPromotion,
  REASONS.manualRollback,
  REASONS.autoRollback,
];

async function waitStatus(ns: string, what: string, ok: (s: Record<string, unknown>) => boolean, timeoutMs = 180_000) {
  return waitFor(
    async () => {
      const s = ((await kube.getBgs(ns, name)).status ?? {}) as Record<string, unknown>;
      return { done: ok(s), seen: { phase: s['phase'], active: s['activeColor'], message: s['message'] } };
    },
    { what, timeoutMs },
  );
}

describe('Given auth released twice (v2 live on green, blue scaled down) under steady load', () => {
  beforeAll(async () => {
    await kube.createBgs(authBgs(nsA, name, 'v1', {}, { scaleDownDelaySeconds: 5, promotion: { auto: true } }));
    await waitStatus(nsA, 'v1 Healthy on blue', (s) => s['phase'] === 'Healthy' && s['activeColor'] === 'blue');
    await kube.patchBgsSpec(nsA, name, { template: authTemplate('v2') });
    await waitStatus(nsA, 'v2 Healthy on green', (s) => s['phase'] === 'Healthy' && s['activeColor'] === 'green');
    await waitFor(
      async () => {
        // Its pods gone, not only status.replicas 0: terminating pods (the graceful shutdown
        // takes seconds) would vanish during the restore and read as pods replaced.
        const d = await kube.getDeployment(nsA, `${name}-blue`);
        const pods = await podFacts(nsA);
        return {
          done: d.spec?.replicas === 0 && pods.every((p) => p.startsWith(`${name}-green-`)),
          seen: { replicas: d.spec?.replicas, pods },
        };
      },
      { what: 'blue scaled down, its pods gone', timeoutMs: 120_000 },
    );
  });

  it('When the BlueGreenService is lost and restored from a backup without status, Then status is rebuilt with no switch, no pod restart and no failed request', async () => {
    const url = `http://${(await kube.getService(nsA, name)).spec!.clusterIP!}/.well-known/jwks.json`;
    await waitForServiceAnswer(url, { what: 'the active Service to answer' });
    const load = startLoad(url, { concurrency: 2, ratePerLoop: 20 });
    // Every selector the Services show while we restore; a switch would add a value.
    const selectors = new Set<string>();
    let watching = true;
    const watcher = (async () => {
      while (watching) {
        for (const svc of [name, `${name}-preview`])
          selectors.add(`${svc}=${(await kube.serviceColor(nsA, svc)) ?? 'absent'}`);
        // Sampling interval of this background recorder (it runs until the test stops it), not a
        // wait for an outcome: the steps below wait on conditions with deadlines.
        await new Promise((r) => setTimeout(r, 100));
      }
    })();
    try {
      const podsBefore = await podFacts(nsA);
      const backup = {
        bgs: await list<Obj>(paths.bgs(nsA), 'BlueGreenService', 'bluegreen.dev/v1alpha1'),
        deployments: await list<Obj>(`/apis/apps/v1/namespaces/${nsA}/deployments`, 'Deployment', 'apps/v1'),
        services: await list<Obj>(`/api/v1/namespaces/${nsA}/services`, 'Service', 'v1'),
      };
      const statusBefore = (await kube.getBgs(nsA, name)).status!;
      const switchesBefore = await switchesCounted();
      expect(switchesBefore).toBeGreaterThanOrEqual(2); // InitialDeploy + AutoPromotion: the metric is read right

      // The loss: the object and its status go; the workloads stay (ownerReferences removed).
      await kube.req('DELETE', `${paths.bgs(nsA, name)}?propagationPolicy=Orphan`);
      await waitFor(
        async () => {
          const left = await kube.req<{ items: unknown[] }>('GET', paths.bgs(nsA));
          return { done: left.items.length === 0, seen: `${left.items.length} left` };
        },
        { what: 'the BlueGreenService gone', timeoutMs: 60_000 },
      );
      // The operator saw the deletion (it forgets the object's series): what it counts from
      // here on are switches made after the restore.
      await waitFor(async () => ({ done: (await switchesCounted()) === undefined, seen: await switchesCounted() }), {
        what: 'the operator to forget the deleted BlueGreenService',
        timeoutMs: 30_000,
      });

      // The restore, in Velero's order (workloads before custom resources).
      const outcome: string[] = [];
      for (const s of backup.services)
        outcome.push(
          `Service/${s.metadata.name}: ${await restore(`/api/v1/namespaces/${nsA}/services`, asRestored(s, nsA))}`,
        );
      for (const d of backup.deployments)
        outcome.push(
          `Deployment/${d.metadata.name}: ${await restore(`/apis/apps/v1/namespaces/${nsA}/deployments`, asRestored(d, nsA))}`,
        );
      for (const b of backup.bgs)
        outcome.push(`BlueGreenService/${b.metadata.name}: ${await restore(paths.bgs(nsA), asRestored(b, nsA))}`);
      console.log(`restore: ${outcome.join(', ')}`);
      const restoredAt = Date.now();

      const rebuilt = await waitStatus(
        nsA,
        'status rebuilt: Healthy on green',
        (s) => s['phase'] === 'Healthy' && s['activeColor'] === 'green',
      );
      // Give a misbehaving operator room to act after "Healthy": 10 s more of load.
      await waitFor(
        async () => ({ done: load.samples.some((x) => x.at > restoredAt + 15_000), seen: load.samples.length }),
        {
          what: '15 s of load after the restore',
          timeoutMs: 60_000,
        },
      );
      const after = (await kube.getBgs(nsA, name)).status!;
      console.log(
        `status before: ${JSON.stringify({ phase: statusBefore.phase, active: statusBefore.activeColor, preview: statusBefore.previewColor })}; rebuilt: ${JSON.stringify(rebuilt)}; selectors seen: ${[...selectors].join(', ')}`,
      );
      console.log(
        `switches counted by the operator: ${switchesBefore} before, ${await switchesCounted()} after; lastSwitch before ${statusBefore.lastSwitchTime} (${statusBefore.lastSwitchReason}), after ${after.lastSwitchTime} (${after.lastSwitchReason})`,
      );
      expect((await switchesCounted()) ?? 0).toBe(0);
      expect(after.activeColor).toBe(statusBefore.activeColor);
      expect(after.colors?.green?.readyEndpoints).toBe(2);
      expect([...selectors].filter((s) => s.startsWith(`${name}=`))).toEqual([`${name}=green`]);
      expect(await podFacts(nsA)).toEqual(podsBefore);
      // Both Deployments are owned again (they were orphaned by the deletion), so deleting the
      // restored BlueGreenService still takes its workloads with it.
      const uid = (await kube.getBgs(nsA, name)).metadata.uid;
      for (const c of ['blue', 'green']) {
        const d = await kube.getDeployment(nsA, `${name}-${c}`);
        expect(
          d.metadata?.ownerReferences?.filter((r) => r.controller).map((r) => r.uid),
          `${c} owner`,
        ).toEqual([uid]);
      }
      // So are the kept copies of the templates they run (ADR 0016), orphaned with them.
      const kept = (
        await kube.req<{ items: { metadata: { name: string; ownerReferences?: V1OwnerReference[] } }[] }>(
          'GET',
          `/apis/apps/v1/namespaces/${nsA}/controllerrevisions`,
        )
      ).items.filter((r) => r.metadata.name.startsWith(`${name}-template-`));
      console.log(`kept templates after the restore: ${kept.map((r) => r.metadata.name).join(', ')}`);
      expect(kept.length).toBeGreaterThanOrEqual(1);
      for (const r of kept)
        expect(
          r.metadata.ownerReferences?.filter((o) => o.controller).map((o) => o.uid),
          `${r.metadata.name} owner`,
        ).toEqual([uid]);
      const events = (
        await kube.req<{ items: { reason: string; message: string; lastTimestamp?: string; eventTime?: string }[] }>(
          'GET',
          `/api/v1/namespaces/${nsA}/events?fieldSelector=involvedObject.kind%3DBlueGreenService`,
        )
      ).items.filter((e) => Date.parse(e.lastTimestamp ?? e.eventTime ?? '') >= restoredAt - 1000);
      console.log(
        `BlueGreenService events since the restore: ${JSON.stringify(events.map((e) => [e.reason, e.message]))}`,
      );
      expect(events.filter((e) => SWITCH_REASONS.includes(e.reason))).toEqual([]);
    } finally {
      watching = false;
      await watcher;
      await load.stop();
    }
    const failed = failures(load.samples);
    console.log(`restore under load: ${load.samples.length} requests, ${failed.length} failed`, failed.slice(0, 3));
    expect(failed).toEqual([]);
  });

  it('When only the BlueGreenService is restored into an empty namespace, Then the operator builds everything and it becomes Healthy', async () => {
    const [source] = await list<Obj>(paths.bgs(nsA), 'BlueGreenService', 'bluegreen.dev/v1alpha1');
    expect(await restore(paths.bgs(nsB), asRestored(source!, nsB))).toBe('created');
    const s = await waitStatus(nsB, 'the restored BlueGreenService Healthy', (s) => s['phase'] === 'Healthy');
    console.log(`restored into an empty namespace: ${JSON.stringify(s)}`);
    const active = (await kube.getBgs(nsB, name)).status!.activeColor!;
    const url = `http://${(await kube.getService(nsB, name)).spec!.clusterIP!}/.well-known/jwks.json`;
    const answer = await waitForServiceAnswer(url, { what: 'the restored active Service to answer' });
    expect(answer.status).toBe(200);
    expect(answer.headers.get('x-color')).toBe(active);
    expect(answer.headers.get('x-version')).toBe('v2');
  });
});
