import { describe, expect, it } from 'vitest';
import { createLogger, describeError } from './logger.ts';

describe('createLogger', () => {
  it('writes one JSON line with time, level, msg and inherited fields, filtered by level', () => {
    const lines: string[] = [];
    const root = createLogger({ component: 'test' }, { level: 'info', write: (l) => lines.push(l), now: () => 0 });
    const child = root.child({ key: 'ns/a' });
    child.debug('hidden');
    child.info('reconciled', { durationMs: 3 });
    root.error('failed', { err: new Error('boom'), msg: 'cannot override' });
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

  it('rejects an unknown level, naming the option', () => {
    expect(() => createLogger({}, { level: 'verbose' as never })).toThrow(/level/);
  });

  it('describes an error with its cause, where undici hides the reason', () => {
    const err = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }),
    });
    expect(describeError(err)).toMatchObject({ message: 'fetch failed', cause: { code: 'ECONNREFUSED' } });
  });

  it('survives circular fields', () => {
    const lines: string[] = [];
    const log = createLogger({}, { write: (l) => lines.push(l) });
    const loop: Record<string, unknown> = {};
    loop.self = loop;
    log.warn('odd', { loop });
    expect(JSON.parse(lines[0] as string).fields).toBe('[unserializable]');
  });
});
