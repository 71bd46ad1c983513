// Notifications through the real Reconciler and planner, in the simulation's cluster model, with
// real HTTP to local receivers (127.0.0.1, port 0) and the outbox on a FakeClock. What a person
// is told, in order; nothing on a resync; nothing lost across crashes; and a receiver that is
// down changes nothing about the release.
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Crash, SimCluster } from '../../../test/sim/cluster.ts';
import { simBgs, type Config } from '../../../test/sim/scenario.ts';
import { NotifyingOperator } from '../../testing/notifying-operator.ts';
import { downUrl, Receiver } from '../../testing/receiver.ts';
import type { Color } from '../api/constants.ts';
import type { BlueGreenService } from '../api/types.ts';
import { createLogger } from '../runtime/logger.ts';
import type { NotificationSettings } from './notifications.ts';

const manual: Config = {
  steady: false,
  replicas: 2,
  previewReplicas: undefined,
  auto: false,
  pre: undefined,
  post: undefined,
  scaleDownDelaySeconds: 300,
  progressDeadlineSeconds: 600,
  rival: false,
  canary: undefined,
};

let dir: string;
let audit: Receiver;
beforeEach(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'notify-rec-'));
  audit = await Receiver.start();
});
afterEach(async () => {
  await audit.close();
  rmSync(dir, { recursive: true, force: true });
});

function secret(provider: string, keys: Record<string, string>): void {
  mkdirSync(path.join(dir, provider), { recursive: true });
  for (const [k, v] of Object.entries(keys)) writeFileSync(path.join(dir, provider, k), v);
}

/** audit: a webhook that answers; down: a webhook nobody listens on. Both are cluster defaults. */
async function settings(): Promise<NotificationSettings> {
  secret('audit', { url: audit.url('/audit'), hmacKey: 'k' });
  secret('down', { url: await downUrl('/down') });
  return {
    providers: [
      { name: 'audit', type: 'webhook' },
      { name: 'down', type: 'webhook' },
    ],
    defaultProviders: ['audit', 'down'],
    secretsDir: dir,
    timeoutMs: 2_000,
    retryForMs: 3_600_000,
    capacity: 100,
    concurrency: 4,
  };
}

function put(cluster: SimCluster, cfg: Config, image: string, activeColor?: Color): void {
  cluster.putBgs(simBgs('shop', cfg, { image, activeColor, replicas: 2 }));
}

const events = (r: Receiver) => r.bodies<{ event: string }>().map((b) => b.event);
const stored = (cluster: SimCluster): BlueGreenService => cluster.bgs.get('shop')!;

/** A release of v2 awaiting promotion, promoted by hand, then rolled back by hand. */
async function manualRelease(cluster: SimCluster, op: NotifyingOperator): Promise<void> {
  put(cluster, manual, 'app:v1');
  await op.run('shop', 6);
  put(cluster, manual, 'app:v2');
  await op.run('shop', 6);
  put(cluster, manual, 'app:v2', 'green');
  await op.run('shop', 6);
  put(cluster, manual, 'app:v2', 'blue');
  await op.run('shop', 6);
}

describe('Given notifications to a receiver that answers and one that is down', () => {
  it('When a release awaits promotion, is promoted and rolled back by hand, Then the receiver gets exactly that story, in order', async () => {
    const cluster = new SimCluster();
    const op = new NotifyingOperator(cluster, await settings());
    await manualRelease(cluster, op);
    expect(events(audit)).toEqual(['ReleaseStarted', 'PreviewReady', 'AwaitingPromotion', 'Promoted', 'RolledBack']);
    const bodies = audit.bodies<{ idempotencyKey: string; promoteCommand?: string; reason?: string }>();
    expect(new Set(bodies.map((b) => b.idempotencyKey)).size).toBe(5);
    expect(bodies[2]!.promoteCommand).toBe(
      `kubectl patch bgs shop -n sim --type merge -p '{"spec":{"activeColor":"green"}}'`,
    );
    expect(bodies[4]!.reason).toBe('ManualRollback');
    // What the receiver that answers has is gone from status; the down one's stay pending.
    const pending = stored(cluster).status!.notifications!.pending;
    expect(pending.map((p) => [p.event, p.providers])).toEqual(events(audit).map((e) => [e, ['down']]));
  });

  it('When nothing happens (resyncs), Then nothing is sent and nothing is written', async () => {
    const cluster = new SimCluster();
    const op = new NotifyingOperator(cluster, await settings());
    await manualRelease(cluster, op);
    const [sent, writes] = [audit.received.length, cluster.writes.length];
    await op.run('shop', 5, 1_000);
    expect(audit.received.length).toBe(sent);
    expect(cluster.writes.length).toBe(writes);
  });

  it('Then the release makes exactly the writes it makes without notifications (the down receiver changes nothing)', async () => {
    const project = (c: SimCluster) =>
      c.writes
        .filter((w) => w.kind !== 'BlueGreenService')
        .map((w) => [w.kind, w.name, JSON.stringify((w.after as { spec?: unknown }).spec)]);
    const withNotes = new SimCluster();
    await manualRelease(withNotes, new NotifyingOperator(withNotes, await settings()));
    const without = new SimCluster();
    await manualRelease(without, new NotifyingOperator(without, undefined));
    expect(project(withNotes)).toEqual(project(without));
    expect(stored(withNotes).status!.phase).toBe(stored(without).status!.phase);
    expect(stored(without).status!.notifications).toBeUndefined();
  });
});

