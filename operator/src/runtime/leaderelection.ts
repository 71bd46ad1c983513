// Leader election on a coordination.k8s.io/v1 Lease with client-go's semantics:
//  - a candidate takes the Lease when it is absent, has no holder, or its record has not
//    changed for leaseDurationSeconds as measured on OUR clock since we last saw it change
//    (never by comparing the holder's renewTime with our clock: clocks may be skewed);
//  - writes use optimistic concurrency (resourceVersion); a 409 means another candidate won;
//  - the leader renews every retryPeriod and stops leading (aborts the signal handed to
//    onStartedLeading) once renewals have failed for renewDeadline, which is shorter than
//    leaseDuration so it stops writing before anyone else may take over;
//  - release() hands over at once: holder cleared, leaseDurationSeconds 1.

import type { V1Lease } from '@kubernetes/client-node';
// By path, not from the root: the root re-exports the whole generated API (bench/README.md).
import { V1MicroTime } from '@kubernetes/client-node/dist/types.js';
import { realClock, sleep, timeoutSignal, type Clock } from './clock.ts';
import { silentLogger, type Logger } from './logger.ts';
import type { LeaseClient } from './leaseclient.ts';

export { kubeLeaseClient, type LeaseClient } from './leaseclient.ts';

export interface LeaderElectorOptions {
  lease: { namespace: string; name: string };
  identity: string;
  client: LeaseClient;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
  clock?: Clock;
  logger?: Logger;
  /** Source of jitter for acquire retries, [0, 1); default Math.random. */
  random?: () => number;
}

export interface LeaderCallbacks {
  /** Called once leadership is acquired; signal aborts when leadership is lost or released. */
  onStartedLeading(signal: AbortSignal): void;
  /** Called once after leading ends; awaited before a release() writes the Lease. */
  onStoppedLeading(): void | Promise<void>;
}

export class LeaderElector {
  readonly #opts: Required<Omit<LeaderElectorOptions, 'logger'>> & { logger: Logger };
  readonly #stop = new AbortController();
  #observed: V1Lease | undefined;
  #observedAt = 0;
  #leading: AbortController | undefined;
  #callbacks: LeaderCallbacks | undefined;
  #stopped: Promise<void> | undefined;
  #running = false;

