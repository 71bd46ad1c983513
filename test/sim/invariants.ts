// The safety invariants, judged on the truth (SimCluster) after every simulated step. Each
// returns a sentence naming what went wrong; the property fails on the first one.
import type { V1Deployment, V1Service } from '@kubernetes/client-node';
import { LABELS, type Color } from '../../operator/src/api/constants.ts';
import { revisionOf } from '../../operator/src/api/revision.ts';
import type { BlueGreenService } from '../../operator/src/api/types.ts';
import type { SimCluster, WriteRecord } from './cluster.ts';
import { type Command, type Config, isInput, MAIN, activeName } from './scenario.ts';

const colorOf = (svc: unknown) => (svc as V1Service | undefined)?.spec?.selector?.[LABELS.color] as Color | undefined;
const ownerOf = (svc: unknown) => (svc as V1Service | undefined)?.spec?.selector?.[LABELS.service];
const revisionLabel = (d: V1Deployment | undefined) => d?.metadata?.labels?.[LABELS.revision];

export class Invariants {
  #seen = 0;
  #answersSeen = 0;
  /** Values each field took since the last input, for flapping. */
  #window = new Map<string, string[]>();
  /** The template's revision and the step it was set (analysis must be since then). */
  #template: { revision: string; step: number };
  /** Revisions rolled back automatically while still the template: never auto-promote them again. */
  #aborted = new Set<string>();
  /** Revisions that were ever live, so a re-created active Service may point at them. */
  #live = new Set<string>();
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
    if (isInput(c) || answers.some((a) => a.answer !== 'good')) this.#window.clear();
    const desired = this.#desired();
    if (desired !== this.#template.revision) {
      this.#template = { revision: desired, step: this.cluster.step };
      this.#aborted.clear();
    }
    const writes = this.cluster.writes.slice(this.#seen);
    this.#seen = this.cluster.writes.length;
    for (const w of writes) this.#judgeWrite(w);
    this.#judgeState();
  }

  #judgeWrite(w: WriteRecord): void {
    const c = this.cluster;
    if (w.kind === 'Deployment') {
      const d = w.after as V1Deployment;
      // Per revision: a colour given a new template (the operator saw a new spec, which may be
      // several steps after the user's edit) starts a new story (soak seed 20261203, 92,214 steps).
      this.#noFlap(`Deployment ${w.name} replicas at ${revisionLabel(d)}`, String(d.spec?.replicas));
      // The template of the colour that serves traffic is never rewritten to another revision;
      // with the active Service gone, the colour status last recorded as active is still "live".
      const active = c.services.get(activeName(this.cfg));
      const recorded = c.bgs.get(w.by)?.status?.activeColor;
      const liveColor = active ? (ownerOf(active) === w.by ? colorOf(active) : undefined) : recorded;
      const before: V1Deployment | undefined = w.before;
      if (before && liveColor && w.name === `${w.by}-${liveColor}` && revisionLabel(before) !== revisionLabel(d)) {
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
      if (to === undefined || to === from) return;
      this.#noFlap(`Service ${w.name} colour`, to);
      const dep = c.deployments.get(`${w.by}-${to}`);
      const revision = revisionLabel(dep);
      const pods = c.pods.get(`${w.by}-${to}`) ?? [];
      const readyOfRevision = pods.filter((p) => p.ready && p.revision === revision).length;
      const stale = pods.filter((p) => p.revision !== revision).length;
      // Judged by the spec the operator could see (its cache lags the user's edit, by design).
      const wanted = isActive ? (this.seen(w.by)?.spec.replicas ?? 1) : 1;
      if (readyOfRevision < wanted || stale > 0) {
        this.#fail(
          `switched ${w.name} to ${to} with ${readyOfRevision}/${wanted} ready pods of ${revision} (${stale} of another revision)`,
        );
      }
      if (w.by !== MAIN || !isActive || revision === undefined) return;
      const userPinned = this.seen(MAIN)?.spec.activeColor === to;
      if (revision === this.#template.revision && !userPinned) this.#judgeAutoPromotion(to, revision, from);
      if (from !== undefined && !userPinned) {
        const fromRevision = revisionLabel(c.deployments.get(`${MAIN}-${from}`));
        if (fromRevision === this.#template.revision && revision !== this.#template.revision) {
          this.#aborted.add(fromRevision);
        }
      }
      // Only when something that was live is left to serve: with the live Service AND its
      // Deployment gone (and no other live revision running), a fresh first deploy is all there is.
      const liveLeft = [...c.deployments.values()].some(
        (dep) => dep.metadata?.name?.startsWith(`${MAIN}-`) && this.#live.has(revisionLabel(dep) ?? ''),
      );
      if (from === undefined && liveLeft && !this.#live.has(revision) && !userPinned) {
        // Re-creating it for the template's revision is a promotion: it must have been earned.
        if (revision === this.#template.revision) this.#judgeAutoPromotion(to, revision, 'recreated');
        else this.#fail(`re-created ${w.name} pointing at ${to} (${revision}), a revision that was never promoted`);
      }
      this.#live.add(revision);
    }
  }

  /** The operator switched to the template's revision on its own: the analysis must have earned it. */
  #judgeAutoPromotion(to: Color, revision: string, from: Color | 'recreated' | undefined): void {
    if (from === undefined) return; // first deploy: nothing to promote from
    if (!this.cfg.auto && from === 'recreated') {
      this.#fail(
        `re-created the active Service for ${to} (${revision}) without auto-promotion or a user's activeColor`,
      );
    }
    if (this.#aborted.has(revision)) this.#fail(`auto-promoted ${revision} again after rolling it back`);
    const pre = this.cfg.pre;
    if (!pre) return;
    const good = this.cluster.answers.filter(
      (a) =>
        a.stage === 'pre' &&
        a.color === to &&
        a.revision === revision &&
        a.step >= this.#template.step &&
        a.answer === 'good',
    ).length;
    if (good < pre.count) {
      this.#fail(`auto-promoted ${to} (${revision}) with ${good} good pre-promotion answers, count is ${pre.count}`);
    }
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

  #judgeState(): void {
    const active = this.cluster.services.get(activeName(this.cfg));
    if (active && ownerOf(active) !== undefined && colorOf(active) === undefined) {
      this.#fail(`Service ${activeName(this.cfg)} selects no colour`);
    }
  }
}
