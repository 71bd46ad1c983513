// The operator's structured logger: pino, writing one JSON object per line on stdout, shaped
// like this (the shape docs/operator.md documents and the sample services share):
//
//   {"level":"info","time":"2026-11-27T10:00:00.000Z","bgs":"shop/orders","reconcileId":7,"msg":"switched",...}
//
// Three guarantees on top of pino's defaults:
//  - time, level and msg are the logger's: a caller's field of that name is kept as _time,
//    _level or _msg and can never overwrite them;
//  - header objects and secret-looking fields are redacted (REDACTED_PATHS), so a Prometheus
//    Authorization header or a password never reaches a log line;
//  - an Error in any field becomes readable fields (errorFields), cause chain included.
import { pino, type DestinationStream } from 'pino';
import { errorFields } from './errors.ts';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
export type LogFields = Record<string, unknown>;

export interface Logger {
  debug(msg: string, fields?: LogFields): void;
  info(msg: string, fields?: LogFields): void;
  warn(msg: string, fields?: LogFields): void;
  error(msg: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export interface LoggerOptions {
  /** Minimum level written; default 'info'. */
  level?: LogLevel;
  /** Where a finished line goes (without its newline); default stdout. Tests capture lines here. */
  write?: (line: string) => void;
  /** Source of the `time` field; default Date.now. */
  now?: () => number;
}

const LEVELS: readonly LogLevel[] = ['debug', 'info', 'warn', 'error'];

/** Paths pino censors, at the top level and one level down (e.g. {prometheus: {headers}}). */
export const REDACTED_PATHS: readonly string[] = [
  'headers',
  'authorization',
  'password',
  'token',
  'secret',
  'cookie',
].flatMap((key) => [key, `*.${key}`]);

const RESERVED = new Set(['time', 'level', 'msg']);

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && (LEVELS as readonly string[]).includes(value);
}

export function createLogger(fields: LogFields = {}, options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (!isLogLevel(level)) throw new Error(`logger: level must be one of ${LEVELS.join(', ')}; got "${String(level)}"`);
  const now = options.now ?? Date.now;
  const write = options.write;
  const destination: DestinationStream = write
    ? { write: (line: string) => write(line.endsWith('\n') ? line.slice(0, -1) : line) }
    : pino.destination({ dest: 1, sync: true });
  const root = pino(
    {
      level,
      base: null,
      messageKey: 'msg',
      timestamp: () => `,"time":"${new Date(now()).toISOString()}"`,
      formatters: { level: (label) => ({ level: label }), log: guard },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      // Errors are already fields (guard); pino's own err serializer would re-describe them.
      serializers: { err: (value: unknown) => value },
    },
    destination,
  );
  return wrap(Object.keys(fields).length > 0 ? root.child(guard(fields)) : root);
}

function wrap(log: pino.Logger): Logger {
  return {
    debug: (msg, fields) => log.debug(fields ?? {}, msg),
    info: (msg, fields) => log.info(fields ?? {}, msg),
    warn: (msg, fields) => log.warn(fields ?? {}, msg),
    error: (msg, fields) => log.error(fields ?? {}, msg),
    // guard() here, not in a pino formatter: pino itself reads `level` from a child's bindings.
    child: (fields) => wrap(log.child(guard(fields))),
  };
}

/** Renames reserved keys and turns Errors into fields; returns a new object. */
function guard(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[RESERVED.has(key) ? `_${key}` : key] = value instanceof Error ? errorFields(value) : value;
  }
  return out;
}

/** A logger that drops everything; handy default for library code and tests. */
export const silentLogger: Logger = createLogger({}, { write: () => {} });