  constructor(options: LeaderElectorOptions) {
    const opts = {
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2_000,
      clock: realClock,
      logger: silentLogger,
      random: Math.random,
      ...options,
    };
    if (!opts.identity) throw new Error('leader election: identity is required');
    if (!opts.lease.namespace || !opts.lease.name)
      throw new Error('leader election: lease.namespace and lease.name are required');
    if (!(opts.leaseDurationMs > opts.renewDeadlineMs))
      throw new Error('leader election: leaseDurationMs must be greater than renewDeadlineMs');
    if (!(opts.renewDeadlineMs > opts.retryPeriodMs * 1.2))
      throw new Error('leader election: renewDeadlineMs must be greater than 1.2 * retryPeriodMs');
    if (!(opts.retryPeriodMs > 0)) throw new Error('leader election: retryPeriodMs must be positive');
    this.#opts = {
      ...opts,
      logger: opts.logger.child({ lease: `${opts.lease.namespace}/${opts.lease.name}`, identity: opts.identity }),
    };
  }

  isLeader(): boolean {
    return this.#leading !== undefined && !this.#leading.signal.aborted;
  }

  /**
   * Campaigns until leadership is acquired, then renews until it is lost or released.
   * Resolves when leading has ended, after onStoppedLeading has completed (or at once when
   * release() was called). It may be called again afterwards to campaign again (keeping warm
   * caches); calls must not overlap.
   */
  async run(callbacks: LeaderCallbacks): Promise<void> {
    if (this.#running) throw new Error('leader election: run() is already running');
    this.#running = true;
    try {
      await this.#run(callbacks);
    } finally {
      this.#running = false;
    }
  }

  async #run(callbacks: LeaderCallbacks): Promise<void> {
    this.#callbacks = callbacks;
    this.#leading = undefined;
    this.#stopped = undefined;
    const { clock, retryPeriodMs, renewDeadlineMs, logger } = this.#opts;
    while (!this.#stop.signal.aborted) {
      if (await this.#tryAcquireOrRenew(renewDeadlineMs)) break;
      // Jitter (factor 1.2 like client-go) spreads candidates that started together.
      await sleep(clock, retryPeriodMs * (1 + 1.2 * this.#opts.random()), this.#stop.signal);
    }
    if (this.#stop.signal.aborted) return;

    const leading = new AbortController();
    this.#leading = leading;
    logger.info('became leader');
    try {
      callbacks.onStartedLeading(leading.signal);
    } catch (err) {
      // Leading without running controllers would block every other replica: give it up.
      logger.error('onStartedLeading threw', { err });
      this.#stopLeading('onStartedLeading threw');
    }

    let lastRenew = clock.now();
    while (!leading.signal.aborted) {
      await sleep(clock, retryPeriodMs, leading.signal);
      if (leading.signal.aborted) break;
      const remaining = lastRenew + renewDeadlineMs - clock.now();
      const renewed = remaining > 0 && (await this.#tryAcquireOrRenew(remaining));
      if (leading.signal.aborted) break;
      if (renewed) {
        lastRenew = clock.now();
      } else if (this.#heldByOther()) {
        this.#stopLeading('lease taken by another holder');
      } else if (clock.now() - lastRenew >= renewDeadlineMs) {
        this.#stopLeading('failed to renew lease within renewDeadline');
      }
    }
    // Read through a method: TypeScript narrowed the field to undefined above and cannot see
    // that #stopLeading set it meanwhile.
    await this.#whenStopped();
  }

  #whenStopped(): Promise<void> {
    return this.#stopped ?? Promise.resolve();
  }

  /**
   * Gives up leadership (call on SIGTERM): stops leading, awaits onStoppedLeading (so work
   * in flight can finish before anyone else starts), then clears the holder so a successor
   * acquires on its next retry instead of waiting for the lease to expire.
   */
  async release(): Promise<void> {
    this.#stop.abort();
    if (!this.#leading) return;
    const wasLeading = this.isLeader();
    this.#stopLeading('released');
    await this.#stopped;
    const lease = this.#observed;
    if (!wasLeading || !lease?.spec || lease.spec.holderIdentity !== this.#opts.identity) return;
    const now = new V1MicroTime(this.#opts.clock.now());
    const released: V1Lease = {
      ...lease,
      spec: { ...lease.spec, holderIdentity: '', leaseDurationSeconds: 1, acquireTime: now, renewTime: now },
    };
    const { signal, cancel } = timeoutSignal(this.#opts.clock, this.#opts.renewDeadlineMs);
    try {
      this.#observed = await this.#opts.client.replace(released, signal);
      this.#opts.logger.info('released lease');
    } catch (err) {
      // Not fatal: the successor takes over once the lease expires.
      this.#opts.logger.warn('failed to release lease', { err });
    } finally {
      cancel();
    }
  }

  #stopLeading(reason: string): void {
    const leading = this.#leading;
    if (!leading || leading.signal.aborted) return;
    if (reason === 'released') this.#opts.logger.info('stopped leading', { reason });
    else this.#opts.logger.warn('stopped leading', { reason });
    leading.abort(new DOMException(`leadership lost: ${reason}`, 'AbortError'));
    this.#stopped = Promise.resolve()
      .then(() => this.#callbacks?.onStoppedLeading())
      .catch((err: unknown) => this.#opts.logger.error('onStoppedLeading failed', { err }));
  }

  #heldByOther(): boolean {
    const holder = this.#observed?.spec?.holderIdentity;
    return !!holder && holder !== this.#opts.identity;
  }

  async #tryAcquireOrRenew(timeoutMs: number): Promise<boolean> {
    const { client, clock, identity, lease: ref, logger } = this.#opts;
    const { signal, cancel } = timeoutSignal(clock, timeoutMs, this.#stop.signal);
    try {
      const current = await client.get(ref.namespace, ref.name, signal);
      const now = clock.now();
      if (!current) {
        const created = await client.create(this.#record(undefined, now), signal);
        this.#observe(created, clock.now());
        return true;
      }
      if (recordChanged(this.#observed, current)) this.#observe(current, now);
      const spec = current.spec ?? {};
      const leaseMs = (spec.leaseDurationSeconds ?? 0) * 1000;
      if (spec.holderIdentity && spec.holderIdentity !== identity && this.#observedAt + leaseMs > now) {
        return false; // held by someone else and not expired
      }
      const updated = await client.replace(this.#record(current, now), signal);
      this.#observe(updated, clock.now());
      return true;
    } catch (err) {
      // 409 = lost a race with another candidate; anything else is logged and retried.
      logger.debug('acquire/renew attempt failed', { err });
      return false;
    } finally {
      cancel();
    }
  }

  #record(current: V1Lease | undefined, now: number): V1Lease {
    const { identity, lease: ref, leaseDurationMs } = this.#opts;
    const spec = current?.spec ?? {};
    const time = new V1MicroTime(now);
    const renewing = spec.holderIdentity === identity;
    return {
      apiVersion: 'coordination.k8s.io/v1',
      kind: 'Lease',
      metadata: { ...current?.metadata, namespace: ref.namespace, name: ref.name },
      spec: {
        ...spec,
        holderIdentity: identity,
        leaseDurationSeconds: Math.ceil(leaseDurationMs / 1000),
        renewTime: time,
        acquireTime: renewing && spec.acquireTime ? spec.acquireTime : time,
        leaseTransitions: renewing ? (spec.leaseTransitions ?? 0) : (spec.leaseTransitions ?? -1) + 1,
      },
    };
  }

  #observe(lease: V1Lease, at: number): void {
    this.#observed = lease;
    this.#observedAt = at;
  }
}

// A lease "changes" when any write happened; resourceVersion captures every write.
function recordChanged(previous: V1Lease | undefined, current: V1Lease): boolean {
  return previous?.metadata?.resourceVersion !== current.metadata?.resourceVersion;
}
