import type { Agent as HttpsAgent } from 'node:https';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { createConnection } from './connection.ts';
import { settingsFromKubeconfig, type KubeconfigIo } from './kubeconfig.ts';

const b64 = (s: string) => Buffer.from(s).toString('base64');

/** A kubeconfig with one context "c" joining cluster "k" and user "u". */
function kubeconfig(cluster: Record<string, unknown>, user: Record<string, unknown> | undefined = {}): object {
  return {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'k', cluster: { server: 'https://api.example:6443', ...cluster } }],
    users: user === undefined ? [] : [{ name: 'u', user }],
    contexts: [{ name: 'c', context: { cluster: 'k', user: 'u', namespace: 'team' } }],
    'current-context': 'c',
  };
}

/** In-memory files and a clock we move by hand. */
function fakeIo(files: Record<string, string>): KubeconfigIo & { files: Record<string, string>; t: number } {
  const io = {
    files,
    t: 0,
    read: (f: string) => {
      const text = io.files[f];
      if (text === undefined) throw new Error(`ENOENT: ${f}`);
      return text;
    },
    now: () => io.t,
  };
  return io;
}

function load(doc: object, extra: Record<string, string> = {}) {
  const io = fakeIo({ '/home/me/.kube/config': stringify(doc), ...extra });
  return { io, settings: settingsFromKubeconfig(['/home/me/.kube/config'], io) };
}

describe('settingsFromKubeconfig: what is supported', () => {
  it('reads server, the -data variants, insecure-skip-tls-verify, tls-server-name and the context namespace', () => {
    const { settings } = load(
      kubeconfig(
        { 'certificate-authority-data': b64('CA'), 'insecure-skip-tls-verify': true, 'tls-server-name': 'kubernetes' },
        { 'client-certificate-data': b64('CERT'), 'client-key-data': b64('KEY') },
      ),
    );
    expect(settings.server).toBe('https://api.example:6443');
    expect(settings.ca?.toString()).toBe('CA');
    expect(settings.cert?.toString()).toBe('CERT');
    expect(settings.key?.toString()).toBe('KEY');
    expect(settings.insecureSkipTlsVerify).toBe(true);
    expect(settings.tlsServerName).toBe('kubernetes');
    expect(settings.namespace).toBe('team');
    expect(settings.token).toBeUndefined();
    // ...and the connection's agent carries them to every TLS handshake.
    const agent = createConnection(settings).agent as HttpsAgent;
    expect(agent.options).toMatchObject({ rejectUnauthorized: false, servername: 'kubernetes', keepAlive: true });
    expect(String(agent.options.ca)).toBe('CA');
  });

  it('reads certificate-authority, client-certificate and client-key files relative to the kubeconfig', () => {
    const { settings } = load(
      kubeconfig(
        { 'certificate-authority': 'pki/ca.crt' },
        { 'client-certificate': '/abs/me.crt', 'client-key': 'pki/me.key' },
      ),
      { '/home/me/.kube/pki/ca.crt': 'CA-FILE', '/abs/me.crt': 'CERT-FILE', '/home/me/.kube/pki/me.key': 'KEY-FILE' },
    );
    expect([settings.ca, settings.cert, settings.key].map(String)).toEqual(['CA-FILE', 'CERT-FILE', 'KEY-FILE']);
    expect(settings.insecureSkipTlsVerify).toBe(false);
    expect((createConnection(settings).agent as HttpsAgent).options.rejectUnauthorized).toBe(true);
  });

  it('sends token as a bearer token', () => {
    const { settings } = load(kubeconfig({}, { token: 's3cret' }));
    expect(createConnection(settings).headers()).toEqual({ Authorization: 'Bearer s3cret' });
  });

  it('re-reads tokenFile once the token is a minute old, and prefers it over token (as client-go does)', () => {
    const { io, settings } = load(kubeconfig({}, { token: 'static', tokenFile: 'token' }), {
      '/home/me/.kube/token': 'one\n',
    });
    const conn = createConnection(settings);
    expect(conn.headers()).toEqual({ Authorization: 'Bearer one' });
    io.files['/home/me/.kube/token'] = 'two';
    io.t = 59_999;
    expect(conn.headers()).toEqual({ Authorization: 'Bearer one' });
    io.t = 60_000;
    expect(conn.headers()).toEqual({ Authorization: 'Bearer two' });
  });

  it('accepts client-node\'s spelling "token-file" too', () => {
    const { settings } = load(kubeconfig({}, { 'token-file': '/t' }), { '/t': 'tok' });
    expect(createConnection(settings).headers()).toEqual({ Authorization: 'Bearer tok' });
  });

  it('ignores entries that only describe (extensions) and fields set to null', () => {
    const { settings } = load(
      kubeconfig(
        { extensions: [{ name: 'cluster_info', extension: { provider: 'minikube.sigs.k8s.io' } }] },
        { exec: null },
      ),
    );
    expect(settings.server).toBe('https://api.example:6443');
  });

  it('connects without credentials when the context names no known user (as client-node did)', () => {
    const { settings } = load(kubeconfig({}, undefined));
    expect(createConnection(settings).headers()).toEqual({});
  });
});

