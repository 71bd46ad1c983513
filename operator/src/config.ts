// The only reader of environment and flags. Every setting is documented in docs/operator.md;
// a bad value stops the process with one line naming the setting.
import { NOTIFICATION_EVENTS, type NotificationEvent } from './api/constants.ts';
import { PROVIDER_TYPES, type ProviderConfig, type ProviderType } from './notify/routing.ts';

/** Notification providers (docs/notifications.md); their URLs and keys are files, never settings. */
export interface NotificationConfig {
  providers: ProviderConfig[];
  defaultProviders: string[];
  secretsDir: string;
  timeoutMs: number;
  retryForMs: number;
}

export interface Config {
  namespace: string | undefined;
  workers: number;
  port: number;
  resyncSeconds: number;
  reconcileTimeoutSeconds: number;
  leaderElection: boolean;
  leaseNamespace: string;
  leaseName: string;
  identity: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  notifications: NotificationConfig;
}

export class ConfigError extends Error {}

function flagsToEnv(argv: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const arg of argv) {
    const m = /^--([a-z-]+)=(.*)$/.exec(arg);
    if (!m) throw new ConfigError(`unknown argument "${arg}"; use --name=value (see docs/operator.md)`);
    out[m[1]!.toUpperCase().replaceAll('-', '_')] = m[2]!;
  }
  return out;
}

function int(
  env: Record<string, string | undefined>,
  name: string,
  fallback: number,
  min: number,
  max: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max)
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}, got "${raw}"`);
  return n;
}

function bool(env: Record<string, string | undefined>, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'true') return true;
  if (raw === 'false') return false;
  throw new ConfigError(`${name} must be true or false, got "${raw}"`);
}

export function loadConfig(env: Record<string, string | undefined>, argv: readonly string[], hostname: string): Config {
  const all = { ...env, ...flagsToEnv(argv) };
  const level = all.LOG_LEVEL ?? 'info';
  if (!['debug', 'info', 'warn', 'error'].includes(level))
    throw new ConfigError(`LOG_LEVEL must be debug, info, warn or error, got "${level}"`);
  const ns = all.WATCH_NAMESPACE?.trim();
  return {
    namespace: ns ? ns : undefined,
    workers: int(all, 'WORKERS', 4, 1, 64),
    port: int(all, 'PORT', 8080, 1, 65535),
    resyncSeconds: int(all, 'RESYNC_SECONDS', 600, 10, 86400),
    reconcileTimeoutSeconds: int(all, 'RECONCILE_TIMEOUT_SECONDS', 30, 1, 600),
    leaderElection: bool(all, 'LEADER_ELECTION', true),
    leaseNamespace: all.LEADER_ELECTION_NAMESPACE || all.POD_NAMESPACE || ns || 'default',
    leaseName: all.LEADER_ELECTION_ID || 'bluegreen-operator',
    identity: all.POD_NAME || hostname,
    logLevel: level as Config['logLevel'],
    notifications: notificationConfig(all),
  };
}

const PROVIDER_NAME = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** One entry of NOTIFICATION_PROVIDERS: {name, type, events?}; the error names the entry. */
function provider(raw: unknown, i: number): ProviderConfig {
  const at = `NOTIFICATION_PROVIDERS[${i}]`;
  const p = (raw ?? {}) as { name?: unknown; type?: unknown; events?: unknown };
  if (typeof p.name !== 'string' || p.name.length > 63 || !PROVIDER_NAME.test(p.name))
    throw new ConfigError(`${at}.name must be a DNS label (lower case, at most 63 characters)`);
  if (!PROVIDER_TYPES.includes(p.type as ProviderType))
    throw new ConfigError(`${at}.type must be one of ${PROVIDER_TYPES.join(', ')}, got "${String(p.type)}"`);
  if (p.events === undefined || p.events === null) return { name: p.name, type: p.type as ProviderType };
  const events = p.events as unknown[];
  const bad = Array.isArray(events)
    ? events.find((e) => !NOTIFICATION_EVENTS.includes(e as NotificationEvent))
    : p.events;
  if (!Array.isArray(events) || bad !== undefined)
    throw new ConfigError(`${at}.events must list events of: ${NOTIFICATION_EVENTS.join(', ')}; got "${String(bad)}"`);
  return { name: p.name, type: p.type as ProviderType, events: events as NotificationEvent[] };
}

function notificationConfig(all: Record<string, string | undefined>): NotificationConfig {
  let parsed: unknown;
  try {
    parsed = JSON.parse(all.NOTIFICATION_PROVIDERS || '[]');
  } catch {
    throw new ConfigError('NOTIFICATION_PROVIDERS must be a JSON array of {name, type, events?}');
  }
  if (!Array.isArray(parsed))
    throw new ConfigError('NOTIFICATION_PROVIDERS must be a JSON array of {name, type, events?}');
  const providers = parsed.map(provider);
  const names = providers.map((p) => p.name);
  const twice = names.find((n, i) => names.indexOf(n) !== i);
  if (twice !== undefined) throw new ConfigError(`NOTIFICATION_PROVIDERS names "${twice}" twice`);
  const defaults = (all.NOTIFICATION_DEFAULT_PROVIDERS ?? '')
    .split(',')
    .map((n) => n.trim())
    .filter((n) => n !== '');
  const unknown = defaults.find((n) => !names.includes(n));
  if (unknown !== undefined)
    throw new ConfigError(
      `NOTIFICATION_DEFAULT_PROVIDERS names "${unknown}", which NOTIFICATION_PROVIDERS does not define`,
    );
  return {
    providers,
    defaultProviders: defaults,
    secretsDir: all.NOTIFICATION_SECRETS_DIR || '/etc/bluegreen-operator/notifications',
    timeoutMs: int(all, 'NOTIFICATION_TIMEOUT_SECONDS', 10, 1, 60) * 1000,
    retryForMs: int(all, 'NOTIFICATION_RETRY_FOR_SECONDS', 3600, 60, 86400) * 1000,
  };
}
