// The settings every sample service shares. Service-specific settings live next to each
// service (e.g. orders/config.ts) and are read with the same helpers.
import { optional, parse, type Env } from './config.ts';

export const LOG_LEVELS = ['debug', 'info', 'warn', 'error'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface FaultConfig {
  /** Fraction (0..1) of business requests answered with a 500; never health, metrics or docs. */
  errorRate: number;
  /** Extra latency added to every business request. */
  latencyMs: number;
  /** When true /readyz always answers 503, so the release never becomes ready. */
  failReadiness: boolean;
  /**
   * After this long (up to 1.5 times, so replicas do not die in lockstep) the process drains and
   * exits 1, and again after every restart: a release
   * that passes its checks and then crash-loops (0 = never). It drains first so a drill
   * measures the operator's reaction, not requests lost inside the dying process.
   */
  crashAfterMs: number;
  /**
   * The crash drill stops listening only after /readyz refused this many probes (the readiness
   * probe's failureThreshold), so the kubelet has taken the pod out of its Service by then.
   */
  crashDrainProbes: number;
}

export interface KitConfig {
  service: string;
  version: string;
  /** The pod's colour label (bluegreen.dev/color) through the Downward API; "none" outside Kubernetes. */
  color: string;
  host: string;
  port: number;
  logLevel: LogLevel;
  bodyLimitBytes: number;
  shutdownDelayMs: number;
  shutdownTimeoutMs: number;
  /** Close a keep-alive connection with its first response past this age; 0 = never (connection-age.ts). */
  maxConnectionAgeMs: number;
  metricsEnabled: boolean;
  /** Largest N that GET /work?ms=N burns; 0 = the route is not served (cpu-work.ts). */
  cpuWorkMaxMs: number;
  faults: FaultConfig;
}

const LABEL_VALUE = /^[A-Za-z0-9]([A-Za-z0-9_.-]{0,61}[A-Za-z0-9])?$/;

export function readKitConfig(env: Env, service: string): KitConfig {
  const label = parse.string({ pattern: LABEL_VALUE, what: 'a Kubernetes label value (1-63 of A-Za-z0-9_.-)' });
  return {
    service,
    version: optional(env, 'VERSION', label, 'dev'),
    color: optional(env, 'COLOR', label, 'none'),
    host: optional(env, 'HOST', parse.string(), '0.0.0.0'),
    port: optional(env, 'PORT', parse.int(0, 65535), 8080),
    logLevel: optional(env, 'LOG_LEVEL', parse.oneOf(LOG_LEVELS), 'info'),
    bodyLimitBytes: optional(env, 'BODY_LIMIT_BYTES', parse.int(1, 10 * 1024 * 1024), 64 * 1024),
    shutdownDelayMs: optional(env, 'SHUTDOWN_DELAY_SECONDS', parse.number(0, 300), 5) * 1000,
    shutdownTimeoutMs: optional(env, 'SHUTDOWN_TIMEOUT_SECONDS', parse.number(0, 600), 20) * 1000,
    maxConnectionAgeMs: optional(env, 'MAX_CONNECTION_AGE_SECONDS', parse.number(0, 3600), 1) * 1000,
    metricsEnabled: optional(env, 'METRICS_ENABLED', parse.bool(), true),
    cpuWorkMaxMs: optional(env, 'CPU_WORK_MAX_MS', parse.int(0, 1000), 0),
    faults: {
      errorRate: optional(env, 'FAULT_ERROR_RATE', parse.number(0, 1), 0),
      latencyMs: optional(env, 'FAULT_LATENCY_MS', parse.int(0, 600_000), 0),
      failReadiness: optional(env, 'FAULT_FAIL_READINESS', parse.bool(), false),
      crashAfterMs: optional(env, 'FAULT_CRASH_AFTER_SECONDS', parse.number(0, 86_400), 0) * 1000,
      crashDrainProbes: optional(env, 'FAULT_CRASH_DRAIN_PROBES', parse.int(0, 100), 3),
    },
  };
}
