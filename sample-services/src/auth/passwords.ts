// Password hashes with node:crypto scrypt (memory-hard; no native addon to ship).
// Encoded as  scrypt:N:r:p:<salt base64url>:<hash base64url>  — no "$" so the value survives
// shell and Compose interpolation unchanged when it sits in an environment variable.
import { randomBytes, scrypt, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ConfigError } from '../kit/config.ts';

const KEY_LENGTH = 32;
const DEFAULT_PARAMS = { N: 16384, r: 8, p: 1 } as const;

function scryptAsync(password: string, salt: Buffer, keylen: number, opts: ScryptOptions): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    scrypt(password, salt, keylen, opts, (err, key) => (err ? reject(err) : resolve(key))),
  );
}

export async function hashPassword(password: string, params = DEFAULT_PARAMS): Promise<string> {
  const salt = randomBytes(16);
  const hash = await scryptAsync(password, salt, KEY_LENGTH, params);
  return ['scrypt', params.N, params.r, params.p, salt.toString('base64url'), hash.toString('base64url')].join(':');
}

interface ParsedHash {
  N: number;
  r: number;
  p: number;
  salt: Buffer;
  hash: Buffer;
}

function parseHash(encoded: string): ParsedHash | undefined {
  const parts = encoded.split(':');
  if (parts.length !== 6 || parts[0] !== 'scrypt') return undefined;
  const [N, r, p] = parts.slice(1, 4).map(Number) as [number, number, number];
  if (![N, r, p].every((n) => Number.isInteger(n) && n > 0) || (N & (N - 1)) !== 0) return undefined;
  const salt = Buffer.from(parts[4]!, 'base64url');
  const hash = Buffer.from(parts[5]!, 'base64url');
  if (salt.length < 8 || hash.length < 16) return undefined;
  return { N, r, p, salt, hash };
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parseHash(encoded);
  if (!parsed) return false;
  const candidate = await scryptAsync(password, parsed.salt, parsed.hash.length, {
    N: parsed.N,
    r: parsed.r,
    p: parsed.p,
    maxmem: 256 * parsed.N * parsed.r,
  });
  return timingSafeEqual(candidate, parsed.hash);
}

/** Parses AUTH_USERS: "alice=scrypt:...,bob=scrypt:..."; a bad entry is a ConfigError naming it. */
export function parseUsers(raw: string, variable = 'AUTH_USERS'): Map<string, string> {
  const users = new Map<string, string>();
  for (const entry of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const eq = entry.indexOf('=');
    const name = entry.slice(0, eq);
    const hash = entry.slice(eq + 1);
    if (eq <= 0 || !/^[A-Za-z0-9._@-]{1,64}$/.test(name)) {
      throw new ConfigError(`${variable} entry ${JSON.stringify(entry.slice(0, 40))} must be <username>=<scrypt hash>`);
    }
    if (!parseHash(hash)) {
      throw new ConfigError(
        `${variable} user ${name} has an invalid hash; create one with npm run -w sample-services hash-password`,
      );
    }
    users.set(name, hash);
  }
  if (users.size === 0) throw new ConfigError(`${variable} must list at least one user`);
  return users;
}
