// What a round's providers are built from: fresh reads of the headers Secret, the CA bundle
// (Secret or ConfigMap) and the web header Secrets, each problem naming the object and field.
import { describe, expect, it } from 'vitest';
import type { TlsSettings } from '../analysis/agents.ts';
import type { MetricProvider } from '../analysis/prometheus.ts';
import type { MetricSpec, QueryOutcome } from '../analysis/types.ts';
import type { RoundSecrets } from '../analysis/web.ts';
import type { PrometheusTlsInput } from '../api/types.ts';
import { ApiError } from '../k8s/request.ts';
import { bgs } from '../planner/fixtures.ts';
import type { MeasurementRequest } from '../planner/types.ts';
import type { ClusterReader } from './ports.ts';
import { roundProviders, type ProviderDeps } from './providers.ts';

const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----';
const query: MetricSpec = { name: 'errors', query: 'up', max: 1 };
const webMetric = (secret: string): MetricSpec => ({
  name: `slo-${secret}`,
  query: 'http://127.0.0.1:1/slo',
  max: 1,
  web: {
    method: 'GET',
    jsonPath: '$.v',
    timeoutMs: 1000,
    headers: [{ name: 'Authorization', valueFrom: { secretKeyRef: { name: secret, key: 'token' } } }],
  },
});

type Objects = Record<string, Record<string, string> | ApiError>;

function fakeReader(secrets: Objects, configMaps?: Objects): ClusterReader & { reads: string[] } {
  const reads: string[] = [];
  const get = (kind: string, objects: Objects, name: string) => {
    reads.push(`${kind}/${name}`);
    const found = objects[name];
    if (found instanceof ApiError) return Promise.reject(found);
    return found ? Promise.resolve(found) : Promise.reject(new ApiError(`${kind} "${name}" not found`, 404));
  };
  return {
    reads,
    readSecret: (_ns, name) => get('Secret', secrets, name),
    ...(configMaps ? { readConfigMap: (_ns: string, name: string) => get('ConfigMap', configMaps, name) } : {}),
    getService: () => Promise.resolve(undefined),
    getKeptTemplate: () => Promise.resolve(undefined),
    getHTTPRoute: () => Promise.resolve(undefined),
  };
}

interface Built {
  headers: Record<string, string>;
  tls: TlsSettings | undefined;
}

async function build(
  reader: ClusterReader,
  opts: { tls?: PrometheusTlsInput; headersSecret?: string; metrics?: MetricSpec[]; throwOnBuild?: boolean } = {},
) {
  const built: Built[] = [];
  const webSecrets: RoundSecrets[] = [];
  const object = bgs({
    analysis: {
      prometheus: {
        address: 'https://prometheus.monitoring:9090',
        ...(opts.tls ? { tls: opts.tls } : {}),
      },
    },
  });
  const req: MeasurementRequest = {
    stage: 'PrePromotion',
    color: 'green',
    revision: 'abc',
    metrics: opts.metrics ?? [query],
    prometheus: {
      address: 'https://prometheus.monitoring:9090',
      timeoutMs: 5000,
      ...(opts.headersSecret ? { headersSecret: opts.headersSecret } : {}),
    },
  };
  const answer: MetricProvider = { runQuery: async () => ({ kind: 'value', value: 0 }) };
  const deps: ProviderDeps = {
    reader,
    prometheus: (_settings, headers, tls) => {
      if (opts.throwOnBuild) throw new TypeError('header "X" has an invalid name or value');
      built.push({ headers, tls });
      return answer;
    },
    web: (secrets) => {
      webSecrets.push(secrets);
      return { runCheck: async () => ({ kind: 'value', value: 0 }) };
    },
  };
  const providers = await roundProviders(object, req, deps, AbortSignal.timeout(5000));
  const outcome: QueryOutcome = await providers.prometheus.runQuery('up', AbortSignal.timeout(5000));
  return { built, webSecrets, outcome, message: outcome.kind === 'value' ? '' : outcome.message };
}

const NS = bgs({}).metadata.namespace!;

