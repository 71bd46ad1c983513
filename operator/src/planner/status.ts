// Turning a finished Draft into the Plan: the one status the reconcile writes, with
// conditions that only change when something changed, so a steady state writes nothing.
import { COLORS, CONDITIONS, type Color, REASONS } from '../api/constants.ts';
import { colorSelector, selectorString } from '../api/names.ts';
import { revisionOf } from '../api/revision.ts';
import type { BlueGreenServiceStatus, ColorStatus, Condition } from '../api/types.ts';
import { conditionStatus, setCondition } from './conditions.ts';
import type { Draft } from './draft.ts';
import { deploymentImages, deploymentReplicas, deploymentRevision } from './observe.ts';
import { inFlight, requeueAfter } from './policy.ts';
import type { Action, Observed, Plan } from './types.ts';

/**
 * What each colour runs. A deleted Deployment of the live or previous colour keeps its record
 * (with 0 replicas): the revision it ran is how it is restored from its kept template, even
 * when the first attempt fails (ADR 0016).
 */
function colorStatuses(obs: Observed, prev: BlueGreenServiceStatus): Partial<Record<Color, ColorStatus>> {
  const out: Partial<Record<Color, ColorStatus>> = {};
  for (const c of COLORS) {
    const dep = obs.colors[c].deployment;
    const remembered = prev.colors?.[c];
    if (!dep && remembered && (c === prev.activeColor || c === prev.previousColor)) {
      out[c] = { ...remembered, replicas: 0, readyEndpoints: obs.colors[c].readyEndpoints };
    }
    if (!dep) continue;
    const revision = deploymentRevision(dep);
    out[c] = {
      ...(revision ? { revision } : {}),
      images: deploymentImages(dep),
      replicas: deploymentReplicas(dep),
      readyEndpoints: obs.colors[c].readyEndpoints,
    };
  }
  return out;
}

/** A traffic move: the active or preview Service's selector may change. */
function movesTraffic(a: Action): boolean {
  return (a.kind === 'applyService' || a.kind === 'patchServiceSelector') && a.role !== 'color';
}

/**
 * Deployments and per-colour Services are independent of each other: one concurrent wave.
 * Traffic moves come after them, one per wave, in the order the branch decided them (active
 * before preview), so a selector never points at a colour whose objects were not accepted.
 * Kept templates come first (a Deployment never runs a template without its copy), and the
 * copies no colour runs any more go last.
 */
function inWaves(actions: readonly Action[]): Action[][] {
  const keeps = actions.filter((a) => a.kind === 'keepTemplate');
  const drops = actions.filter((a) => a.kind === 'dropTemplate');
  const route = actions.filter((a) => a.kind === 'setRouteWeights');
  const groundwork = actions.filter(
    (a) => !movesTraffic(a) && !['keepTemplate', 'dropTemplate', 'setRouteWeights'].includes(a.kind),
  );
  const moves = actions.filter(movesTraffic).map((a) => [a]);
  // An HTTPRoute weight is a traffic move too (docs/adr/0017): lowering the canary's goes
  // before everything (an abort is one write, first), raising it after everything.
  const lowering = route.filter((a) => a.kind === 'setRouteWeights' && a.lowers);
  const raising = route.filter((a) => a.kind === 'setRouteWeights' && !a.lowers);
  return [lowering, keeps, groundwork, ...moves, raising, drops].filter((wave) => wave.length > 0);
}

/** Drop undefined values so the stored status and the computed one compare equal. */
function compact<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/**
 * The conditions of the next status: each changes (and gets a new transition time) only when
 * its status, reason or message changes.
 */
function conditionsFor(d: Draft): Condition[] {
  const { obs, bgs } = d;
  const active = d.next.activeColor;
  const replicas = d.spec.replicas;
  const ready = active ? obs.colors[active].readyEndpoints : 0;
  const available = active !== undefined && ready >= replicas;
  const serving = `${active} has ${ready}/${replicas} ready endpoints`;
  let conditions: Condition[] = [...(d.prev.conditions ?? [])];
  const set = (type: string, status: Condition['status'], reason: string, message: string) => {
    conditions = setCondition(
      conditions,
      { type, status, reason, message, observedGeneration: bgs.metadata.generation },
      d.nowIso,
    );
  };
  set(CONDITIONS.specValid, 'True', REASONS.valid, 'spec accepted');
  if (available) set(CONDITIONS.available, 'True', REASONS.activeReady, serving);
  else set(CONDITIONS.available, 'False', REASONS.noActiveEndpoints, active ? serving : 'no colour serves traffic yet');
  set(CONDITIONS.progressing, inFlight(d.phase) ? 'True' : 'False', d.reason, d.message);
  const problem = d.degraded ?? { reason: REASONS.asExpected, message: 'no problem detected' };
  set(CONDITIONS.degraded, d.degraded ? 'True' : 'False', problem.reason, problem.message);
  if (available && d.phase === 'Healthy' && !d.degraded)
    set(
      CONDITIONS.ready,
      'True',
      REASONS.ready,
      `${active} serves revision ${d.desiredRevision} with ${ready}/${replicas} ready endpoints`,
    );
  else set(CONDITIONS.ready, 'False', d.reason, d.message || 'not ready yet');
  return conditions;
}

