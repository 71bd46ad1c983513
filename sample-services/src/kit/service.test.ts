import Router from '@koa/router';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { readJsonBody } from './body.ts';
import { readKitConfig } from './kit-config.ts';
import { createLogger } from './log.ts';
import { createService } from './service.ts';
import { parseMetrics } from '../../testing/stack.ts';

function echoService(env: Record<string, string> = {}) {
  const kit = readKitConfig(
    { VERSION: 'v7', COLOR: 'green', BODY_LIMIT_BYTES: '64', LOG_LEVEL: 'error', ...env },
    'echo',
  );
  const router = new Router();
  router.get('/things/:id', (ctx) => {
    ctx.body = { id: ctx.params['id'] };
  });
  router.post('/things', async (ctx) => {
    ctx.status = 201;
    ctx.body = { got: await readJsonBody(ctx, kit.bodyLimitBytes) };
  });
  router.get('/boom', () => {
    throw new Error('bug');
  });
  return createService({
    kit,
    router,
    openapi: { openapi: '3.1.0', info: { title: 'echo', version: '1' }, paths: {} },
  });
}

describe('a kit service', () => {
  it('sets identity headers on every response, including errors', async () => {
    const { app } = echoService();
    for (const path of ['/things/1', '/healthz', '/nope']) {
      const res = await request(app.callback()).get(path);
      expect(res.headers).toMatchObject({ 'x-service': 'echo', 'x-version': 'v7', 'x-color': 'green' });
    }
  });

  it('answers health, readiness, openapi and Swagger UI from the package', async () => {
    const { app } = echoService();
    const http = request(app.callback());
    expect((await http.get('/healthz')).body).toEqual({ status: 'ok' });
    expect((await http.get('/readyz')).status).toBe(200);
    expect((await http.get('/openapi.json')).body.info.title).toBe('echo');
    expect((await http.get('/docs')).headers['location']).toBe('/docs/');
    const index = await http.get('/docs/');
    expect(index.status).toBe(200);
    expect(index.text).toContain('swagger-ui-bundle.js');
    expect((await http.get('/docs/swagger-initializer.js')).text).toContain("url: '../openapi.json'");
    const css = await http.get('/docs/swagger-ui.css');
    expect([css.status, css.headers['content-type']]).toEqual([200, 'text/css; charset=utf-8']);
    expect((await http.get('/docs/..%2Fpackage.json')).status).toBe(404);
    expect((await http.post('/healthz')).status).toBe(405);
  });

  it('readiness fails while draining and when FAULT_FAIL_READINESS is set', async () => {
    const service = echoService();
    service.state.draining = true;
    const draining = await request(service.app.callback()).get('/readyz');
    expect([draining.status, draining.body.reasons]).toEqual([503, ['draining']]);
    expect(draining.headers['connection']).toBe('close');
    // The crash drill waits for the kubelet's probes to see the drain: each 503 is counted.
    expect(service.state.refusals.count).toBe(1);
    const faulty = await request(echoService({ FAULT_FAIL_READINESS: 'true' }).app.callback()).get('/readyz');
    expect([faulty.status, faulty.body.reasons]).toEqual([503, ['FAULT_FAIL_READINESS']]);
  });

  it.each([
    ['unknown route', (h: request.Agent) => h.get('/nope'), 404, 'not_found', 'no route for GET /nope'],
    [
      'wrong method',
      (h: request.Agent) => h.delete('/things'),
      405,
      'method_not_allowed',
      'DELETE is not allowed on /things; allowed: POST',
    ],
    [
      'malformed JSON',
      (h: request.Agent) => h.post('/things').set('Content-Type', 'application/json').send('{"a":'),
      400,
      'malformed_json',
      'request body is not valid JSON',
    ],
    [
      'empty body',
      (h: request.Agent) => h.post('/things').set('Content-Type', 'application/json').send(''),
      400,
      'bad_request',
      'request body is empty',
    ],
    [
      'wrong content type',
      (h: request.Agent) => h.post('/things').set('Content-Type', 'text/plain').send('hi'),
      415,
      'unsupported_media_type',
      'Content-Type must be application/json',
    ],
    [
      'oversized body',
      (h: request.Agent) => h.post('/things').send({ big: 'x'.repeat(100) }),
      413,
      'payload_too_large',
      'request body exceeds 64 bytes',
    ],
  ])('%s is a JSON 4xx naming the problem', async (_name, send, status, code, message) => {
    const res = await send(request.agent(echoService().app.callback()));
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(code);
    expect(res.body.message).toContain(message);
  });

  it('a bug is a 500 with a generic message, not a stack trace', async () => {
    const res = await request(echoService().app.callback()).get('/boom');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'internal', message: 'internal server error' });
  });

  it('counts business requests by route template, not probes', async () => {
    const service = echoService();
    const http = request(service.app.callback());
    await http.get('/things/1');
    await http.get('/things/2');
    await http.get('/nope/a/b');
    await http.get('/healthz');
    await http.get('/readyz');
    const res = await http.get('/metrics');
    expect(res.headers['content-type']).toContain('text/plain');
    const samples = parseMetrics(res.text);
    const total = samples.filter((s) => s.name === 'http_requests_total' && s.labels['code'] !== '500');
    expect(total.map((s) => s.labels)).toEqual([
      { method: 'GET', route: '/things/:id', code: '200', service: 'echo', version: 'v7', color: 'green' },
      { method: 'GET', route: 'unmatched', code: '404', service: 'echo', version: 'v7', color: 'green' },
    ]);
    expect(total.map((s) => s.value)).toEqual([2, 1]);
    const count = samples.find(
      (s) => s.name === 'http_request_duration_seconds_count' && s.labels['route'] === '/things/:id',
    );
    expect(count?.value).toBe(2);
    expect(samples.some((s) => s.name === 'http_request_duration_seconds_bucket' && s.labels['le'] === '+Inf')).toBe(
      true,
    );
    const cpu = samples.find((s) => s.name === 'process_cpu_seconds_total');
    expect(cpu?.labels).toMatchObject({ service: 'echo', version: 'v7', color: 'green' });
  });

  it("starts the 500 series of every route at 0, so rate() counts a new pod's first error", async () => {
    const service = echoService();
    const http = request(service.app.callback());
    const errors = () =>
      http
        .get('/metrics')
        .then((r) =>
          parseMetrics(r.text).filter((s) => s.name === 'http_requests_total' && s.labels['code'] === '500'),
        );
    expect((await errors()).map((s) => [s.labels['method'], s.labels['route'], s.value])).toEqual([
      ['GET', '/things/:id', 0],
      ['POST', '/things', 0],
      ['GET', '/boom', 0],
    ]);
    await http.get('/boom');
    expect((await errors()).find((s) => s.labels['route'] === '/boom')?.value).toBe(1);
  });

  it('FAULT_ERROR_RATE=1 fails business routes only; FAULT_LATENCY_MS delays them', async () => {
    const http = request(echoService({ FAULT_ERROR_RATE: '1' }).app.callback());
    const res = await http.get('/things/1');
    expect([res.status, res.body.error]).toEqual([500, 'fault_injected']);
    for (const path of ['/healthz', '/readyz', '/metrics', '/openapi.json'])
      expect((await http.get(path)).status).toBe(200);
    const slow = request(echoService({ FAULT_LATENCY_MS: '150' }).app.callback());
    const t0 = performance.now();
    expect((await slow.get('/things/1')).status).toBe(200);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(140);
    // Probes are never delayed: with a 10-minute fault latency a delayed probe could not answer
    // inside the test's timeout (a lower bound only, so a loaded machine cannot make this flaky).
    const stuck = request(echoService({ FAULT_LATENCY_MS: '600000' }).app.callback());
    expect((await stuck.get('/healthz')).status).toBe(200);
  });

  it('METRICS_ENABLED=false leaves the request counters empty', async () => {
    const service = echoService({ METRICS_ENABLED: 'false' });
    await request(service.app.callback()).get('/things/1');
    const samples = parseMetrics((await request(service.app.callback()).get('/metrics')).text);
    expect(samples.filter((s) => s.name === 'http_requests_total')).toEqual([]);
  });
});

describe('access log', () => {
  it('LOG_LEVEL=debug logs one JSON line per request with method, path, status', async () => {
    const lines: string[] = [];
    const kit = readKitConfig({ LOG_LEVEL: 'debug' }, 'echo');
    const router = new Router();
    router.get('/x', (ctx) => {
      ctx.body = {};
    });
    const service = createService({
      kit,
      router,
      openapi: {},
      log: createLogger({ service: 'echo' }, 'debug', (l) => lines.push(l)),
    });
    await request(service.app.callback()).get('/x');
    const entries = lines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries).toContainEqual(
      expect.objectContaining({
        level: 'debug',
        msg: 'request',
        method: 'GET',
        path: '/x',
        status: 200,
        service: 'echo',
      }),
    );
  });
});
