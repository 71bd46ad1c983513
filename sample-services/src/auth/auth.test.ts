import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../kit/config.ts';
import type { Service } from '../kit/service.ts';
import { baseEnv, TEST_USERS, testUsersEnv } from '../../testing/stack.ts';
import { hashPassword, parseUsers, verifyPassword } from './passwords.ts';
import { createAuthService } from './service.ts';

let clock = Date.parse('2026-01-01T00:00:00Z');
let auth: Service;
let http: ReturnType<typeof request>;

beforeAll(async () => {
  auth = await createAuthService(baseEnv({ AUTH_USERS: await testUsersEnv(), TOKEN_TTL_SECONDS: '60' }), {
    now: () => clock,
  });
  http = request(auth.app.callback());
});
afterAll(() => {
  clock = Date.now();
});

async function loginAs(username: string, password: string) {
  return http.post('/login').send({ username, password });
}

function tamper(token: string): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
  claims.sub = 'mallory';
  return [h, Buffer.from(JSON.stringify(claims)).toString('base64url'), s].join('.');
}

describe('auth', () => {
  it('Given a configured user, When they log in, Then a signed bearer token verifies', async () => {
    const res = await loginAs('alice', TEST_USERS.alice);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ tokenType: 'Bearer', expiresIn: 60 });
    expect(res.headers['cache-control']).toBe('no-store');
    const viaHeader = await http.post('/verify').set('Authorization', `Bearer ${res.body.token}`);
    expect([viaHeader.status, viaHeader.body.sub, viaHeader.body.valid]).toEqual([200, 'alice', true]);
    const viaBody = await http.post('/verify').send({ token: res.body.token });
    expect(viaBody.body.claims).toMatchObject({ sub: 'alice', iss: 'bluegreen-auth', aud: 'bluegreen-samples' });
  });

  it.each([
    ['wrong password', 'alice', 'nope'],
    ['unknown user', 'mallory', 'alice-password'],
    ["another user's password", 'bob', TEST_USERS.alice],
  ])('refuses a %s with 401 invalid_credentials', async (_name, username, password) => {
    const res = await loginAs(username, password);
    expect([res.status, res.body.error]).toEqual([401, 'invalid_credentials']);
  });

  it.each([
    ['missing password', { username: 'alice' }, 'body.password is required'],
    ['mistyped username', { username: 7, password: 'x' }, 'body.username must be a string, got number 7'],
    ['extra field', { username: 'alice', password: 'x', admin: true }, 'body.admin is not an allowed field'],
    ['array body', [], 'body must be an object, got an array'],
  ])('login with %s is a 400 naming the field', async (_name, body, message) => {
    const res = await http.post('/login').send(body);
    expect([res.status, res.body.message]).toEqual([400, message]);
  });

  it('login with malformed JSON or an oversized body is a 4xx', async () => {
    const bad = await http.post('/login').set('Content-Type', 'application/json').send('{"username":');
    expect([bad.status, bad.body.error]).toEqual([400, 'malformed_json']);
    const big = await http.post('/login').send({ username: 'alice', password: 'x'.repeat(70_000) });
    expect([big.status, big.body.error]).toEqual([413, 'payload_too_large']);
  });

  it('refuses a tampered token', async () => {
    const { body } = await loginAs('alice', TEST_USERS.alice);
    const res = await http.post('/verify').set('Authorization', `Bearer ${tamper(body.token)}`);
    expect([res.status, res.body.error]).toEqual([401, 'invalid_token']);
    expect(res.body.message).toContain('signature verification failed');
  });

  it('refuses an expired token', async () => {
    const { body } = await loginAs('bob', TEST_USERS.bob);
    clock += 61_000;
    const res = await http.post('/verify').send({ token: body.token });
    expect([res.status, res.body.error]).toEqual([401, 'token_expired']);
  });

  it.each([
    ['an empty JSON body', {}, 400, 'body.token is required'],
    [
      'a non-bearer scheme',
      { Authorization: 'Basic YWxpY2U6eA==' },
      401,
      'Authorization header must be "Bearer <token>"',
    ],
    ['garbage', { Authorization: 'Bearer not.a.jwt' }, 401, 'token refused'],
  ])('verify with %s is refused', async (_name, headers, status, message) => {
    const req = http.post('/verify').set(headers as Record<string, string>);
    const res = 'Authorization' in headers ? await req : await req.send({});
    expect(res.status).toBe(status);
    expect(res.body.message).toContain(message);
  });

  it('verify with neither header nor body is a 401 saying how to send the token', async () => {
    const res = await http.post('/verify');
    expect([res.status, res.body.error]).toEqual([401, 'unauthorized']);
    expect(res.body.message).toContain('Authorization: Bearer <token>');
  });

  it('publishes the public key (no private part) as a JWK set', async () => {
    const res = await http.get('/.well-known/jwks.json');
    expect(res.body.keys).toHaveLength(1);
    expect(res.body.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
    expect(res.body.keys[0].d).toBeUndefined();
  });
});

describe('auth configuration', () => {
  it('signs with the key from JWT_PRIVATE_KEY_FILE, so two pods share one key id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'auth-key-'));
    const file = join(dir, 'private.pem');
    writeFileSync(
      file,
      generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
    );
    const env = baseEnv({ AUTH_USERS: await testUsersEnv(), JWT_PRIVATE_KEY_FILE: file });
    const [blue, green] = await Promise.all([createAuthService(env), createAuthService(env)]);
    const blueKeys = (await request(blue.app.callback()).get('/.well-known/jwks.json')).body.keys;
    const greenKeys = (await request(green.app.callback()).get('/.well-known/jwks.json')).body.keys;
    expect(blueKeys).toEqual(greenKeys);
    const token = (
      await request(blue.app.callback()).post('/login').send({ username: 'alice', password: TEST_USERS.alice })
    ).body.token;
    expect((await request(green.app.callback()).post('/verify').send({ token })).status).toBe(200);
  });

  it.each([
    [{ AUTH_USERS: '' }, 'AUTH_USERS is required but not set'],
    [{ AUTH_USERS: 'alice' }, 'AUTH_USERS entry "alice" must be <username>=<scrypt hash>'],
    [{ AUTH_USERS: 'alice=plaintext' }, 'AUTH_USERS user alice has an invalid hash'],
    [{ JWT_PRIVATE_KEY_FILE: '/nonexistent/key.pem' }, 'JWT_PRIVATE_KEY_FILE cannot be read'],
    [{ JWT_PRIVATE_KEY: 'not a pem' }, 'JWT_PRIVATE_KEY must hold a PKCS#8 PEM P-256 private key'],
    [{ TOKEN_TTL_SECONDS: '0' }, 'TOKEN_TTL_SECONDS must be an integer in 1..604800'],
  ])('refuses %j with a message naming the variable', async (env, message) => {
    const attempt = createAuthService(baseEnv({ AUTH_USERS: await testUsersEnv(), ...env }));
    await expect(attempt).rejects.toThrow(ConfigError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('hashes with scrypt: the right password verifies, another does not', async () => {
    const hash = await hashPassword('s3cret');
    expect(hash).toMatch(/^scrypt:16384:8:1:[\w-]+:[\w-]+$/);
    expect(await verifyPassword('s3cret', hash)).toBe(true);
    expect(await verifyPassword('s3cret!', hash)).toBe(false);
    expect(await verifyPassword('s3cret', 'scrypt:3:8:1:AAAA:BBBB')).toBe(false);
    expect(parseUsers(`a=${hash}, b=${hash}`).size).toBe(2);
  });
});
