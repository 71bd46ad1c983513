// The safety invariants, judged on the truth (SimCluster) after every simulated step. Each
// returns a sentence naming what went wrong; the property fails on the first one.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { ANNOTATIONS, LABELS, type Color } from '../../operator/src/api/constants.ts';
import { revisionOf } from '../../operator/src/api/revision.ts';
import type { BlueGreenService } from '../../operator/src/api/types.ts';
import type { HTTPRouteLike } from '../../operator/src/api/httproute.ts';
import type { SimCluster, WriteFault, WriteRecord } from './cluster.ts';
import { type Command, type Config, isInput, MAIN, ROUTE, activeName } from './scenario.ts';

const colorOf = (svc: unknown) => (svc as V1Service | undefined)?.spec?.selector?.[LABELS.color] as Color | undefined;
const ownerOf = (svc: unknown) => (svc as V1Service | undefined)?.spec?.selector?.[LABELS.service];
/** A canary step: our service key without the colour key (docs/adr/0012). */
const selectsBoth = (svc: unknown) => ownerOf(svc) !== undefined && colorOf(svc) === undefined;
const abortedOn = (svc: unknown) =>
  (svc as V1Service | undefined)?.metadata?.annotations?.[ANNOTATIONS.abortedRevision];
const other = (c: Color): Color => (c === 'blue' ? 'green' : 'blue');
/** The preview Service's backendRef's percent of an HTTPRoute's weights (docs/adr/0017); unset weights are 1. */
function canaryShareOf(route: unknown, previewName: string): number {
  const refs = (route as HTTPRouteLike | undefined)?.spec?.rules?.[0]?.backendRefs ?? [];
  const canary = refs.find((r) => r.name === previewName);
  if (!canary) return 0;
  const total = refs.reduce((n, r) => n + (r.weight ?? 1), 0);
  return total === 0 ? 0 : (100 * (canary.weight ?? 1)) / total;
}
const revisionLabel = (d: V1Deployment | undefined) => d?.metadata?.labels?.[LABELS.revision];

export class Invariants {
  #seen = 0;
  #faultsLeft = 0;
  /** The write faults queued after the last command, to tell which ones a pass spent. */
  #faultQueue: WriteFault[] = [];
  #answersSeen = 0;
  /** Values each field took since the last input, for flapping. */
  #window = new Map<string, string[]>();
  /** The template's revision as the operator last read it, and the step it changed (aborts are per template). */
  #template: { revision: string; step: number };
  /**
   * The step each Deployment's pods last came up: created, given another revision, or scaled up
   * from 0. Pre-promotion answers count for the pods they measured, from then on.
   */
  #podsSince = new Map<string, number>();
  /**
   * The template revision the operator last acted on (wrote anything while it read it), and
   * since which step: a revision it went away from and came back to is analysed again.
   */
  #acted: { revision: string; step: number };
  /** What the active Service selects (colour, revision), and what it selected before that. */
  #liveNow: { color: Color; revision: string } | undefined;
  #liveBefore: { color: Color; revision: string } | undefined;
  /** Revisions rolled back automatically while still the template: never auto-promote them again. */
  #aborted = new Set<string>();
  /** Revisions that were ever live, so a re-created active Service may point at them. */
  #live = new Set<string>();
  /**
   * The route's canary share at the write being judged: writes are replayed in the order they
   * happened, so a Deployment write is judged by the weight the gateway had at that moment
   * (an abort lowers it first, then scales down in a later pass).
   */
  #routeShare = 0;
  readonly violations: string[] = [];

  readonly cluster: SimCluster;
  readonly cfg: Config;
  /** The BlueGreenService as the operator's cache holds it. */
  readonly seen: (name: string) => BlueGreenService | undefined;

  constructor(cluster: SimCluster, cfg: Config, seen: (name: string) => BlueGreenService | undefined) {
    this.cluster = cluster;
    this.cfg = cfg;
    this.seen = seen;
    this.#template = { revision: this.#desired(), step: 0 };
    this.#acted = { ...this.#template };
    this.#routeShare = canaryShareOf(cluster.routes.get(ROUTE), this.#previewName());
  }

