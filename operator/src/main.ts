// Entry point: read config, connect (in-cluster ServiceAccount or KUBECONFIG), fill caches,
// serve health and metrics, and reconcile while holding the leader Lease. SIGTERM releases
// the Lease so a standby takes over at once instead of after the lease duration.
import { hostname } from 'node:os';
import { Registry, collectDefaultMetrics } from 'prom-client';
import { ConfigError, loadConfig } from './config.ts';
import { Controller } from './controller/controller.ts';
import { OUTBOX_CAPACITY, OUTBOX_CONCURRENCY } from './controller/notifications.ts';
import { createConnection } from './runtime/connection.ts';
import { defaultConnectionSettings } from './runtime/defaultconnection.ts';
import { operatorMetrics } from './metrics/operator-metrics.ts';
import { LeaderElector } from './runtime/leaderelection.ts';
import { kubeLeaseClient } from './runtime/leaseclient.ts';
import { createLogger } from './runtime/logger.ts';
import { startHttpServer } from './server/http.ts';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig(process.env, process.argv.slice(2), hostname());
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`bluegreen-operator: ${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(
    { component: 'bluegreen-operator', identity: config.identity },
    { level: config.logLevel },
  );
  // Our own kubeconfig / service-account reader, not client-node's KubeConfig (ADR 0018): what
  // it cannot honour (exec plugins, auth providers, proxies...) stops the start here, by name.
  let conn, source;
  try {
    const found = defaultConnectionSettings();
    source = found.source;
    conn = createConnection(found.settings);
  } catch (err) {
    process.stderr.write(`bluegreen-operator: ${(err as Error).message}\n`);
    process.exit(2);
  }
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const controller = new Controller({
    conn,
    namespace: config.namespace,
    workers: config.workers,
    resyncMs: config.resyncSeconds * 1000,
    reconcileTimeoutMs: config.reconcileTimeoutSeconds * 1000,
    identity: config.identity,
    registry,
    metrics: operatorMetrics(registry),
    logger,
    notifications: { ...config.notifications, capacity: OUTBOX_CAPACITY, concurrency: OUTBOX_CONCURRENCY },
  });
  const server = await startHttpServer(config.port, { ready: () => controller.synced(), registry });
  logger.info('starting', {
    namespace: config.namespace ?? '(all)',
    apiServer: conn.server,
    credentials: source,
    workers: config.workers,
    port: config.port,
    leaderElection: config.leaderElection,
    notificationProviders: config.notifications.providers.map((p) => `${p.name} (${p.type})`),
  });
  await controller.sync();
  logger.info('caches synced');

  const elector = config.leaderElection
    ? new LeaderElector({
        lease: { namespace: config.leaseNamespace, name: config.leaseName },
        identity: config.identity,
        client: kubeLeaseClient(conn),
        logger,
      })
    : undefined;

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info('shutting down', { signal });
    const hardStop = setTimeout(() => process.exit(1), 20_000);
    hardStop.unref();
    // Finish what was started before handing over: an in-flight reconcile completes its writes
    // (a switch and its status), bounded well inside the hard stop; only then is the Lease
    // released, so the next leader never races a half-done switch. (On LOST leadership the
    // workers are aborted instead: another leader may already be acting.)
    await Promise.race([controller.stopWorkers(false), new Promise((r) => setTimeout(r, 10_000).unref())]);
    if (elector) await elector.release();
    controller.stopInformers();
    server.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));

  if (!elector) {
    controller.startWorkers();
    return;
  }
  // Campaign forever: after losing the lease (e.g. a network partition), stop working and
  // campaign again rather than exit, keeping the warm cache.
  while (!stopping) {
    await elector.run({
      onStartedLeading: () => {
        logger.info('leading');
        controller.startWorkers();
      },
      onStoppedLeading: async () => {
        logger.warn('stopped leading');
        await controller.stopWorkers(true);
      },
    });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(
    `bluegreen-operator: fatal: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
  );
  process.exit(1);
});