describe('Given a round with a Prometheus query', () => {
  it('When a CA Secret is named (key unset), Then the client trusts its ca.crt and verifies', async () => {
    const { built } = await build(fakeReader({ 'prom-ca': { 'ca.crt': PEM } }), {
      tls: { caSecretRef: { name: 'prom-ca' } },
    });
    expect(built).toEqual([{ headers: {}, tls: { ca: PEM, insecureSkipVerify: false } }]);
  });

  it('When a CA ConfigMap and key are named, Then the client trusts that key', async () => {
    const reader = fakeReader({}, { bundle: { 'trust.pem': PEM } });
    const { built } = await build(reader, { tls: { caConfigMapRef: { name: 'bundle', key: 'trust.pem' } } });
    expect(built[0]?.tls).toEqual({ ca: PEM, insecureSkipVerify: false });
    expect(reader.reads).toEqual(['ConfigMap/bundle']);
  });

  it('When only insecureSkipVerify is set, Then nothing is read and verification is off', async () => {
    const reader = fakeReader({});
    const { built } = await build(reader, { tls: { insecureSkipVerify: true } });
    expect(built[0]?.tls).toEqual({ insecureSkipVerify: true });
    expect(reader.reads).toEqual([]);
  });

  it('When no tls is set, Then the client gets no TLS settings (Node’s trust store)', async () => {
    const { built } = await build(fakeReader({}));
    expect(built[0]?.tls).toBeUndefined();
  });

  it.each<[string, ClusterReader, PrometheusTlsInput, string]>([
    [
      'the CA Secret is missing',
      fakeReader({}),
      { caSecretRef: { name: 'prom-ca' } },
      `CA bundle Secret ${NS}/prom-ca (spec.analysis.prometheus.tls.caSecretRef) not found`,
    ],
    [
      'the CA ConfigMap is forbidden',
      fakeReader({}, { bundle: new ApiError('configmaps "bundle" is forbidden', 403) }),
      { caConfigMapRef: { name: 'bundle' } },
      `CA bundle ConfigMap ${NS}/bundle (spec.analysis.prometheus.tls.caConfigMapRef) is not readable by the operator: configmaps "bundle" is forbidden`,
    ],
    [
      'the key is missing',
      fakeReader({ 'prom-ca': { 'tls.crt': PEM } }),
      { caSecretRef: { name: 'prom-ca' } },
      'has no key "ca.crt"',
    ],
    [
      'the reader cannot read ConfigMaps',
      fakeReader({}),
      { caConfigMapRef: { name: 'bundle' } },
      'cannot be read: this operator reads no ConfigMaps',
    ],
  ])('When %s, Then every query is inconclusive naming it and no client is built', async (_w, reader, tls, text) => {
    const { built, outcome, message } = await build(reader, { tls });
    expect(built).toEqual([]);
    expect(outcome.kind).toBe('error');
    expect(message).toContain(text);
  });

  it('When the headers Secret is missing, Then the queries are inconclusive naming it', async () => {
    const { message } = await build(fakeReader({}), { headersSecret: 'prom-auth' });
    expect(message).toBe(`headers Secret ${NS}/prom-auth (spec.analysis.prometheus.headersSecretRef) not found`);
  });

  it('When the client cannot be built from the settings, Then the queries are inconclusive saying why', async () => {
    const { message } = await build(fakeReader({}), { throwOnBuild: true });
    expect(message).toBe('cannot build the Prometheus client: header "X" has an invalid name or value');
  });

  it('When the API server fails otherwise, Then the round is not taken (the reconcile retries)', async () => {
    const reader = fakeReader({ 'prom-ca': new ApiError('etcdserver: request timed out', 500) });
    await expect(build(reader, { tls: { caSecretRef: { name: 'prom-ca' } } })).rejects.toThrow('etcdserver');
  });
});

describe('Given a round with web checks', () => {
  it('When only web checks run, Then no Prometheus client is built nor its Secrets read', async () => {
    const reader = fakeReader({ slo: { token: 't' } });
    const { built, message } = await build(reader, { headersSecret: 'prom-auth', metrics: [webMetric('slo')] });
    expect(built).toEqual([]);
    expect(message).toContain('no metric of this round is a Prometheus query');
    expect(reader.reads).toEqual(['Secret/slo']);
  });

  it('When headers name Secrets, Then each is read once and handed over, a missing one as its problem', async () => {
    const reader = fakeReader({ slo: { token: 't' } });
    const metrics = [webMetric('slo'), { ...webMetric('slo'), name: 'again' }, webMetric('gone')];
    const { webSecrets } = await build(reader, { metrics });
    expect(reader.reads.sort()).toEqual(['Secret/gone', 'Secret/slo']);
    expect(Object.fromEntries(webSecrets[0]!)).toEqual({
      slo: { token: 't' },
      gone: `Secret ${NS}/gone not found`,
    });
  });
});
