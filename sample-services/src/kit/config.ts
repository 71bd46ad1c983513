// Configuration from the environment, validated once at start-up.
//
// Every variable is declared with a parser; a bad value throws ConfigError naming the variable,
// and main.ts turns that into ONE line on stderr and exit code 1 — a pod that cannot start
// should say why in `kubectl logs` without a stack trace to scroll through.

export class ConfigError extends Error {
  override name = 'ConfigError';
}

export type Env = Readonly<Record<string, string | undefined>>;
type Parser<T> = (raw: string, name: string) => T;

function fail(name: string, expectation: string, raw: string): never {
  throw new ConfigError(`${name} must be ${expectation}, got ${JSON.stringify(raw)}`);
}

export const parse = {
  string(opts: { pattern?: RegExp; what?: string } = {}): Parser<string> {
    return (raw, name) => {
      if (raw.length === 0 || (opts.pattern && !opts.pattern.test(raw)))
        fail(name, opts.what ?? 'a non-empty string', raw);
      return raw;
    };
  },
  int(min: number, max: number): Parser<number> {
    return (raw, name) => {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isInteger(n) || n < min || n > max)
        fail(name, `an integer in ${min}..${max}`, raw);
      return n;
    };
  },
  number(min: number, max: number): Parser<number> {
    return (raw, name) => {
      const n = Number(raw.trim());
      if (raw.trim() === '' || !Number.isFinite(n) || n < min || n > max) fail(name, `a number in ${min}..${max}`, raw);
      return n;
    };
  },
  bool(): Parser<boolean> {
    return (raw, name) => {
      const v = raw.trim().toLowerCase();
      if (v === 'true' || v === '1' || v === 'yes') return true;
      if (v === 'false' || v === '0' || v === 'no' || v === '') return false;
      return fail(name, 'true or false', raw);
    };
  },
  oneOf<const T extends string>(values: readonly T[]): Parser<T> {
    return (raw, name) => {
      if (!(values as readonly string[]).includes(raw)) fail(name, `one of ${values.join(', ')}`, raw);
      return raw as T;
    };
  },
  url(): Parser<string> {
    return (raw, name) => {
      let u: URL;
      try {
        u = new URL(raw);
      } catch {
        return fail(name, 'an absolute http(s) URL', raw);
      }
      if (u.protocol !== 'http:' && u.protocol !== 'https:') fail(name, 'an absolute http(s) URL', raw);
      return raw.replace(/\/+$/, '');
    };
  },
  list<T>(item: Parser<T>): Parser<T[]> {
    return (raw, name) =>
      raw
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s.length > 0)
        .map((s) => item(s, name));
  },
};

/** Reads a required variable: missing or empty is an error naming it. */
export function required<T>(env: Env, name: string, parser: Parser<T>): T {
  const raw = env[name];
  if (raw === undefined || raw === '') throw new ConfigError(`${name} is required but not set`);
  return parser(raw, name);
}

/** Reads an optional variable; unset or empty means the documented default. */
export function optional<T>(env: Env, name: string, parser: Parser<T>, fallback: T): T {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  return parser(raw, name);
}
