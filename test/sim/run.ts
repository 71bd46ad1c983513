// One simulated scenario: set up the cluster, apply the generated commands with the
// invariants judged after each, then let the cluster cooperate (faults cleared, pods
// recover, Prometheus answers well, time passes) and check that the operator settles:
// a final phase, a status that agrees with the Service, and no writes when nothing changes.
import { LABELS } from '../../operator/src/api/constants.ts';
import { SimCluster, NS } from './cluster.ts';
import { Invariants } from './invariants.ts';
import { ContractOracle } from './contract/oracle.ts';
import {
  activeName,
  apply,
  type Command,
  isInput,
  type Config,
  MAIN,
  RIVAL,
  ROUTE,
  SHARED_SERVICE,
  simRoute,
  settle,
  simBgs,
  type UserSpec,
} from './scenario.ts';
import { SimOperator } from './world.ts';
import { Tracer } from './trace.ts';

export interface Outcome {
  violations: string[];
  steps: number;
  crashes: number;
  switches: number;
  /** Writes to the HTTPRoute of a gateway canary configuration (docs/adr/0017). */
  routeWrites: number;
  finalPhase: string | undefined;
}

const SETTLED = new Set(['Healthy', 'AwaitingPromotion', 'Degraded']);

/**
 * The oracles judging a run: the contract oracle (test/sim/contract, the user contract of
 * docs/api.md) and the older invariants while they still find something it does not.
 * SIM_ORACLE=contract|legacy picks one (both by default).
 */
function oracles(cluster: SimCluster, cfg: Config, op: SimOperator) {
  const which = process.env['SIM_ORACLE'] ?? 'both';
  const legacy =
    which !== 'contract' ? new Invariants(cluster, cfg, (name) => op.readAtLastReconcile(name)) : undefined;
  const contract =
    which !== 'legacy'
      ? new ContractOracle(
          cluster,
          { owner: MAIN, activeName: activeName(cfg), previewName: `${activeName(cfg)}-preview`, routeName: ROUTE },
          () => op.readAtLastReconcile(MAIN),
        )
      : undefined;
  const violations: string[] = [];
  let fromContract = 0;
  let fromLegacy = 0;
  return {
    violations,
    afterCommand(c: Command, reconciled: boolean): void {
      legacy?.afterCommand(c);
      contract?.afterCommand({ input: isInput(c), reconciled });
      violations.push(
        ...(contract?.violations.slice(fromContract) ?? []),
        ...(legacy?.violations.slice(fromLegacy) ?? []),
      );
      fromContract = contract?.violations.length ?? 0;
      fromLegacy = legacy?.violations.length ?? 0;
    },
  };
}

