// Entry point for all four services (one image, one entry): the service is chosen by the first
// argument or the SERVICE variable.   node src/main.ts orders   |   SERVICE=orders node src/main.ts
import { ConfigError, type Env } from './kit/config.ts';
import type { Service } from './kit/service.ts';

const SERVICES = {
  auth: async (env: Env) => (await import('./auth/service.ts')).createAuthService(env),
  orders: async (env: Env) => (await import('./orders/service.ts')).createOrdersService(env),
  payments: async (env: Env) => (await import('./payments/service.ts')).createPaymentsService(env),
  notifications: async (env: Env) => (await import('./notifications/service.ts')).createNotificationsService(env),
} as const satisfies Record<string, (env: Env) => Promise<Service>>;

function fatal(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

const name = process.argv[2] ?? process.env['SERVICE'];
if (!name || !Object.hasOwn(SERVICES, name)) {
  fatal(
    `SERVICE must be one of ${Object.keys(SERVICES).join(', ')} (argument or env), got ${JSON.stringify(name ?? '')}`,
  );
}

let service: Service;
try {
  service = await SERVICES[name as keyof typeof SERVICES](process.env);
} catch (err) {
  if (err instanceof ConfigError) fatal(`invalid configuration: ${err.message}`);
  throw err;
}

// Signal handlers go in BEFORE listening: a SIGTERM that arrives during start-up must still
// drain and exit 0 rather than kill the process with connections open.
const running = service.listen();
for (const signal of ['SIGTERM', 'SIGINT'] as const) {
  process.once(signal, () => {
    running
      .then((r) => r.shutdown(signal))
      .then(
        () => process.exit(0),
        (err: unknown) => {
          service.log.error('shutdown failed', { err });
          process.exit(1);
        },
      );
  });
}
const { crashAfterMs, crashDrainProbes } = service.faults;
if (crashAfterMs > 0) {
  // Somewhere between 1 and 1.5 times the setting: replicas started together do not die in
  // lockstep, as the pods of a real crash loop do not.
  const after = crashAfterMs * (1 + Math.random() / 2);
  setTimeout(() => {
    service.log.warn('crashing (FAULT_CRASH_AFTER_SECONDS)', { afterMs: Math.round(after), crashDrainProbes });
    void crash().finally(() => process.exit(1));
  }, after).unref();
}

// Like a pod whose readiness fails before its liveness kills it: out of its Service first
// (readiness-refusals.ts says why), then the usual drain, then exit 1.
async function crash(): Promise<void> {
  const r = await running;
  service.state.draining = true;
  // Bounded: without a readiness probe (outside Kubernetes) nothing ever counts.
  const probed = await service.state.refusals.waitFor(crashDrainProbes, 60_000);
  if (!probed) service.log.warn('no readiness probe saw the drain; stopping anyway', { crashDrainProbes });
  await r.shutdown('FAULT_CRASH_AFTER_SECONDS');
}
await running.catch((err: unknown) => fatal(`cannot listen: ${err instanceof Error ? err.message : String(err)}`));
