// The only reader of environment and flags. Every setting is documented in docs/operator.md;
// a bad value stops the process with one line naming the setting.
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
  };
}
