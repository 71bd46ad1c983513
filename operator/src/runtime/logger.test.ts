import { describe, expect, it } from 'vitest';
import { describeError, errorFields } from './errors.ts';
import { createLogger } from './logger.ts';

function capture(level: 'debug' | 'info' = 'info') {
  const lines: string[] = [];
  const log = createLogger({ component: 'test' }, { level, write: (l) => lines.push(l), now: () => 0 });
  return { lines, log, parsed: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('createLogger', () => {
  it('writes one JSON line with time, level, msg and inherited fields, filtered by level', () => {
    const { lines, log: root } = capture();
    const child = root.child({ key: 'ns/a' });
    child.debug('hidden');
    child.info('reconciled', { durationMs: 3 });
    root.error('failed', { err: new Error('boom') });
    expect(lines).toHaveLength(2);
    expect(JSON.parse(lines[0] as string)).toEqual({
      time: '1970-01-01T00:00:00.000Z',
      level: 'info',
      msg: 'reconciled',
      component: 'test',
      key: 'ns/a',
      durationMs: 3,
    });
    const error = JSON.parse(lines[1] as string);
    expect(error.msg).toBe('failed');
    expect(error.err.message).toBe('boom');
  });

  it('Given caller fields named time, level or msg, Then the logger keeps its own and the caller’s as _time, _level, _msg', () => {
    const { log, parsed } = capture();
    log.child({ level: 'child-level' }).warn('real message', { msg: 'cannot override', time: 'yesterday' });
    expect(parsed()[0]).toMatchObject({
      time: '1970-01-01T00:00:00.000Z',
      level: 'warn',
      msg: 'real message',
      _msg: 'cannot override',
      _time: 'yesterday',
      _level: 'child-level',
    });
  });

  it('Given headers and secrets in fields, Then no line contains them', () => {
    const secret = 's3cr3t-bearer-token';
    const { lines, log } = capture('debug');
    log.child({ headers: { Authorization: `Bearer ${secret}` } }).info('child headers');
    log.info('nested', { prometheus: { address: 'http://p:9090', headers: { 'X-Scope-OrgID': secret } } });
    log.debug('flat', { authorization: `Bearer ${secret}`, password: secret, token: secret, secret });
    expect(lines).toHaveLength(3);
    for (const line of lines) expect(line).not.toContain(secret);
    expect(JSON.parse(lines[1] as string).prometheus).toEqual({ address: 'http://p:9090', headers: '[redacted]' });
  });

  it('rejects an unknown level, naming the option', () => {
    expect(() => createLogger({}, { level: 'verbose' as never })).toThrow(/level/);
  });

  it('survives circular fields', () => {
    const { parsed, log } = capture();
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    log.warn('odd', { loop });
    expect(parsed()[0]).toMatchObject({ level: 'warn', msg: 'odd' });
    expect(JSON.stringify(parsed()[0])).toContain('[Circular]');
  });
});

describe('describing errors', () => {
  const err = new TypeError('fetch failed', {
    cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }),
  });

  it('as log fields, with the cause where undici hides the reason', () => {
    expect(errorFields(err)).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
  });

  it('as one line, with the cause chain and every address of an AggregateError', () => {
    expect(describeError(err)).toBe('fetch failed: connect ECONNREFUSED 127.0.0.1:9');
    const many = new TypeError('fetch failed', { cause: new AggregateError([new Error('a'), new Error('b')]) });
    expect(describeError(many)).toBe('fetch failed: a / b');
    expect(describeError('plain')).toBe('plain');
  });
});
