// The contract oracle: after every simulated step it replays the operator's writes in order on
// what a user observes (views), judges each write against every guarantee, writes down what
// happened (history), and checks the promises about state. It never imports the planner.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { LABELS } from '../../../operator/src/api/constants.ts';
import { revisionOf } from '../../../operator/src/api/revision.ts';
import type { HTTPRouteLike } from '../../../operator/src/api/httproute.ts';
import type { BlueGreenService, BlueGreenServiceStatus } from '../../../operator/src/api/types.ts';
import type { SimCluster, WriteRecord } from '../cluster.ts';
import { FlapWindows } from './flaps.ts';
import { type Guarantee, type WriteCheck } from './guarantees.ts';
import { ALL_GUARANTEES } from './all.ts';
import { History } from './history.ts';
import { judgeState, judgeStepCompletion } from './state.ts';
import { trafficMove } from './traffic-move.ts';
import {
  abortedOn,
  activeColor,
  activeSelectsBoth,
  COLORS,
  deploymentName,
  fullyReady,
  revisionOfColor,
  routeShare,
  servingColors,
  type View,
} from './view.ts';

export interface Names {
  owner: string;
  activeName: string;
  previewName: string;
  routeName: string;
}

/** What the step was: an input (a user's or the world's change), and whether the operator had a whole unfaulted turn. */
export interface StepKind {
  input: boolean;
  reconciled: boolean;
}

export class ContractOracle {
  readonly violations: string[] = [];
  readonly history = new History();
  readonly #flaps = new FlapWindows();
  #writesSeen = 0;
  #answersSeen = 0;
  readonly #cluster: SimCluster;
  readonly #names: Names;
  readonly #seen: () => BlueGreenService | undefined;
  readonly #guarantees: readonly Guarantee[];

  constructor(
    cluster: SimCluster,
    names: Names,
    seen: () => BlueGreenService | undefined,
    guarantees: readonly Guarantee[] = ALL_GUARANTEES,
  ) {
    this.#cluster = cluster;
    this.#names = names;
    this.#seen = seen;
    this.#guarantees = guarantees;
    this.#noteTemplate();
    const now = this.#viewNow();
    this.#notePods(now);
    const live = activeColor(now);
    if (live) this.history.wentLive({ color: live, revision: revisionOfColor(now, live) ?? '' });
  }

