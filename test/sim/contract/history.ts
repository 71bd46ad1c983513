// What happened so far, as a user could write it down from outside: which revisions served
// traffic and in which order, which ones lost their traffic on a verdict (an abort), when the
// user last set the template, and since when each colour's pods run. The contract oracle keeps
// it; the operator's records (status, the Service annotation) only ever add to it.
import type { Color } from '../../../operator/src/api/constants.ts';

export interface Live {
  color: Color;
  revision: string;
}

export class History {
  /** Every colour and revision the active Service selected alone, in order (repeats collapsed). */
  readonly lives: Live[] = [];
  /** Revisions aborted since the user last set the template: not released again automatically. */
  readonly abortedThisTemplate = new Set<string>();
  /**
   * Revisions that lost their traffic on a verdict (or whose abort the operator recorded) and have
   * not been promoted since: never a rollback target, whatever the template says now.
   */
  readonly failed = new Set<string>();
  /** The template revision the operator last read, and the step from which it read it. */
  template = { revision: '', since: 0 };
  /** Per Deployment: the step its pods of the current revision (re)appeared. */
  readonly podsSince = new Map<string, { revision: string | undefined; since: number }>();

  get live(): Live | undefined {
    return this.lives.at(-1);
  }

  /** The colour and revision live just before the current one: the rollback target. */
  get previous(): Live | undefined {
    return this.lives.at(-2);
  }

  /** Relaxation R5: nothing readable records what served (no active Service, no status): a first deploy comes next. */
  forgetLives(): void {
    if (this.live) this.lastServed = this.live;
    this.lives.length = 0;
  }

  /** What served last before the lives were forgotten (R5): restoring it is no move. */
  lastServed: Live | undefined;

  wentLive(l: Live): void {
    const last = this.live;
    if (last?.color === l.color && last.revision === l.revision) return;
    this.lives.push(l);
  }

  templateSeen(revision: string, step: number): void {
    if (revision === this.template.revision) return;
    this.template = { revision, since: step };
    this.abortedThisTemplate.clear();
  }

  aborted(revision: string): void {
    this.failed.add(revision);
    if (revision === this.template.revision) this.abortedThisTemplate.add(revision);
  }

  /** Analysis counts from the later of: the pods came up, the user set this template. */
  measuredSince(deployment: string): number {
    return Math.max(this.podsSince.get(deployment)?.since ?? 0, this.template.since);
  }

  /** Pods of a revision that were not there before start a new story (a verdict belongs to the pods it measured). */
  podsObserved(deployment: string, revision: string | undefined, podsOfRevision: number, step: number): void {
    const known = this.podsSince.get(deployment);
    if (!known || known.revision !== revision || podsOfRevision === 0)
      this.podsSince.set(deployment, { revision, since: step });
  }
}