  #previewName(): string {
    return `${activeName(this.cfg)}-preview`;
  }

  /** The Deployment the route weighs now: the preview Service's colour, while it carries a share. */
  #routedDeployment(by: string): string | undefined {
    const color = colorOf(this.cluster.services.get(this.#previewName()));
    return this.#routeShare > 0 && color !== undefined ? `${by}-${color}` : undefined;
  }

  /** The template as the operator last read it: a template it never saw started no release. */
  #desired(): string {
    return revisionOf((this.seen(MAIN) ?? this.cluster.bgs.get(MAIN)!).spec.template);
  }

  #fail(message: string): void {
    this.violations.push(`step ${this.cluster.step}: ${message}`);
  }

  afterCommand(c: Command): void {
    // A bad or missing measurement is an input too: a switch back after a failed post-promotion
    // analysis is the point, not a flap.
    const answers = this.cluster.answers.slice(this.#answersSeen);
    this.#answersSeen = this.cluster.answers.length;
    // So is an operator crash: the next leader redoes, from status, what the dead one did after
    // its last status write (seed 20261218: a canary step's scale-down, then the preview's size).
    const spent = this.#faultQueue.slice(0, this.#faultQueue.length - this.cluster.faults.length);
    const crashed = c.do !== 'fault' && spent.some((f) => f === 'crash-before' || f === 'crash-after');
    this.#faultQueue = [...this.cluster.faults];
    if (isInput(c) || crashed || answers.some((a) => a.answer !== 'good')) this.#window.clear();
    const desired = this.#desired();
    if (desired !== this.#template.revision) {
      this.#template = { revision: desired, step: this.cluster.step };
      this.#aborted.clear();
    }
    const writes = this.cluster.writes.slice(this.#seen);
    this.#seen = this.cluster.writes.length;
    if (desired !== this.#acted.revision && writes.some((w) => w.by === MAIN))
      this.#acted = { revision: desired, step: this.cluster.step };
    for (const w of writes) this.#judgeWrite(w);
    // A write fault spent in this pass (a refused narrowing, say) leaves it to the next pass.
    const faulted = this.cluster.faults.length < this.#faultsLeft;
    this.#faultsLeft = this.cluster.faults.length;
    this.#judgeState(c.do === 'reconcile' && !faulted);
  }

  #judgeWrite(w: WriteRecord): void {
    const c = this.cluster;
    if (w.kind === 'HTTPRoute') {
      this.#judgeRouteWrite(w);
      return;
    }
    if (w.kind === 'Deployment') {
      const d = w.after as V1Deployment;
      const was: V1Deployment | undefined = w.before;
      if (
        !was ||
        revisionLabel(was) !== revisionLabel(d) ||
        ((was.spec?.replicas ?? 0) === 0 && (d.spec?.replicas ?? 0) > 0)
      )
        this.#podsSince.set(w.name, c.step);
      // While the Service selects both colours, canary steps resize the canary in a planned
      // sequence (preview size, then each step's share): judged by #judgeWidening, not as a flap.
      // Per revision: a colour given a new template (the operator saw a new spec, which may be
      // several steps after the user's edit) starts a new story (soak seed 20261203, 92,214 steps).
      // And per canary step (status as the pass left it): the preview is sized for pre-promotion
      // analysis first, then for the first step's share (soak seed 20261216: 1, 2, then 1 at step 1).
      const canary = c.bgs.get(w.by)?.status?.canary;
      const stepOf =
        canary && `${w.by}-${canary.color}` === w.name && canary.revision === revisionLabel(d)
          ? ` (canary step ${canary.currentStepIndex})`
          : '';
      const replicasKey = `Deployment ${w.name} replicas at ${revisionLabel(d)}${stepOf}`;
      // Routed (docs/adr/0017), the steps resize the canary while the route weighs it.
      const stepping = selectsBoth(c.services.get(activeName(this.cfg))) || this.#routeShare > 0;
      if (stepping) this.#window.delete(replicasKey);
      this.#noFlap(replicasKey, String(d.spec?.replicas));
      // The template of the colour that serves traffic is never rewritten to another revision;
      // with the active Service gone, the colour status last recorded as active is still "live".
      const active = c.services.get(activeName(this.cfg));
      const recorded = c.bgs.get(w.by)?.status?.activeColor;
      const liveColor = active ? (ownerOf(active) === w.by ? colorOf(active) : undefined) : recorded;
      // During a canary step both colours serve traffic.
      const both = active !== undefined && ownerOf(active) === w.by && selectsBoth(active);
      const live = (name: string) => both || (liveColor !== undefined && name === `${w.by}-${liveColor}`);
      const before: V1Deployment | undefined = w.before;
      if (both && before && (before.spec?.replicas ?? 0) > 0 && (d.spec?.replicas ?? 0) === 0) {
        this.#fail(`scaled ${w.name} to 0 while ${activeName(this.cfg)} still selects both colours`);
      }
      // The colour an HTTPRoute weighs serves traffic too: never scaled to 0, never rewritten.
      const routed = this.#routedDeployment(w.by) === w.name;
      if (routed && before && (before.spec?.replicas ?? 0) > 0 && (d.spec?.replicas ?? 0) === 0)
        this.#fail(`scaled ${w.name} to 0 while HTTPRoute ${ROUTE} sends it ${this.#routeShare}%`);
      if (routed && before && revisionLabel(before) !== revisionLabel(d))
        this.#fail(
          `rewrote ${w.name} from ${revisionLabel(before)} to ${revisionLabel(d)} while HTTPRoute ${ROUTE} sends it ${this.#routeShare}%`,
        );
      if (before && live(w.name) && revisionLabel(before) !== revisionLabel(d)) {
        this.#fail(
          `rewrote live ${w.name} from ${revisionLabel(before)} to ${revisionLabel(d)} while it served traffic`,
        );
      }
      // The previous colour is the instant rollback: never scaled down while the live one is short of ready pods.
      if (w.by === MAIN && liveColor && before && w.name !== `${MAIN}-${liveColor}`) {
        const wanted = this.seen(MAIN)?.spec.replicas ?? 1;
        const live = c.deployments.get(`${MAIN}-${liveColor}`);
        const liveReady = (c.pods.get(`${MAIN}-${liveColor}`) ?? []).filter(
          (p) => p.ready && p.revision === revisionLabel(live),
        ).length;
        const wasServing = (before.spec?.replicas ?? 0) > 0 && c.readyPods(w.name) > 0;
        if ((d.spec?.replicas ?? 0) === 0 && wasServing && liveReady < wanted) {
          this.#fail(`scaled ${w.name} to 0 while live ${liveColor} has ${liveReady}/${wanted} ready pods`);
        }
      }
    }
    if (w.kind === 'Service') {
      const from = colorOf(w.before);
      const to = colorOf(w.after);
      // One BlueGreenService never takes a Service another one serves.
      const owner = ownerOf(w.before);
      if (owner !== undefined && owner !== w.by) this.#fail(`${w.by} rewrote Service ${w.name} that ${owner} serves`);
      const isActive = w.name === activeName(this.cfg);
      // Per-colour headless Services carry no traffic; only the active and preview ones do.
      if (!isActive && w.name !== `${activeName(this.cfg)}-preview`) return;
      if (isActive && selectsBoth(w.after) && !selectsBoth(w.before)) this.#judgeWidening(w);
      // Routed, an abort moves no selector: the verdict newly written onto the Service is the record.
      const verdict = abortedOn(w.after);
      if (
        isActive &&
        this.cfg.canary?.gateway &&
        verdict === this.#template.revision &&
        abortedOn(w.before) !== verdict
      )
        this.#aborted.add(verdict);
      if (to === undefined || to === from) return;
      // The preview Service an HTTPRoute weighs moves only once the route gives it nothing, or onto the live colour.
      const liveNow = colorOf(c.services.get(activeName(this.cfg)));
      if (!isActive && this.#routeShare > 0 && to !== liveNow)
        this.#fail(`moved ${w.name} from ${from} to ${to} while HTTPRoute ${ROUTE} sends it ${this.#routeShare}%`);
      const dep = c.deployments.get(`${w.by}-${to}`);
      const revision = revisionLabel(dep);
      // A colour at another revision is another target: the operator may see a user's edits of
      // activeColor and the template in two passes (soak seed 20261215: preview green, back to
      // blue for the rollback it saw first, then green again for the release at a new revision).
      this.#noFlap(`Service ${w.name} colour`, `${to} at ${revision}`);
      const pods = c.pods.get(`${w.by}-${to}`) ?? [];
      const readyOfRevision = pods.filter((p) => p.ready && p.revision === revision).length;
      const stale = pods.filter((p) => p.revision !== revision).length;
      // Judged by the spec the operator could see (its cache lags the user's edit, by design).
      // Narrowing a canary step back onto the colour that stayed live needs one ready pod of its
      // revision (it served all along); any other switch needs the full size.
      const backToLive = isActive && selectsBoth(w.before) && this.#live.has(revision ?? '');
      const wanted = isActive && !backToLive ? (this.seen(w.by)?.spec.replicas ?? 1) : 1;
      if (readyOfRevision < wanted || stale > 0) {
        this.#fail(
          `switched ${w.name} to ${to} with ${readyOfRevision}/${wanted} ready pods of ${revision} (${stale} of another revision)`,
        );
      }
      if (w.by !== MAIN || !isActive || revision === undefined) return;
      const userPinned = this.seen(MAIN)?.spec.activeColor === to;
      // Leaving a canary step for one colour is a switch from the other one.
      const fromColor = from ?? (selectsBoth(w.before) ? other(to) : undefined);
      // Narrowing back to the stable colour's live revision (the template was reverted to it) is no promotion.
      const backToStable = selectsBoth(w.before) && this.#live.has(revision);
      // Back to the colour and revision live just before is a rollback, even when the template
      // was set back to that revision, and even onto pods re-created from its kept template
      // (soak seeds 20261212, 20261216, 20261218: a live colour deleted): no pre-promotion
      // answers needed (as Argo Rollouts' rollbackWindow), but never to an aborted revision.
      const before = this.#liveBefore;
      const rollback = before?.color === to && before.revision === revision;
      // A re-created active Service for the colour already live is no switch (seed 20261219).
      if (this.#liveNow?.color !== to || this.#liveNow.revision !== revision) {
        this.#liveBefore = this.#liveNow;
        this.#liveNow = { color: to, revision };
      }
      if (revision === this.#template.revision && !userPinned && !backToStable)
        this.#judgeAutoPromotion(to, revision, fromColor, rollback);
      if (fromColor !== undefined && !userPinned) {
        const fromRevision = revisionLabel(c.deployments.get(`${MAIN}-${fromColor}`));
        // Narrowing a canary step back is an abort only when it records the revision as aborted
        // (a newer template or a lost status narrows too, and may widen again for the same release).
        const recorded = !selectsBoth(w.before) || abortedOn(w.after) === fromRevision;
        if (fromRevision === this.#template.revision && revision !== this.#template.revision && recorded) {
          this.#aborted.add(fromRevision);
        }
      }
      // Only when something that was live is left to serve: with the live Service AND its
      // Deployment gone (and no other live revision running), a fresh first deploy is all there is.
      const liveLeft = [...c.deployments.values()].some(
        (dep) => dep.metadata?.name?.startsWith(`${MAIN}-`) && this.#live.has(revisionLabel(dep) ?? ''),
      );
      if (fromColor === undefined && liveLeft && !this.#live.has(revision) && !userPinned) {
        // Re-creating it for the template's revision is a promotion: it must have been earned.
        if (revision === this.#template.revision) this.#judgeAutoPromotion(to, revision, 'recreated');
        else this.#fail(`re-created ${w.name} pointing at ${to} (${revision}), a revision that was never promoted`);
      }
      this.#live.add(revision);
    }
  }

  /**
   * The active Service now selects both colours: every pod of both is ready and of its
   * Deployment's revision (kube-proxy would otherwise spread traffic over fewer pods than the
   * share promises, or an older template's), the release got there through its pre-promotion
   * analysis, and a revision recorded as aborted is never widened to again.
   */
  #judgeWidening(w: WriteRecord): void {
    const c = this.cluster;
    if (!this.cfg.canary) this.#fail(`${w.name} selects both colours without spec.canary`);
    for (const color of ['blue', 'green'] as const) {
      const dep = c.deployments.get(`${w.by}-${color}`);
      const pods = c.pods.get(`${w.by}-${color}`) ?? [];
      const fine = pods.filter((p) => p.ready && p.revision === revisionLabel(dep)).length;
      if (pods.length === 0 || fine !== pods.length || pods.length !== (dep?.spec?.replicas ?? 0)) {
        this.#fail(
          `widened ${w.name} to both colours with ${color} at ${fine} ready of ${pods.length} pods (Deployment wants ${dep?.spec?.replicas ?? 0})`,
        );
      }
    }
    const canary = (['blue', 'green'] as const).find(
      (color) => revisionLabel(c.deployments.get(`${w.by}-${color}`)) === this.#template.revision,
    );
    if (canary === undefined) return;
    if (abortedOn(w.after) === this.#template.revision || this.#aborted.has(this.#template.revision))
      this.#fail(`widened ${w.name} to ${canary} (${this.#template.revision}) after aborting that revision`);
    const pre = this.cfg.pre;
    if (!pre || this.seen(MAIN)?.spec.activeColor !== undefined) return;
    const good = this.#goodPreAnswers(canary, this.#template.revision);
    if (good < pre.count)
      this.#fail(`widened to ${canary} with ${good} good pre-promotion answers, count is ${pre.count}`);
  }

  /**
   * A write to the HTTPRoute (docs/adr/0017): no weight onto a colour without a ready pod; a raise
   * only onto a colour whose pods are all ready and of its revision, exactly as many as its
   * Deployment wants (as a widening), through the pre-promotion analysis, and never for a
   * revision already aborted; and no flapping.
   */
  #judgeRouteWrite(w: WriteRecord): void {
    const c = this.cluster;
    const before = canaryShareOf(w.before, this.#previewName());
    const after = canaryShareOf(w.after, this.#previewName());
    this.#routeShare = after;
    // Per pair of colours and canary revision, as Deployment replicas are: after the switch to
    // the canary colour the weight goes back to 0 by design (docs/adr/0017; soak seed 20261206:
    // 0 -> 75, switch, 0), and a newer template the operator saw late aborts the older canary
    // before its own first step (seed 20261207: 10, 0, then 10 for the new revision).
    const active = colorOf(c.services.get(activeName(this.cfg))) ?? 'no colour';
    const preview = colorOf(c.services.get(this.#previewName()));
    const canaryRevision = preview && revisionLabel(c.deployments.get(`${w.by}-${preview}`));
    this.#noFlap(
      `HTTPRoute ${w.name} (preview ${preview ?? 'no colour'} at ${canaryRevision}, active ${active}) canary weight`,
      String(after),
    );
    if (!this.cfg.canary?.gateway) this.#fail(`wrote HTTPRoute ${w.name} without spec.canary.trafficRouting`);
    if (after === 0) return;
    const color = colorOf(c.services.get(this.#previewName()));
    if (color === undefined) {
      this.#fail(`set ${after}% on ${this.#previewName()} while it selects no colour`);
      return;
    }
    const dep = c.deployments.get(`${w.by}-${color}`);
    const pods = c.pods.get(`${w.by}-${color}`) ?? [];
    const fine = pods.filter((p) => p.ready && p.revision === revisionLabel(dep)).length;
    if (fine === 0) this.#fail(`set ${after}% on ${color} with no ready pod of ${revisionLabel(dep)}`);
    if (after <= before) return;
    if (pods.length === 0 || fine !== pods.length || pods.length !== (dep?.spec?.replicas ?? 0))
      this.#fail(
        `raised HTTPRoute ${w.name} to ${after}% on ${color} at ${fine} ready of ${pods.length} pods (Deployment wants ${dep?.spec?.replicas ?? 0})`,
      );
    const revision = revisionLabel(dep);
    if (revision !== this.#template.revision) return;
    if (this.#aborted.has(revision) || abortedOn(c.services.get(activeName(this.cfg))) === revision)
      this.#fail(`raised HTTPRoute ${w.name} to ${color} (${revision}) after aborting that revision`);
    const pre = this.cfg.pre;
    if (!pre || this.seen(MAIN)?.spec.activeColor !== undefined) return;
    const good = this.#goodPreAnswers(color, revision);
    if (good < pre.count)
      this.#fail(`raised HTTPRoute to ${color} with ${good} good pre-promotion answers, count is ${pre.count}`);
  }

  /** The operator switched to the template's revision on its own: the analysis must have earned it. */
  #judgeAutoPromotion(to: Color, revision: string, from: Color | 'recreated' | undefined, rollback = false): void {
    if (from === undefined) return; // first deploy: nothing to promote from
    if (!this.cfg.auto && from === 'recreated') {
      this.#fail(
        `re-created the active Service for ${to} (${revision}) without auto-promotion or a user's activeColor`,
      );
    }
    if (this.#aborted.has(revision)) this.#fail(`auto-promoted ${revision} again after rolling it back`);
    const pre = this.cfg.pre;
    if (!pre || rollback) return;
    const good = this.#goodPreAnswers(to, revision);
    if (good < pre.count) {
      this.#fail(`auto-promoted ${to} (${revision}) with ${good} good pre-promotion answers, count is ${pre.count}`);
    }
  }

  /**
   * Good pre-promotion answers for the pods of `color` at `revision` that run now, measured
   * since those pods came up and since the operator last acted on a template of that revision.
   * (It used to count from the last template change the operator saw; but a change it never
   * acted on, its first write refused, leaves the measured release as it was, and its verdict
   * still holds: soak seed 20261214, second counterexample.)
   */
  #goodPreAnswers(color: Color, revision: string): number {
    const acted = this.#acted.revision === revision ? this.#acted.step : 0;
    const podsSince = Math.max(acted, this.#podsSince.get(`${MAIN}-${color}`) ?? 0);
    return this.cluster.answers.filter(
      (a) =>
        a.stage === 'pre' && a.color === color && a.revision === revision && a.step >= podsSince && a.answer === 'good',
    ).length;
  }

  #noFlap(field: string, value: string): void {
    const values = this.#window.get(field) ?? [];
    const last = values.at(-1);
    if (last !== undefined && last !== value && values.includes(value)) {
      this.#fail(`${field} went back to ${value} without a new input (${[...values, value].join(' -> ')})`);
    }
    if (last !== value) values.push(value);
    this.#window.set(field, values);
  }

  /** `reconciled`: the operator just had a whole turn (a stable colour that got ready since is its to use). */
  #judgeState(reconciled: boolean): void {
    // An abort lowers the route's weight before its status is written: an aborted canary of the
    // template's revision in status with the route still weighing the preview is weight left behind.
    const recorded = this.cluster.bgs.get(MAIN)?.status?.canary;
    const share = canaryShareOf(this.cluster.routes.get(ROUTE), this.#previewName());
    if (recorded?.aborted && recorded.revision === this.#template.revision && share > 0)
      this.#fail(
        `canary of ${recorded.revision} recorded aborted while HTTPRoute ${ROUTE} sends the preview ${share}%`,
      );
    const active = this.cluster.services.get(activeName(this.cfg));
    if (!active || !selectsBoth(active)) return;
    if (!this.cfg.canary) this.#fail(`Service ${activeName(this.cfg)} selects no colour`);
    // Judged once the operator had a turn: its stable colour may get ready between two passes
    // (soak seed 20261218: an abort kept both colours while blue had no ready pod, then blue got
    // ready in a step without a reconcile).
    if (!reconciled) return;
    // An abort narrows the Service before its status is written: an aborted canary recorded in
    // status while the Service still selects both colours is a mixed selector left behind.
    const status = this.cluster.bgs.get(ownerOf(active)!)?.status;
    // ...unless the stable colour has no ready pod to take the traffic back (kept on both then).
    const stable = status?.activeColor;
    // Ready as a controller can tell: its Deployment controller caught up with the last scale or
    // template write (seed 20261219: the live colour scaled to 0 by hand and back by the operator).
    const stableDeployment = stable && this.cluster.deployments.get(`${ownerOf(active)}-${stable}`);
    const observed =
      stableDeployment !== undefined &&
      (stableDeployment.status?.observedGeneration ?? 0) >= (stableDeployment.metadata?.generation ?? 0);
    const stableReady = stable && observed ? this.cluster.readyPods(`${ownerOf(active)}-${stable}`) : 0;
    if (status?.canary?.aborted && status.canary.revision === this.#template.revision && stableReady > 0)
      this.#fail(
        `canary of ${status.canary.revision} recorded aborted while ${activeName(this.cfg)} selects both colours`,
      );
    if (abortedOn(active) !== undefined && abortedOn(active) === this.#template.revision && stableReady > 0)
      this.#fail(`${activeName(this.cfg)} selects both colours and records ${abortedOn(active)} as aborted`);
  }
}
