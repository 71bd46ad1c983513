import { describe, expect, it } from 'vitest';
import { createConnection } from './connection.ts';
import { inClusterSettings, type InClusterIo } from './incluster.ts';

const SA = '/var/run/secrets/kubernetes.io/serviceaccount';
const TOKEN = `${SA}/token`;
const CA = `${SA}/ca.crt`;

function fakeIo(files: Record<string, string>): InClusterIo & { files: Record<string, string>; t: number } {
  const io = {
    files,
    t: 0,
    read: (f: string) => {
      const text = io.files[f];
      if (text === undefined) throw new Error(`ENOENT: ${f}`);
      return text;
    },
    exists: (f: string) => f in io.files,
    now: () => io.t,
  };
  return io;
}

const mounted = () =>
  fakeIo({ [`${SA}/token`]: 'token-1', [`${SA}/ca.crt`]: 'CA', [`${SA}/namespace`]: 'bluegreen-system' });

describe('inClusterSettings', () => {
  it('reaches the API server named by the service environment with the service account CA, token and namespace', () => {
    const settings = inClusterSettings(
      { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' },
      SA,
      mounted(),
    );
    expect(settings.server).toBe('https://10.96.0.1:443');
    expect(settings.ca?.toString()).toBe('CA');
    expect(settings.namespace).toBe('bluegreen-system');
    expect(createConnection(settings).headers()).toEqual({ Authorization: 'Bearer token-1' });
  });

  it.each([
    ['fd00::1', '443', 'https://[fd00::1]:443'],
    ['api', '8080', 'http://api:8080'],
    ['api', '80', 'http://api:80'],
    ['api', '8001', 'http://api:8001'],
    ['api', '6443', 'https://api:6443'],
  ])('host %s port %s -> %s (client-node loadFromCluster rules)', (host, port, server) => {
    const env = { KUBERNETES_SERVICE_HOST: host, KUBERNETES_SERVICE_PORT: port };
    expect(inClusterSettings(env, SA, mounted()).server).toBe(server);
  });

  it('re-reads the rotating token once it is a minute old', () => {
    const io = mounted();
    const conn = createConnection(
      inClusterSettings({ KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '443' }, SA, io),
    );
    io.files[`${SA}/token`] = 'token-2';
    io.t = 30_000;
    expect(conn.headers()).toEqual({ Authorization: 'Bearer token-1' });
    io.t = 60_000;
    expect(conn.headers()).toEqual({ Authorization: 'Bearer token-2' });
    // A failed re-read (the file being replaced) keeps the last token rather than failing requests.
    io.files = Object.fromEntries(Object.entries(io.files).filter(([f]) => f !== TOKEN));
    io.t = 120_000;
    expect(conn.headers()).toEqual({ Authorization: 'Bearer token-2' });
  });

  it('is a clear error without the service environment variables or the CA', () => {
    expect(() => inClusterSettings({}, SA, mounted())).toThrow(
      'in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set',
    );
    const io = mounted();
    io.files = Object.fromEntries(Object.entries(io.files).filter(([f]) => f !== CA));
    expect(() => inClusterSettings({ KUBERNETES_SERVICE_HOST: 'h', KUBERNETES_SERVICE_PORT: '443' }, SA, io)).toThrow(
      'ca.crt',
    );
  });
});