describe('settingsFromKubeconfig: what is refused, by name', () => {
  it.each([
    ['cluster', 'proxy-url', { 'proxy-url': 'socks5://proxy:1080' }, {}],
    ['user', 'exec', {}, { exec: { command: 'aws', apiVersion: 'client.authentication.k8s.io/v1beta1' } }],
    ['user', 'auth-provider', {}, { 'auth-provider': { name: 'oidc', config: {} } }],
    ['user', 'username', {}, { username: 'admin', password: 'pw' }],
    ['user', 'password', {}, { password: 'pw' }],
    ['user', 'as', {}, { token: 't', as: 'someone' }],
    ['user', 'as-groups', {}, { token: 't', 'as-groups': ['g'] }],
    ['cluster', 'certificate-authority-datta', { 'certificate-authority-datta': 'typo' }, {}],
  ])('%s field %s', (kind, field, cluster, user) => {
    expect(() => load(kubeconfig(cluster, user))).toThrow(
      `kubeconfig /home/me/.kube/config: ${kind} "${kind === 'user' ? 'u' : 'k'}": ${field} is not supported; ` +
        'the operator supports in-cluster service accounts and kubeconfig users with a client certificate',
    );
  });

  it('a client certificate without its key', () => {
    expect(() => load(kubeconfig({}, { 'client-certificate-data': b64('CERT') }))).toThrow(
      'user "u": client-certificate and client-key must be given together',
    );
  });

  it('a missing current-context, a context or cluster that does not exist, a missing server', () => {
    const doc = kubeconfig({}) as Record<string, unknown>;
    expect(() => load({ ...doc, 'current-context': '' })).toThrow('current-context is not set');
    expect(() => load({ ...doc, 'current-context': 'nope' })).toThrow('current-context "nope" is not in contexts');
    expect(() => load({ ...doc, clusters: [] })).toThrow('context "c": cluster "k" is not in clusters');
    expect(() => load({ ...doc, clusters: [{ name: 'k', cluster: {} }] })).toThrow('cluster "k": server is missing');
  });

  it('a file that is not a kubeconfig', () => {
    const io = fakeIo({ '/k': '- just\n- a list\n', '/bad': 'a: [' });
    expect(() => settingsFromKubeconfig(['/k'], io)).toThrow('kubeconfig /k: expected a mapping');
    expect(() => settingsFromKubeconfig(['/bad'], io)).toThrow('kubeconfig /bad: not YAML');
  });
});

describe('settingsFromKubeconfig: several files (KUBECONFIG=a:b), merged as client-node merged them', () => {
  const first = kubeconfig({}, { token: 'first' });
  const second = {
    clusters: [{ name: 'k2', cluster: { server: 'https://second:6443' } }],
    users: [{ name: 'u2', user: { token: 'second' } }],
    contexts: [{ name: 'c2', context: { cluster: 'k2', user: 'u2' } }],
  };

  it('the last file with a current-context chooses the context; entries come from every file', () => {
    const io = fakeIo({ '/a': stringify(first), '/b': stringify({ ...second, 'current-context': 'c2' }) });
    const settings = settingsFromKubeconfig(['/a', '/b'], io);
    expect(settings.server).toBe('https://second:6443');
    expect(settings.token?.()).toBe('second');
    expect(settingsFromKubeconfig(['/b', '/a'], io).server).toBe('https://api.example:6443');
  });

  it('a cluster, user or context defined twice is an error', () => {
    const io = fakeIo({ '/a': stringify(first), '/b': stringify(first) });
    expect(() => settingsFromKubeconfig(['/a', '/b'], io)).toThrow('kubeconfig /b: duplicate cluster "k"');
  });
});
