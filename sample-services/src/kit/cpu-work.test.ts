import Router from '@koa/router';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { ConfigError } from './config.ts';
import { burnCpu, workMs } from './cpu-work.ts';
import { HttpError } from './errors.ts';
import { readKitConfig } from './kit-config.ts';
import { createService } from './service.ts';
import { parseMetrics } from '../../testing/stack.ts';

function service(env: Record<string, string> = {}) {
  const router = new Router();
  router.get('/cheap', (ctx) => {
    ctx.body = { ok: true };
  });
  return createService({
    kit: readKitConfig({ COLOR: 'blue', LOG_LEVEL: 'error', ...env }, 'echo'),
    router,
    openapi: { openapi: '3.1.0', info: { title: 'echo', version: '1' }, paths: { '/cheap': {} } },
  });
}

describe('burnCpu', () => {
  it('Given a clock, When asked for 30 ms, Then it polls the clock until 30 ms passed (busy, never sleeping)', () => {
    let t = 1000;
    let reads = 0;
    const spent = burnCpu(30, () => {
      reads++;
      return (t += 0.5);
    });
    expect(spent).toBeGreaterThanOrEqual(30);
    expect(reads).toBeGreaterThanOrEqual(60);
  });
});

describe('workMs', () => {
  it.each([['0'], ['101'], ['abc'], ['1.5'], ['-3'], [''], [undefined], [['5', '6']]])(
    'rejects ms=%j with a 400 naming the parameter',
    (raw) => {
      const err = (() => {
        try {
          workMs(raw, 100);
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      expect(err).toBeInstanceOf(HttpError);
      expect((err as HttpError).status).toBe(400);
      expect((err as HttpError).message).toContain('parameter ms must be an integer in 1..100');
    },
  );

  it('accepts 1 and the maximum', () => {
    expect(workMs('1', 100)).toBe(1);
    expect(workMs('100', 100)).toBe(100);
  });
});

describe('GET /work on a kit service', () => {
  it('Given CPU_WORK_MAX_MS unset, Then the route does not exist and the OpenAPI document omits it', async () => {
    const http = request(service().app.callback());
    expect((await http.get('/work?ms=5')).status).toBe(404);
    expect(Object.keys((await http.get('/openapi.json')).body.paths)).toEqual(['/cheap']);
  });

  it('Given CPU_WORK_MAX_MS=20, Then ?ms=5 burns at least 5 ms, is counted as a business route and documented', async () => {
    const http = request(service({ CPU_WORK_MAX_MS: '20' }).app.callback());
    const res = await http.get('/work?ms=5');
    expect(res.status).toBe(200);
    expect(res.body.burnedMs).toBeGreaterThanOrEqual(5);
    expect(res.headers['x-color']).toBe('blue');
    const tooMuch = await http.get('/work?ms=21');
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.body.message).toContain('ms must be an integer in 1..20');
    const counted = parseMetrics((await http.get('/metrics')).text).filter(
      (s) => s.name === 'http_requests_total' && s.labels['route'] === '/work',
    );
    expect(counted.map((s) => [s.labels['code'], s.value])).toEqual([
      ['500', 0],
      ['200', 1],
      ['400', 1],
    ]);
    const doc = (await http.get('/openapi.json')).body;
    expect(doc.paths['/work'].get.parameters[0]).toMatchObject({ name: 'ms', schema: { maximum: 20 } });
    expect(doc.paths['/cheap']).toEqual({});
  });

  it('rejects CPU_WORK_MAX_MS above 1000 naming the variable', () => {
    expect(() => readKitConfig({ CPU_WORK_MAX_MS: '5000' }, 'echo')).toThrow(ConfigError);
    expect(() => readKitConfig({ CPU_WORK_MAX_MS: '5000' }, 'echo')).toThrow(/CPU_WORK_MAX_MS must be an integer/);
  });
});
