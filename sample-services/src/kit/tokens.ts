// Bearer-token checks shared by every service that accepts a user's token.
//
// Choice: services verify the JWT THEMSELVES against auth's public keys, fetched once from
// AUTH_URL/.well-known/jwks.json and cached (jose's remote JWK set), instead of calling auth's
// /verify on every request. Why: no extra network hop and no auth round-trip in the latency of
// every order; an auth outage does not stop orders once the keys are cached; only auth holds
// the private key; a key rotation is picked up through the `kid` (unknown kid -> refetch).
// Verified tokens are cached (bounded, until their expiry) because an ES256 check costs more
// CPU than the rest of a request.
import type { Context, Next } from 'koa';
import { createRemoteJWKSet, errors, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from 'jose';
import { HttpError } from './errors.ts';

export const JWT_ALGORITHM = 'ES256';

export type TokenClaims = JWTPayload & { sub: string; exp: number };
export interface AuthedUser {
  sub: string;
  token: string;
  claims: TokenClaims;
}

export interface TokenVerifierOptions {
  issuer: string;
  audience: string;
  cacheSize?: number;
  now?: () => number;
}

export type KeySource = JWTVerifyGetKey | CryptoKey;

export function remoteKeys(authUrl: string, timeoutMs: number): JWTVerifyGetKey {
  return createRemoteJWKSet(new URL(`${authUrl}/.well-known/jwks.json`), {
    timeoutDuration: timeoutMs,
    cooldownDuration: 5_000,
    cacheMaxAge: 10 * 60_000,
  });
}

const REFUSED = [
  errors.JWTExpired,
  errors.JWTClaimValidationFailed,
  errors.JWSSignatureVerificationFailed,
  errors.JWSInvalid,
  errors.JWTInvalid,
  errors.JOSEAlgNotAllowed,
  errors.JWKSNoMatchingKey,
] as const;

export function createTokenVerifier(keys: KeySource, opts: TokenVerifierOptions) {
  const cache = new Map<string, TokenClaims>();
  const cacheSize = opts.cacheSize ?? 10_000;
  const now = opts.now ?? (() => Date.now());
  return async function verify(token: string): Promise<TokenClaims> {
    const cached = cache.get(token);
    if (cached && cached.exp * 1000 > now()) return cached;
    if (cached) cache.delete(token);
    let payload: JWTPayload;
    try {
      ({ payload } = await jwtVerify(token, keys as JWTVerifyGetKey, {
        algorithms: [JWT_ALGORITHM],
        issuer: opts.issuer,
        audience: opts.audience,
        requiredClaims: ['sub', 'exp'],
        currentDate: new Date(now()),
      }));
    } catch (err) {
      if (err instanceof errors.JWTExpired) throw new HttpError(401, 'token_expired', 'token has expired');
      if (REFUSED.some((cls) => err instanceof cls)) {
        throw new HttpError(401, 'invalid_token', `token refused: ${(err as Error).message}`);
      }
      throw new HttpError(503, 'auth_unavailable', `cannot verify tokens now: ${(err as Error).message}`);
    }
    const claims = payload as TokenClaims;
    if (cache.size >= cacheSize) cache.delete(cache.keys().next().value!);
    cache.set(token, claims);
    return claims;
  };
}

export type TokenVerifier = ReturnType<typeof createTokenVerifier>;

/** Extracts the token from `Authorization: Bearer <token>`; anything else is a 401 naming the problem. */
export function bearerToken(ctx: Context): string {
  const header = ctx.get('Authorization');
  if (!header) throw challenge(ctx, 'missing Authorization header; expected "Bearer <token>"');
  const match = /^Bearer[ ]+([A-Za-z0-9._~+/-]+=*)$/i.exec(header.trim());
  if (!match) throw challenge(ctx, 'Authorization header must be "Bearer <token>"');
  return match[1]!;
}

function challenge(ctx: Context, message: string): HttpError {
  ctx.set('WWW-Authenticate', 'Bearer');
  return new HttpError(401, 'unauthorized', message);
}

/** Koa middleware: verifies the caller's bearer token and stores the user in ctx.state.user. */
export function requireUser(verify: TokenVerifier) {
  return async function authenticate(ctx: Context, next: Next): Promise<void> {
    const token = bearerToken(ctx);
    try {
      const claims = await verify(token);
      ctx.state['user'] = { sub: claims.sub, token, claims } satisfies AuthedUser;
    } catch (err) {
      if (err instanceof HttpError && err.status === 401) ctx.set('WWW-Authenticate', 'Bearer error="invalid_token"');
      throw err;
    }
    await next();
  };
}

export function currentUser(ctx: Context): AuthedUser {
  return ctx.state['user'] as AuthedUser;
}