export function finish(d: Draft, previewColor: Color | undefined): Plan {
  const { obs, bgs } = d;
  const active = d.next.activeColor;
  const replicas = d.spec.replicas;
  const ready = active ? obs.colors[active].readyEndpoints : 0;
  const status: BlueGreenServiceStatus = compact({
    ...compact(d.next),
    observedGeneration: bgs.metadata.generation,
    phase: d.phase,
    message: d.message,
    previewColor,
    ready: `${ready}/${replicas}`,
    replicas: active ? (obs.colors[active].deployment?.status?.replicas ?? 0) : 0,
    readyReplicas: ready,
    selector: active ? selectorString(colorSelector(bgs, active)) : undefined,
    stableRevision: active ? deploymentRevision(obs.colors[active].deployment) : undefined,
    updateRevision: d.desiredRevision,
    colors: colorStatuses(obs, d.prev),
    conditions: conditionsFor(d),
  });
  const requeueAfterMs = requeueAfter(obs.now, d.wakeAt, d.phase);
  return {
    waves: inWaves(d.actions),
    status,
    events: d.events,
    ...(requeueAfterMs !== undefined ? { requeueAfterMs } : {}),
    ...(d.measure ? { measure: d.measure } : {}),
    ...(d.switched ? { switched: d.switched } : {}),
  };
}

/** An invalid or conflicting spec changes nothing: same status, a SpecValid=False condition, one Event on the transition. */
export function invalidPlan(obs: Observed, reason: string, message: string): Plan {
  const prev = obs.bgs.status ?? {};
  const nowIso = new Date(obs.now).toISOString();
  const wasInvalid = conditionStatus(prev.conditions, CONDITIONS.specValid) === 'False';
  const observedGeneration = obs.bgs.metadata.generation;
  const conditions = [CONDITIONS.specValid, CONDITIONS.ready].reduce(
    (all, type) => setCondition(all, { type, status: 'False', reason, message, observedGeneration }, nowIso),
    prev.conditions ?? [],
  );
  let updateRevision: string | undefined;
  try {
    updateRevision = revisionOf(obs.bgs.spec?.template);
  } catch {
    updateRevision = undefined;
  }
  return {
    waves: [],
    events: wasInvalid && prev.message === message ? [] : [{ type: 'Warning', reason, message }],
    status: compact({
      ...prev,
      observedGeneration: obs.bgs.metadata.generation,
      phase: 'Invalid',
      message,
      conditions,
      updateRevision,
    }),
  };
}

/**
 * The API server refused one of the plan's writes (422 invalid, 403 quota or admission
 * webhook, 400): retrying as is will not help, the user must act. Status keeps everything it
 * knew (no switch is recorded that did not happen), says which object was refused and why in
 * Degraded/Ready, and the reconcile is retried with backoff (never silently with a frozen status).
 */
export function refusedPlan(obs: Observed, object: string, serverMessage: string): Plan {
  const prev = obs.bgs.status ?? {};
  const nowIso = new Date(obs.now).toISOString();
  const message = `the API server refused ${object}: ${serverMessage}`;
  const observedGeneration = obs.bgs.metadata.generation;
  const conditions = [
    { type: CONDITIONS.degraded, status: 'True' as const },
    { type: CONDITIONS.ready, status: 'False' as const },
  ].reduce(
    (all, c) => setCondition(all, { ...c, reason: REASONS.applyFailed, message, observedGeneration }, nowIso),
    prev.conditions ?? [],
  );
  const repeated = conditionStatus(prev.conditions, CONDITIONS.degraded) === 'True' && prev.message === message;
  return {
    waves: [],
    events: repeated ? [] : [{ type: 'Warning', reason: REASONS.applyFailed, message }],
    status: compact({ ...prev, observedGeneration, phase: 'Degraded', message, conditions }),
  };
}
