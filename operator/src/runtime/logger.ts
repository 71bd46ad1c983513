// A tiny structured logger: one JSON object per line on stdout, so logs are greppable locally
// and parseable by any collector. No dependency; levels are filtered at the call site.

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
  /** Where a finished line goes; default process.stdout. Tests capture lines here. */
  write?: (line: string) => void;
  /** Source of the `time` field; default Date.now. */
  now?: () => number;
}

const severity: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

export function isLogLevel(value: unknown): value is LogLevel {
  return typeof value === 'string' && Object.hasOwn(severity, value);
}

export function createLogger(fields: LogFields = {}, options: LoggerOptions = {}): Logger {
  const level = options.level ?? 'info';
  if (!isLogLevel(level))
    throw new Error(`logger: level must be one of debug, info, warn, error; got "${String(level)}"`);
  const minimum = severity[level];
  const write = options.write ?? ((line: string) => process.stdout.write(line + '\n'));
  const now = options.now ?? Date.now;

  const emit = (level: LogLevel, msg: string, extra?: LogFields): void => {
    if (severity[level] < minimum) return;
    // time/level/msg come first and cannot be overwritten by fields.
    const time = new Date(now()).toISOString();
    const entry = Object.assign({ time, level, msg }, fields, normalize(extra));
    Object.assign(entry, { time, level, msg });
    write(safeStringify(entry));
  };

  return {
    debug: (msg, extra) => emit('debug', msg, extra),
    info: (msg, extra) => emit('info', msg, extra),
    warn: (msg, extra) => emit('warn', msg, extra),
    error: (msg, extra) => emit('error', msg, extra),
    child: (more) => createLogger({ ...fields, ...more }, options),
  };
}

/** A logger that drops everything; handy default for library code and tests. */
export const silentLogger: Logger = createLogger({}, { write: () => {} });

// Errors serialize to {} with JSON.stringify; turn them into readable fields.
function normalize(extra: LogFields | undefined): LogFields {
  if (!extra) return {};
  const out: LogFields = {};
  for (const [key, value] of Object.entries(extra)) {
    out[key] = value instanceof Error ? describeError(value) : value;
  }
  return out;
}

export function describeError(err: unknown): Record<string, unknown> | string {
  if (!(err instanceof Error)) return String(err);
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  const code = (err as { code?: unknown; statusCode?: unknown }).code ?? (err as { statusCode?: unknown }).statusCode;
  if (code !== undefined) out.code = code;
  // undici reports "fetch failed" and hides the useful part (ECONNREFUSED, ...) in cause.
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    out.cause = { message: cause.message, code: (cause as { code?: unknown }).code };
  }
  if (err.stack) out.stack = err.stack.split('\n').slice(0, 6).join('\n');
  return out;
}

function safeStringify(entry: { time: string; level: string; msg: string }): string {
  try {
    return JSON.stringify(entry, (_key, value: unknown) => (typeof value === 'bigint' ? value.toString() : value));
  } catch {
    // Circular structures: keep the line, lose the fields.
    return JSON.stringify({ time: entry.time, level: entry.level, msg: entry.msg, fields: '[unserializable]' });
  }
}
