// The order in which the operator finds its API server: client-node's loadFromDefault order.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultConnectionSettings } from './defaultconnection.ts';

const dir = mkdtempSync(path.join(os.tmpdir(), 'defaultconnection-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function kubeconfigAt(file: string, server: string): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(
    file,
    JSON.stringify({
      clusters: [{ name: 'k', cluster: { server } }],
      users: [{ name: 'u', user: { token: 't' } }],
      contexts: [{ name: 'c', context: { cluster: 'k', user: 'u' } }],
      'current-context': 'c',
    }),
  );
  return file;
}

const home = path.join(dir, 'home');
kubeconfigAt(path.join(home, '.kube', 'config'), 'https://home:6443');
const listed = kubeconfigAt(path.join(dir, 'listed'), 'https://listed:6443');
const sa = path.join(dir, 'sa');
mkdirSync(sa);
writeFileSync(path.join(sa, 'token'), 'sa-token');
writeFileSync(path.join(sa, 'ca.crt'), 'CA');
const inCluster = { KUBERNETES_SERVICE_HOST: '10.96.0.1', KUBERNETES_SERVICE_PORT: '443' };

describe('defaultConnectionSettings', () => {
  it('1. KUBECONFIG, even in a pod with a service account and a home kubeconfig', () => {
    const found = defaultConnectionSettings({
      env: { KUBECONFIG: listed, HOME: home, ...inCluster },
      serviceAccountDir: sa,
    });
    expect([found.source, found.settings.server]).toEqual(['kubeconfig', 'https://listed:6443']);
  });

  it('2. ~/.kube/config when KUBECONFIG is unset or empty', () => {
    const found = defaultConnectionSettings({
      env: { KUBECONFIG: '', HOME: home, ...inCluster },
      serviceAccountDir: sa,
    });
    expect([found.source, found.settings.server]).toEqual(['kubeconfig', 'https://home:6443']);
  });

  it('3. the service account when neither exists', () => {
    const found = defaultConnectionSettings({
      env: { HOME: path.join(dir, 'nohome'), ...inCluster },
      serviceAccountDir: sa,
    });
    expect([found.source, found.settings.server]).toEqual(['in-cluster', 'https://10.96.0.1:443']);
  });

  it('4. http://localhost:8080 without credentials when nothing is found (client-node did the same)', () => {
    const found = defaultConnectionSettings({ env: {}, serviceAccountDir: path.join(dir, 'nosa') });
    expect([found.source, found.settings.server, found.settings.token]).toEqual([
      'localhost',
      'http://localhost:8080',
      undefined,
    ]);
  });

  it('a KUBECONFIG file that cannot be read is an error naming it, not a fall-through', () => {
    expect(() => defaultConnectionSettings({ env: { KUBECONFIG: path.join(dir, 'missing') } })).toThrow('missing');
  });
});
