// The Prometheus client against a local HTTPS server whose certificate a generated CA signed:
// trust comes only from spec.analysis.prometheus.tls (the CA bundle), never from skipping
// verification by default.
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTestPki } from '../../../test/support/test-ca.ts';
import type { TlsSettings } from './agents.ts';
import { PrometheusClient } from './prometheus.ts';
import type { QueryOutcome } from './types.ts';

const pki = makeTestPki();
const otherCa = makeTestPki('some-other-ca').ca;
let server: Server;
let address: string;

beforeAll(async () => {
  server = createServer({ cert: pki.cert, key: pki.key }, (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({ status: 'success', data: { resultType: 'vector', result: [{ metric: {}, value: [1, '7'] }] } }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

function query(tls: TlsSettings | undefined): Promise<QueryOutcome> {
  const client = new PrometheusClient({ address, timeoutMs: 5000, ...(tls ? { tls } : {}) });
  return client.runQuery('up', AbortSignal.timeout(10_000));
}

describe('Given Prometheus behind HTTPS with a certificate from a private CA', () => {
  it('When the client trusts that CA, Then the query is answered', async () => {
    expect(await query({ ca: pki.ca })).toEqual({ kind: 'value', value: 7 });
  });

  it('When the client has no TLS settings, Then the certificate is refused (an error outcome naming why)', async () => {
    const outcome = await query(undefined);
    expect(outcome.kind).toBe('error');
    expect(outcome.kind === 'error' && outcome.message).toMatch(/certificate/i);
  });

  it('When the client trusts another CA, Then the certificate is refused', async () => {
    const outcome = await query({ ca: otherCa });
    expect(outcome.kind).toBe('error');
    expect(outcome.kind === 'error' && outcome.message).toMatch(/certificate/i);
  });

  it('When insecureSkipVerify is explicitly false, Then it is refused as without settings', async () => {
    expect((await query({ insecureSkipVerify: false })).kind).toBe('error');
  });

  it('When insecureSkipVerify is true, Then any certificate is accepted', async () => {
    expect(await query({ insecureSkipVerify: true })).toEqual({ kind: 'value', value: 7 });
  });

  it('When the CA bundle is not PEM, Then the client refuses to be built, naming the bundle', () => {
    expect(() => new PrometheusClient({ address, timeoutMs: 5000, tls: { ca: 'not a certificate' } })).toThrow(
      /CA bundle holds no PEM certificate/,
    );
  });
});
