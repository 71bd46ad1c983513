// JSON logs, one object per line on stdout, so a log pipeline can index them without parsing.
// pino with the operator's settings (operator/src/runtime/logger.ts; test/unit/log-shape.test.ts
// holds the two to one shape): {"level":"info","time":"<ISO>",<fields>,"msg":"..."}; a caller's
// time/level/msg is kept as _time/_level/_msg and never overwrites the logger's; headers,
// tokens, passwords and secrets are redacted; an Error in any field becomes readable fields.
import { pino, type DestinationStream } from 'pino';
import type { LogLevel } from './kit-config.ts';

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
}

export type LogSink = (line: string) => void;

/** Censored at the top level and one level down: request headers, credentials, the auth service's secrets. */
export const REDACTED_PATHS: readonly string[] = [
  'headers',
  'authorization',
  'password',
  'token',
  'secret',
  'cookie',
].flatMap((key) => [key, `*.${key}`]);

const RESERVED = new Set(['time', 'level', 'msg']);

export function createLogger(base: Record<string, string>, level: LogLevel, sink?: LogSink): Logger {
  const destination: DestinationStream = sink
    ? { write: (line: string) => sink(line.endsWith('\n') ? line.slice(0, -1) : line) }
    : pino.destination({ dest: 1, sync: true });
  const log = pino(
    {
      level,
      base: guard(base),
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }), log: guard },
      redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
      // Errors are already fields (guard); pino's own err serializer would re-describe them.
      serializers: { err: (value: unknown) => value },
    },
    destination,
  );
  return {
    debug: (msg, fields) => log.debug(fields ?? {}, msg),
    info: (msg, fields) => log.info(fields ?? {}, msg),
    warn: (msg, fields) => log.warn(fields ?? {}, msg),
    error: (msg, fields) => log.error(fields ?? {}, msg),
  };
}

function guard(fields: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(fields)) {
    out[RESERVED.has(key) ? `_${key}` : key] =
      value instanceof Error ? { name: value.name, message: value.message, stack: value.stack } : value;
  }
  return out;
}
