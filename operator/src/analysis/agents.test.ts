import { globalAgent as httpAgent } from 'node:http';
import { globalAgent as httpsAgent } from 'node:https';
import { describe, expect, it } from 'vitest';
import { makeTestPki } from '../../../test/support/test-ca.ts';
import { agentFor, MAX_TLS_AGENTS, validateCaBundle } from './agents.ts';

const https = new URL('https://prometheus.example:9090');

describe('agentFor', () => {
  it('Given no TLS settings, Then Node’s global agents serve http and https', () => {
    expect(agentFor(new URL('http://prometheus.example:9090'), { insecureSkipVerify: true })).toBe(httpAgent);
    expect(agentFor(https, undefined)).toBe(httpsAgent);
    expect(agentFor(https, { insecureSkipVerify: false })).toBe(httpsAgent);
  });

  it('Given the same CA twice, Then one pool serves both; another CA or the skip flag gets its own', () => {
    const a = agentFor(https, { ca: 'ca-1' });
    expect(agentFor(https, { ca: 'ca-1' })).toBe(a);
    expect(agentFor(https, { ca: 'ca-2' })).not.toBe(a);
    expect(agentFor(https, { ca: 'ca-1', insecureSkipVerify: true })).not.toBe(a);
  });

  it('Given more distinct settings than it keeps, Then the oldest pool is dropped and made anew', () => {
    const first = agentFor(https, { ca: 'evicted-first' });
    for (let i = 0; i < MAX_TLS_AGENTS; i++) agentFor(https, { ca: `filler-${i}` });
    expect(agentFor(https, { ca: 'evicted-first' })).not.toBe(first);
  });
});

describe('validateCaBundle', () => {
  it('Given a generated CA, Then it is accepted', () => {
    expect(validateCaBundle(makeTestPki().ca)).toBeUndefined();
  });

  it.each([
    ['empty', '', 'holds no PEM certificate'],
    ['a key, not a certificate', '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----', 'holds no PEM'],
    [
      'a broken certificate',
      '-----BEGIN CERTIFICATE-----\nnot base64 DER\n-----END CERTIFICATE-----',
      'does not parse',
    ],
  ])('Given %s, Then it says why', (_what, pem, problem) => {
    expect(validateCaBundle(pem)).toContain(problem);
  });
});