  afterCommand(step: StepKind): void {
    const writes = this.#cluster.writes.slice(this.#writesSeen);
    this.#writesSeen = this.#cluster.writes.length;
    let view = this.#viewBefore(writes);
    const ownStatus = writes.find((w) => w.kind === 'BlueGreenService' && w.name === this.#names.owner);
    let status = ownStatus
      ? (ownStatus.before as BlueGreenService | undefined)?.status
      : this.#cluster.bgs.get(this.#names.owner)?.status;
    if (!view.services.has(this.#names.activeName) && status?.activeColor === undefined) this.history.forgetLives();
    if (step.input) this.#flaps.clear();
    this.#noteAnswers(view);
    // Relaxation R3: a template the operator read but never acted on (no write) started nothing.
    if (writes.some((w) => w.by === this.#names.owner)) this.#noteTemplate();
    this.#notePods(view);
    for (const w of writes) {
      const after = applyWrite(view, w);
      if (w.kind !== 'BlueGreenService' && w.kind !== 'ControllerRevision') this.#judgeWrite(w, view, after, status);
      if (w.kind === 'BlueGreenService' && w.name === this.#names.owner) {
        const next = (w.after as BlueGreenService).status;
        const broken = judgeStepCompletion(view, status, next);
        if (broken) this.violations.push(`step ${this.#cluster.step}: ${broken}`);
        status = next;
      }
      this.#noteRecords(w);
      view = after;
    }
    const stored = this.#cluster.bgs.get(this.#names.owner)?.status;
    this.violations.push(
      ...judgeState(view, stored, this.history, step.reconciled).map((v) => `step ${this.#cluster.step}: ${v}`),
    );
  }

  #judgeWrite(write: WriteRecord, before: View, after: View, status: BlueGreenServiceStatus | undefined): void {
    const check: WriteCheck = {
      write,
      before,
      after,
      move: trafficMove(before, after),
      spec: this.#seen()?.spec,
      history: this.history,
      answers: this.#cluster.answers,
      status,
    };
    for (const g of this.#guarantees) {
      if (write.by !== this.#names.owner && g.id !== 'own-services-only') continue;
      const broken = g.judge(check);
      if (broken) this.#fail(g.id, broken);
    }
    if (write.by === this.#names.owner) this.#noteMove(check);
  }

  /** Traffic that went live, and traffic withdrawn from a ready template revision (an abort). */
  #noteMove(c: WriteCheck): void {
    const to = c.move.switchedTo;
    if (to) {
      const revision = revisionOfColor(c.after, to) ?? '';
      if (!(c.move.narrowed && this.history.live?.color === to)) this.history.failed.delete(revision);
      this.history.wentLive({ color: to, revision });
    }
    // Relaxation R8: with spec.canary removed, taking canary traffic away is how the release goes
    // on as blue-green (docs/api.md), not an abort; a switch away from the live revision still is.
    const canaryWithdrawn = c.move.narrowed || c.move.switchedTo === undefined;
    const canaryDropped = !c.spec?.canary && canaryWithdrawn;
    for (const lost of c.move.lost) {
      const revision = revisionOfColor(c.before, lost);
      const ready = fullyReady(c.before, lost, 1);
      if (revision === this.history.template.revision && ready && !canaryDropped) this.history.aborted(revision);
    }
    for (const v of this.#flaps.record(flapFields(c.after, c.write))) this.#fail('no-flap', v);
  }

  /** The operator's own records of an abort add to the history (they never remove from it). */
  #noteRecords(w: WriteRecord): void {
    const onService = w.kind === 'Service' ? abortedOn(w.after) : undefined;
    if (onService) this.history.aborted(onService);
    if (w.kind !== 'BlueGreenService') return;
    const status = (w.after as BlueGreenService).status;
    if (status?.abortedRevision) this.history.aborted(status.abortedRevision);
    if (status?.canary?.aborted) this.history.aborted(status.canary.revision);
  }

  /** A bad or missing measurement of a colour that serves lets traffic leave it once (then automatic-moves-earned judges). */
  #noteAnswers(view: View): void {
    const answers = this.#cluster.answers.slice(this.#answersSeen);
    this.#answersSeen = this.#cluster.answers.length;
    const serving = servingColors(view);
    if (answers.some((a) => a.answer !== 'good' && serving.has(a.color as 'blue' | 'green')))
      this.#flaps.clearTraffic();
  }

  #noteTemplate(): void {
    const seen = this.#seen() ?? this.#cluster.bgs.get(this.#names.owner);
    if (seen) this.history.templateSeen(revisionOf(seen.spec.template), this.#cluster.step);
  }

  #notePods(view: View): void {
    for (const c of COLORS) {
      const revision = revisionOfColor(view, c);
      const pods = (view.pods.get(deploymentName(view, c)) ?? []).filter((p) => p.revision === revision).length;
      this.history.podsObserved(deploymentName(view, c), revision, pods, this.#cluster.step);
    }
  }

  #fail(id: string, message: string): void {
    this.violations.push(`step ${this.#cluster.step}: [${id}] ${message}`);
  }

  #viewNow(): View {
    const c = this.#cluster;
    return { ...this.#names, services: c.services, deployments: c.deployments, routes: c.routes, pods: c.pods };
  }

  /** The state before this step's writes: the truth, with each written object put back as its first write found it. */
  #viewBefore(writes: readonly WriteRecord[]): View {
    const view = copy(this.#viewNow());
    for (const w of [...writes].reverse()) putObject(view, w.kind, w.name, w.before);
    return view;
  }
}

/** A view being replayed: its object maps are this oracle's copies. */
interface Replay extends View {
  services: Map<string, V1Service>;
  deployments: Map<string, V1Deployment>;
  routes: Map<string, HTTPRouteLike>;
}

function copy(v: View): Replay {
  return { ...v, services: new Map(v.services), deployments: new Map(v.deployments), routes: new Map(v.routes) };
}

function putObject(v: Replay, kind: string, name: string, obj: unknown): void {
  const map = (
    { Service: v.services, Deployment: v.deployments, HTTPRoute: v.routes } as Record<string, Map<string, unknown>>
  )[kind];
  if (!map) return;
  if (obj === undefined) map.delete(name);
  else map.set(name, obj);
}

function applyWrite(v: View, w: WriteRecord): View {
  const next = copy(v);
  putObject(next, w.kind, w.name, w.after);
  return next;
}

/** The traffic fields a write may flap: the active Service's colours, the preview's colour, the route's share, a Deployment's revision. */
function flapFields(v: View, w: WriteRecord): Map<string, string> {
  const at = (c: 'blue' | 'green') => `${c} at ${revisionOfColor(v, c)}`;
  const active = activeSelectsBoth(v) ? 'both' : activeColor(v);
  const fields = new Map<string, string>();
  if (w.kind === 'Service' && w.name === v.activeName && active)
    fields.set(`traffic:active`, active === 'both' ? `both (${at('blue')}, ${at('green')})` : at(active));
  const preview = v.services.get(v.previewName)?.spec?.selector?.[LABELS.color] as 'blue' | 'green' | undefined;
  if (w.kind === 'Service' && w.name === v.previewName && preview) fields.set('traffic:preview', at(preview));
  if (w.kind === 'HTTPRoute') fields.set('traffic:route', routeShareField(v, preview));
  if (w.kind === 'Deployment') fields.set(`template:${w.name}`, String(revisionOfDeployment(v, w.name)));
  return fields;
}

/** The split the route makes between colours: none once both backends select one colour (after a switch). */
function routeShareField(v: View, preview: 'blue' | 'green' | undefined): string {
  if (preview === undefined || preview === activeColor(v))
    return `no split (both backends on ${preview ?? 'no colour'})`;
  return `${routeShare(v)}% on ${preview} at ${revisionOfColor(v, preview)}`;
}

function revisionOfDeployment(v: View, name: string): string | undefined {
  return v.deployments.get(name)?.spec?.template?.metadata?.labels?.[LABELS.revision];
}
