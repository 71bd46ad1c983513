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
      notifications: {
        providers: [],
        defaultProviders: [],
        secretsDir: '/etc/bluegreen-operator/notifications',
        timeoutMs: 10_000,
        retryForMs: 3_600_000,
      },
    });
  });

  it('Given notification providers as the chart renders them, Then they and the defaults are read', () => {
    const c = loadConfig(
      {
        NOTIFICATION_PROVIDERS:
          '[{"name":"ops-slack","type":"slack","events":["RolledBack"]},{"name":"audit","type":"webhook"}]',
        NOTIFICATION_DEFAULT_PROVIDERS: 'ops-slack, audit',
        NOTIFICATION_TIMEOUT_SECONDS: '5',
      },
      [],
      'h',
    );
    expect(c.notifications).toMatchObject({
      providers: [
        { name: 'ops-slack', type: 'slack', events: ['RolledBack'] },
        { name: 'audit', type: 'webhook' },
      ],
      defaultProviders: ['ops-slack', 'audit'],
      timeoutMs: 5000,
    });
  });

  it.each([
    [{ NOTIFICATION_PROVIDERS: '{' }, 'NOTIFICATION_PROVIDERS must be a JSON array'],
    [{ NOTIFICATION_PROVIDERS: '[{"name":"Ops","type":"slack"}]' }, 'NOTIFICATION_PROVIDERS[0].name'],
    [{ NOTIFICATION_PROVIDERS: '[{"name":"ops","type":"email"}]' }, 'NOTIFICATION_PROVIDERS[0].type'],
    [{ NOTIFICATION_PROVIDERS: '[{"name":"ops","type":"teams","events":["Deployed"]}]' }, '"Deployed"'],
    [{ NOTIFICATION_PROVIDERS: '[{"name":"a","type":"teams"},{"name":"a","type":"slack"}]' }, '"a" twice'],
    [{ NOTIFICATION_DEFAULT_PROVIDERS: 'ops' }, 'NOTIFICATION_DEFAULT_PROVIDERS names "ops"'],
    [{ NOTIFICATION_RETRY_FOR_SECONDS: '10' }, 'NOTIFICATION_RETRY_FOR_SECONDS'],
  ])('Given %j, Then the error says %s', (env, text) => {
    expect(() => loadConfig(env, [], 'h')).toThrow(ConfigError);
    expect(() => loadConfig(env, [], 'h')).toThrow(text);
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
