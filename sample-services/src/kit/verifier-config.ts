// Settings of services that verify users' tokens with auth's public keys (kit/tokens.ts).
import { optional, parse, required, type Env } from './config.ts';
import { createTokenVerifier, remoteKeys, type TokenVerifier } from './tokens.ts';

export function tokenVerifierFromEnv(env: Env): TokenVerifier {
  const authUrl = required(env, 'AUTH_URL', parse.url());
  return createTokenVerifier(remoteKeys(authUrl, optional(env, 'AUTH_TIMEOUT_MS', parse.int(1, 60_000), 2000)), {
    issuer: optional(env, 'JWT_ISSUER', parse.string(), 'bluegreen-auth'),
    audience: optional(env, 'JWT_AUDIENCE', parse.string(), 'bluegreen-samples'),
  });
}
