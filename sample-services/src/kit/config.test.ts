import { describe, expect, it } from 'vitest';
import { ConfigError, optional, parse, required } from './config.ts';
import { readKitConfig } from './kit-config.ts';

describe('configuration from env', () => {
  it('uses documented defaults when unset or empty', () => {
    const kit = readKitConfig({ PORT: '' }, 'orders');
    expect(kit).toMatchObject({
      port: 8080,
      version: 'dev',
      color: 'none',
      shutdownDelayMs: 5000,
      maxConnectionAgeMs: 1000,
      metricsEnabled: true,
    });
    expect(kit.faults).toEqual({
      errorRate: 0,
      latencyMs: 0,
      failReadiness: false,
      crashAfterMs: 0,
      crashDrainProbes: 3,
    });
  });

  it('reads every shared variable', () => {
    const kit = readKitConfig(
      {
        PORT: '9000',
        VERSION: 'v2',
        COLOR: 'green',
        SHUTDOWN_DELAY_SECONDS: '1.5',
        FAULT_ERROR_RATE: '0.25',
        FAULT_LATENCY_MS: '30',
        FAULT_FAIL_READINESS: 'true',
        FAULT_CRASH_AFTER_SECONDS: '25',
        FAULT_CRASH_DRAIN_PROBES: '5',
      },
      'orders',
    );
    expect(kit).toMatchObject({ port: 9000, version: 'v2', color: 'green', shutdownDelayMs: 1500 });
    expect(kit.faults).toEqual({
      errorRate: 0.25,
      latencyMs: 30,
      failReadiness: true,
      crashAfterMs: 25_000,
      crashDrainProbes: 5,
    });
  });

  it.each([
    ['PORT', 'abc', 'PORT must be an integer in 0..65535, got "abc"'],
    ['PORT', '70000', 'PORT must be an integer in 0..65535, got "70000"'],
    ['FAULT_ERROR_RATE', '2', 'FAULT_ERROR_RATE must be a number in 0..1, got "2"'],
    ['FAULT_FAIL_READINESS', 'maybe', 'FAULT_FAIL_READINESS must be true or false, got "maybe"'],
    ['FAULT_CRASH_AFTER_SECONDS', 'later', 'FAULT_CRASH_AFTER_SECONDS must be a number in 0..86400'],
    ['COLOR', 'blue green', 'COLOR must be a Kubernetes label value'],
    ['LOG_LEVEL', 'loud', 'LOG_LEVEL must be one of debug, info, warn, error, got "loud"'],
    ['SHUTDOWN_DELAY_SECONDS', '-1', 'SHUTDOWN_DELAY_SECONDS must be a number in 0..300'],
    ['MAX_CONNECTION_AGE_SECONDS', 'soon', 'MAX_CONNECTION_AGE_SECONDS must be a number in 0..3600'],
  ])('%s=%s is refused with a message naming it', (name, value, message) => {
    expect(() => readKitConfig({ [name]: value }, 'orders')).toThrow(ConfigError);
    expect(() => readKitConfig({ [name]: value }, 'orders')).toThrow(message);
  });

  it('required variables name themselves when missing', () => {
    expect(() => required({}, 'PAYMENTS_URL', parse.url())).toThrow('PAYMENTS_URL is required but not set');
    expect(() => required({ PAYMENTS_URL: 'ftp://x' }, 'PAYMENTS_URL', parse.url())).toThrow(
      'PAYMENTS_URL must be an absolute http(s) URL',
    );
    expect(required({ PAYMENTS_URL: 'http://p:8080/' }, 'PAYMENTS_URL', parse.url())).toBe('http://p:8080');
  });

  it('lists parse every item', () => {
    const list = parse.list(parse.string({ pattern: /^[A-Z]{3}$/, what: 'ISO codes' }));
    expect(optional({ C: 'EUR, USD' }, 'C', list, [])).toEqual(['EUR', 'USD']);
    expect(() => optional({ C: 'EUR,usd' }, 'C', list, [])).toThrow('C must be ISO codes, got "usd"');
  });
});
