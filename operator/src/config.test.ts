import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.ts';

describe('loadConfig', () => {
  it('Given nothing, Then documented defaults apply', () => {
    expect(loadConfig({}, [], 'host-1')).toEqual({
      namespace: undefined,
      workers: 4,
      port: 8080,
      resyncSeconds: 600,
      reconcileTimeoutSeconds: 30,
      leaderElection: true,
      leaseNamespace: 'default',
      leaseName: 'bluegreen-operator',
      identity: 'host-1',
      logLevel: 'info',
    });
  });

  it('Given env and flags, Then flags win and the lease lives in the pod namespace', () => {
    const c = loadConfig(
      { WORKERS: '2', POD_NAMESPACE: 'ops', POD_NAME: 'op-0' },
      ['--workers=8', '--watch-namespace=shop'],
      'h',
    );
    expect(c).toMatchObject({ workers: 8, namespace: 'shop', leaseNamespace: 'ops', identity: 'op-0' });
  });

  it.each([
    [{ WORKERS: '0' }, [], 'WORKERS'],
    [{ PORT: 'http' }, [], 'PORT'],
    [{ LEADER_ELECTION: 'yes' }, [], 'LEADER_ELECTION'],
    [{ LOG_LEVEL: 'loud' }, [], 'LOG_LEVEL'],
    [{}, ['-v'], '-v'],
  ])('Given %j %j, Then the error names %s', (env, argv, name) => {
    expect(() => loadConfig(env, argv, 'h')).toThrow(ConfigError);
    expect(() => loadConfig(env, argv, 'h')).toThrow(name);
  });
});
