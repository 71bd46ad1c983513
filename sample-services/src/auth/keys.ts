// The signing key. In Kubernetes it comes from a Secret mounted as a file
// (JWT_PRIVATE_KEY_FILE) so blue and green auth pods sign with the SAME key and tokens stay
// valid across a switch. Without one, an ephemeral key is generated (fine for a laptop;
// logged loudly because tokens then die with the process).
import { createPrivateKey, createPublicKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, importPKCS8, importSPKI, type JWK } from 'jose';
import { ConfigError, type Env } from '../kit/config.ts';
import { JWT_ALGORITHM } from '../kit/tokens.ts';

export interface SigningKey {
  privateKey: CryptoKey;
  publicKey: CryptoKey;
  publicJwk: JWK;
  kid: string;
  ephemeral: boolean;
}

export async function loadSigningKey(env: Env): Promise<SigningKey> {
  const pem = readPem(env);
  if (pem === undefined) {
    const pair = await generateKeyPair(JWT_ALGORITHM, { extractable: true });
    return withPublicJwk(pair.privateKey, pair.publicKey, true);
  }
  const source = env['JWT_PRIVATE_KEY_FILE'] ? 'JWT_PRIVATE_KEY_FILE' : 'JWT_PRIVATE_KEY';
  let privateKey: CryptoKey;
  let publicKey: CryptoKey;
  try {
    privateKey = await importPKCS8(pem, JWT_ALGORITHM);
    const publicPem = createPublicKey(createPrivateKey(pem)).export({ type: 'spki', format: 'pem' }).toString();
    publicKey = await importSPKI(publicPem, JWT_ALGORITHM, { extractable: true });
  } catch (err) {
    throw new ConfigError(`${source} must hold a PKCS#8 PEM P-256 private key (${(err as Error).message})`);
  }
  return withPublicJwk(privateKey, publicKey, false);
}

function readPem(env: Env): string | undefined {
  const file = env['JWT_PRIVATE_KEY_FILE'];
  if (file) {
    try {
      return readFileSync(file, 'utf8');
    } catch (err) {
      throw new ConfigError(`JWT_PRIVATE_KEY_FILE cannot be read: ${(err as Error).message}`);
    }
  }
  return env['JWT_PRIVATE_KEY'] || undefined;
}

async function withPublicJwk(privateKey: CryptoKey, publicKey: CryptoKey, ephemeral: boolean): Promise<SigningKey> {
  const jwk = await exportJWK(publicKey);
  const kid = await calculateJwkThumbprint(jwk);
  return { privateKey, publicKey, publicJwk: { ...jwk, kid, alg: JWT_ALGORITHM, use: 'sig' }, kid, ephemeral };
}