describe('Given an automatic release whose post-promotion analysis fails', () => {
  it('Then the round, the promotion and the automatic rollback are told, and Degraded is not told twice', async () => {
    const cluster = new SimCluster();
    const op = new NotifyingOperator(cluster, await settings());
    const cfg: Config = { ...manual, auto: true, post: { count: 2, failureLimit: 0, inconclusiveLimit: 0 } };
    put(cluster, cfg, 'app:v1');
    await op.run('shop', 8);
    cluster.prometheus.green = 'bad';
    put(cluster, cfg, 'app:v2');
    await op.run('shop', 8);
    expect(events(audit)).toEqual(['ReleaseStarted', 'PreviewReady', 'Promoted', 'AnalysisRoundFailed', 'RolledBack']);
    const round = audit.bodies<{ analysis: { verdict: string; stage: string } }>()[3]!;
    expect(round.analysis).toMatchObject({ stage: 'PostPromotion', verdict: 'Failed' });
    expect(stored(cluster).status!.activeColor).toBe('blue');
  });
});

describe('Given the operator crashes around a status write that carries a notification', () => {
  async function awaitingRelease(crash: 'before' | 'after' | 'afterDelivery') {
    const cluster = new SimCluster();
    const op = new NotifyingOperator(cluster, await settings());
    put(cluster, manual, 'app:v1');
    await op.run('shop', 6);
    const applyStatus = cluster.applyStatus.bind(cluster);
    let armed = crash !== 'afterDelivery';
    cluster.applyStatus = async (b, s) => {
      const fire = armed && (s.notifications?.pending.length ?? 0) > 0;
      if (fire && crash === 'before') {
        armed = false;
        throw new Crash('crash before the status write');
      }
      const out = await applyStatus(b, s);
      if (fire) {
        armed = false;
        throw new Crash('crash after the status write');
      }
      return out;
    };
    put(cluster, manual, 'app:v2');
    op.syncAll();
    await op.reconcile('shop');
    if (crash === 'afterDelivery') {
      await op.settle(); // delivered, but the acknowledgement never reaches status
      op.restart();
    }
    await op.run('shop', 6);
    return { cluster, op };
  }

  it('When it dies before the write, Then nothing was sent for the lost transition, and its notification comes once it is stored', async () => {
    const { cluster, op } = await awaitingRelease('before');
    expect(op.crashes).toBe(1);
    expect(events(audit)).toEqual(['ReleaseStarted', 'PreviewReady', 'AwaitingPromotion']);
    expect(stored(cluster).status!.phase).toBe('AwaitingPromotion');
  });

  it('When it dies after the write, before handing it to delivery, Then the next process finds it in status and sends it once', async () => {
    const { op } = await awaitingRelease('after');
    expect(op.crashes).toBe(1);
    expect(events(audit)).toEqual(['ReleaseStarted', 'PreviewReady', 'AwaitingPromotion']);
  });

  it('When it dies after delivering, before the acknowledgement is written, Then it is sent again with the same idempotency key (at least once)', async () => {
    await awaitingRelease('afterDelivery');
    const keys = audit.bodies<{ event: string; idempotencyKey: string }>();
    expect(keys.map((k) => k.event)).toEqual(['ReleaseStarted', 'ReleaseStarted', 'PreviewReady', 'AwaitingPromotion']);
    expect(keys[0]!.idempotencyKey).toBe(keys[1]!.idempotencyKey);
  });
});

describe('Given providers whose URL and key are secrets, one failing and one down', () => {
  it('Then no log line, Event, status or metric holds the URL, its token or the key, and the failing provider is reported', async () => {
    const failing = await Receiver.start();
    failing.otherwise = 500; // its error page echoes the path, token included
    secret('slack', { url: failing.url('/services/T0/B0/SLACKTOKEN123') });
    secret('down', { url: await downUrl('/DOWNTOKEN789'), hmacKey: 'HMACKEY456' });
    const lines: string[] = [];
    const logger = createLogger({}, { level: 'debug', write: (l) => lines.push(l) });
    const cluster = new SimCluster();
    const op = new NotifyingOperator(
      cluster,
      {
        providers: [
          { name: 'slack', type: 'slack' },
          { name: 'down', type: 'webhook' },
        ],
        defaultProviders: ['slack', 'down'],
        secretsDir: dir,
        timeoutMs: 2_000,
        retryForMs: 3_600_000,
        capacity: 100,
        concurrency: 4,
      },
      logger,
    );
    put(cluster, manual, 'app:v1');
    await op.run('shop', 6);
    put(cluster, manual, 'app:v2');
    await op.run('shop', 12);
    await failing.close();
    expect(stored(cluster).status!.phase).toBe('AwaitingPromotion');
    expect(failing.received.length).toBeGreaterThan(3);
    const told = cluster.events.filter((e) => e.reason === 'NotificationFailing');
    expect(told.map((e) => e.message.split(' keeps')[0])).toEqual([
      'notification provider slack',
      'notification provider down',
    ]);
    const metrics = await op.registry.metrics();
    expect(metrics).toContain('bluegreen_notification_provider_failing{provider="slack"} 1');
    expect(metrics).toMatch(/bluegreen_notification_attempts_total\{provider="down",result="failed"\} [1-9]/);
    const everything = [
      ...lines,
      ...cluster.events.map((e) => e.message),
      JSON.stringify(stored(cluster)),
      metrics,
    ].join('\n');
    for (const secretText of ['SLACKTOKEN123', 'DOWNTOKEN789', 'HMACKEY456', '/services/T0/B0'])
      expect(everything).not.toContain(secretText);
    expect(lines.some((l) => l.includes('notification attempt failed'))).toBe(true);
  });
});