/** `print`: trace every step (writes, events, Prometheus answers) for reading a counterexample. */
export async function runScenario(
  cfg: Config,
  commands: readonly Command[],
  print?: (line: string) => void,
): Promise<Outcome> {
  const cluster = new SimCluster();
  const tracer = print && new Tracer(cluster, print);
  const user: UserSpec = { image: 'app:v1', activeColor: undefined, replicas: cfg.replicas };
  cluster.putBgs(simBgs(MAIN, cfg, user));
  if (cfg.canary?.gateway)
    cluster.routes.set(ROUTE, {
      ...simRoute(cfg),
      metadata: { name: ROUTE, namespace: NS, resourceVersion: cluster.nextRv() },
    });
  if (cfg.rival) {
    cluster.services.set(SHARED_SERVICE, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: SHARED_SERVICE, namespace: NS, resourceVersion: cluster.nextRv() },
      spec: { selector: { app: 'legacy' }, ports: [{ port: 80 }] },
    });
    cluster.putBgs(simBgs(RIVAL, cfg, { image: 'app:v1', activeColor: undefined, replicas: 1 }));
  }
  const op = new SimOperator(cluster);
  const inv = oracles(cluster, cfg, op);
  if (cfg.steady) await converge();
  if (inv.violations.length > 0) return outcome();
  for (const c of commands) {
    cluster.step++;
    const faults = cluster.faults.length;
    await apply(c, cluster, op, user, cfg);
    inv.afterCommand(c, c.do === 'reconcile' && cluster.faults.length >= faults);
    tracer?.flush(`step ${cluster.step}: ${JSON.stringify(c)}`);
    if (inv.violations.length > 0) return outcome();
  }

  // The cluster cooperates from here on: no more faults, pods recover. Prometheus keeps
  // answering as it did: a bad or silent Prometheus must end in a verdict, never a promotion.
  cluster.faults.length = 0;
  for (const name of cluster.deployments.keys()) cluster.podsRecover(name);
  await converge();
  if (inv.violations.length > 0) return outcome();

  const bgs = cluster.bgs.get(MAIN)!;
  const phase = bgs.status?.phase;
  // In a rival run, whichever BlueGreenService adopted the shared Service first keeps it; the other is Invalid.
  const refused = cfg.rival && phase === 'Invalid';
  // Waiting on pods of an image that never get ready (a release or the user's pin) never ends.
  const stuck = [...cluster.pods.values()].some((pods) => pods.some((p) => p.broken));
  if (!SETTLED.has(phase ?? '') && !refused && !stuck)
    inv.violations.push(`did not settle: phase ${phase} (${bgs.status?.message})`);
  const selected = cluster.services.get(activeName(cfg))?.spec?.selector;
  // A canary held at a step for the user's promotion (pause {} or manual promotion after the
  // last step) settles with the Service on both colours; nothing else does.
  const heldCanary =
    selected?.[LABELS.color] === undefined &&
    phase === 'AwaitingPromotion' &&
    bgs.status?.canary !== undefined &&
    bgs.status.canary.aborted !== true;
  // So does a hold on a live colour whose template is lost (docs/api.md: the operator writes nothing).
  const heldLost = bgs.status?.conditions?.some((c) => c.type === 'Degraded' && c.reason === 'LiveTemplateLost');
  if (
    selected?.[LABELS.service] === MAIN &&
    selected[LABELS.color] !== bgs.status?.activeColor &&
    !heldCanary &&
    !heldLost
  ) {
    inv.violations.push(`status.activeColor ${bgs.status?.activeColor} but Service selects ${selected[LABELS.color]}`);
  }
  // A settled route weighs the preview only for a canary held at a step (or after its last one).
  const routed = cluster.routes.get(ROUTE)?.spec?.rules?.[0]?.backendRefs?.[1]?.weight ?? 0;
  const heldRoute = phase === 'AwaitingPromotion' && bgs.status?.canary !== undefined && !bgs.status.canary.aborted;
  // An Invalid spec (a rival took the Service) changes nothing by design, the route included.
  // ...or for a route the operator cannot write, which status then reports (Degraded, HTTPRouteNotUsable).
  const unusable = bgs.status?.conditions?.some((c) => c.type === 'Degraded' && c.reason === 'HTTPRouteNotUsable');
  if (routed > 0 && !heldRoute && phase !== 'Invalid' && !unusable)
    inv.violations.push(`settled in ${phase} with ${routed}% still on the preview Service in HTTPRoute ${ROUTE}`);
  const before = cluster.writes.length;
  op.syncAll();
  await op.reconcile(MAIN);
  if (cluster.writes.length > before) {
    const extra = cluster.writes.slice(before).map((w) => `${w.kind} ${w.name}`);
    inv.violations.push(`settled, yet a reconcile wrote ${extra.join(', ')}`);
  }
  return outcome();

  /** Controllers catch up and time passes until nothing was written for longer than the longest timer. */
  async function converge(): Promise<void> {
    // Quiet for longer than the longest timer (a progress deadline can turn a stuck release Degraded late).
    const longest = Math.max(cfg.progressDeadlineSeconds, cfg.scaleDownDelaySeconds, 300) + 60;
    const quietPasses = Math.ceil(longest / 15);
    for (let i = 0, quiet = 0; i < 150 && quiet < quietPasses && inv.violations.length === 0; i++) {
      const writes = cluster.writes.length;
      cluster.step++;
      settle(cluster, op);
      await op.reconcile(MAIN);
      if (cfg.rival) await op.reconcile(RIVAL);
      inv.afterCommand({ do: 'reconcile' }, true);
      if (cluster.writes.length !== writes) tracer?.flush(`step ${cluster.step}: settling`);
      quiet = cluster.writes.length === writes ? quiet + 1 : 0;
      cluster.now += 15_000;
    }
  }

  function outcome(): Outcome {
    tracer?.flush(`end: ${inv.violations.length} violation(s)`);
    for (const v of inv.violations) print?.(`  VIOLATION ${v}`);
    return {
      violations: inv.violations,
      steps: commands.length,
      crashes: op.crashes,
      switches: cluster.writes.filter((w) => w.kind === 'Service' && w.name === activeName(cfg)).length,
      routeWrites: cluster.writes.filter((w) => w.kind === 'HTTPRoute').length,
      finalPhase: cluster.bgs.get(MAIN)?.status?.phase,
    };
  }
}
