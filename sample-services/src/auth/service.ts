// auth: login with users from AUTH_USERS, signed JWTs (ES256), /verify, and the public JWK set
// other services use to verify tokens locally (see kit/tokens.ts for why).
import { randomUUID } from 'node:crypto';
import Router from '@koa/router';
import type { Context } from 'koa';
import { SignJWT } from 'jose';
import { readJsonBody } from '../kit/body.ts';
import { optional, parse, required, type Env } from '../kit/config.ts';
import { HttpError } from '../kit/errors.ts';
import { readKitConfig } from '../kit/kit-config.ts';
import { createService, type Service } from '../kit/service.ts';
import { bearerToken, createTokenVerifier, JWT_ALGORITHM } from '../kit/tokens.ts';
import { bodyValidator } from '../kit/validate.ts';
import { loadSigningKey, type SigningKey } from './keys.ts';
import { authOpenapi } from './openapi.ts';
import { parseUsers, verifyPassword } from './passwords.ts';
import { LOGIN_SCHEMA, VERIFY_SCHEMA } from './schemas.ts';

export interface AuthConfig {
  users: Map<string, string>;
  issuer: string;
  audience: string;
  tokenTtlSeconds: number;
}

export function readAuthConfig(env: Env): AuthConfig {
  return {
    users: parseUsers(required(env, 'AUTH_USERS', parse.string())),
    issuer: optional(env, 'JWT_ISSUER', parse.string(), 'bluegreen-auth'),
    audience: optional(env, 'JWT_AUDIENCE', parse.string(), 'bluegreen-samples'),
    tokenTtlSeconds: optional(env, 'TOKEN_TTL_SECONDS', parse.int(1, 7 * 24 * 3600), 900),
  };
}

export interface AuthDeps {
  now?: () => number;
}

export function authRouter(config: AuthConfig, key: SigningKey, bodyLimit: number, deps: AuthDeps = {}): Router {
  const now = deps.now ?? (() => Date.now());
  const verify = createTokenVerifier(key.publicKey, {
    issuer: config.issuer,
    audience: config.audience,
    now,
    cacheSize: 0,
  });
  // A fixed hash checked when the user is unknown, so timing does not reveal which users exist.
  const decoy = [...config.users.values()][0]!;
  const validLogin = bodyValidator(LOGIN_SCHEMA);
  const validVerify = bodyValidator(VERIFY_SCHEMA);
  const router = new Router();

  router.post('/login', async (ctx: Context) => {
    const body = validLogin(await readJsonBody(ctx, bodyLimit));
    const hash = config.users.get(body.username);
    const ok = await verifyPassword(body.password, hash ?? decoy);
    if (!hash || !ok) throw new HttpError(401, 'invalid_credentials', 'unknown user or wrong password');
    const issuedAt = Math.floor(now() / 1000);
    const token = await new SignJWT({})
      .setProtectedHeader({ alg: JWT_ALGORITHM, kid: key.kid, typ: 'JWT' })
      .setSubject(body.username)
      .setIssuer(config.issuer)
      .setAudience(config.audience)
      .setIssuedAt(issuedAt)
      .setExpirationTime(issuedAt + config.tokenTtlSeconds)
      .setJti(randomUUID())
      .sign(key.privateKey);
    ctx.set('Cache-Control', 'no-store');
    ctx.body = { token, tokenType: 'Bearer', expiresIn: config.tokenTtlSeconds };
  });

  router.post('/verify', async (ctx: Context) => {
    if (!ctx.get('Authorization') && !ctx.request.length && !ctx.get('Transfer-Encoding')) {
      throw new HttpError(401, 'unauthorized', 'no token: send "Authorization: Bearer <token>" or {"token": "..."}');
    }
    const token = ctx.get('Authorization') ? bearerToken(ctx) : validVerify(await readJsonBody(ctx, bodyLimit)).token;
    const claims = await verify(token);
    ctx.body = { valid: true, sub: claims.sub, exp: claims.exp, claims };
  });

  router.get('/.well-known/jwks.json', (ctx: Context) => {
    ctx.set('Cache-Control', 'public, max-age=300');
    ctx.body = { keys: [key.publicJwk] };
  });
  return router;
}

export async function createAuthService(env: Env, deps: AuthDeps = {}): Promise<Service> {
  const kit = readKitConfig(env, 'auth');
  const config = readAuthConfig(env);
  const key = await loadSigningKey(env);
  const service = createService({
    kit,
    router: authRouter(config, key, kit.bodyLimitBytes, deps),
    openapi: authOpenapi,
  });
  if (key.ephemeral) {
    service.log.warn(
      'no JWT_PRIVATE_KEY_FILE or JWT_PRIVATE_KEY: using an ephemeral signing key; tokens die with this process and are not shared between pods',
    );
  }
  service.log.info('auth configured', {
    users: config.users.size,
    kid: key.kid,
    tokenTtlSeconds: config.tokenTtlSeconds,
  });
  return service;
}
