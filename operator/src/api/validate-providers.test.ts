// Web checks and the Prometheus transport as the operator validates them (the CRD's rules
// repeated, plus what CEL cannot see): each problem names its field; an invalid spec changes
// nothing (plan.ts).
import { describe, expect, it } from 'vitest';
import { bgs } from '../planner/fixtures.ts';
import { resolveSpec } from './defaults.ts';
import type { BlueGreenServiceSpec, MetricSpecInput, PrometheusTlsInput, WebMetricInput } from './types.ts';
import { validateSpec } from './validate.ts';

const https = 'https://prometheus.monitoring:9090';
const web: WebMetricInput = { url: 'http://{{deployment}}-endpoints.{{namespace}}:8080/slo', jsonPath: '$.errorRatio' };
const withMetric = (metric: Partial<MetricSpecInput>): Partial<BlueGreenServiceSpec> => ({
  analysis: { prometheus: { address: https }, prePromotion: { metrics: [{ name: 'm', max: 1, ...metric }] } },
});
const withTls = (tls: PrometheusTlsInput, address = https): Partial<BlueGreenServiceSpec> => ({
  analysis: { prometheus: { address, tls } },
});
const problems = (spec: Partial<BlueGreenServiceSpec>) =>
  validateSpec(bgs(spec)).map((e) => `${e.field}: ${e.message}`);

const at = 'spec.analysis.prePromotion.metrics[0]';

describe('validateSpec: a metric is a query or a web check', () => {
  it.each<[string, Partial<BlueGreenServiceSpec>, string[]]>([
    ['a query', withMetric({ query: 'up' }), []],
    ['a web check', withMetric({ web }), []],
    [
      'a POST web check with a body and headers',
      withMetric({
        web: {
          ...web,
          method: 'POST',
          body: '{}',
          headers: [
            { name: 'X-Team', value: 'orders' },
            { name: 'Authorization', valueFrom: { secretKeyRef: { name: 'slo', key: 'token' } } },
          ],
          timeoutSeconds: 20,
        },
      }),
      [],
    ],
    ['neither', withMetric({}), [`${at}: exactly one of query or web must be set`]],
    ['both', withMetric({ query: 'up', web }), [`${at}: exactly one of query or web must be set`]],
    [
      'a URL with an unknown variable',
      withMetric({ web: { ...web, url: 'http://{{pod}}/x' } }),
      [
        `${at}.web.url: unknown template variable "{{pod}}"; known variables: color, revision, name, namespace, service, deployment, podRegex`,
      ],
    ],
    [
      'a relative URL',
      withMetric({ web: { ...web, url: '/slo' } }),
      [`${at}.web.url: must be an absolute http(s) URL, got "/slo"`],
    ],
    [
      'a body with GET',
      withMetric({ web: { ...web, body: '{}' } }),
      [`${at}.web.body: is sent only with method POST or PUT`],
    ],
    [
      'a JSONPath that is not RFC 9535',
      withMetric({ web: { ...web, jsonPath: '$.a[' } }),
      [expect.stringContaining(`${at}.web.jsonPath: jsonPath "$.a[" is not valid RFC 9535 JSONPath`) as string],
    ],
    [
      'a timeout past 20 s',
      withMetric({ web: { ...web, timeoutSeconds: 30 } }),
      [`${at}.web.timeoutSeconds: must be an integer from 1 to 20, got 30`],
    ],
    [
      'a header with both value and valueFrom',
      withMetric({
        web: { ...web, headers: [{ name: 'A', value: 'x', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] },
      }),
      [`${at}.web.headers[0]: exactly one of value or valueFrom must be set`],
    ],
    [
      'a header name with a space',
      withMetric({ web: { ...web, headers: [{ name: 'X Team', value: 'x' }] } }),
      [`${at}.web.headers[0].name: must be an HTTP header name, got "X Team"`],
    ],
  ])('%s', (_name, spec, expected) => {
    expect(problems(spec)).toEqual(expected);
  });
});

describe('validateSpec: spec.analysis.prometheus.tls', () => {
  const t = 'spec.analysis.prometheus.tls';
  it.each<[string, Partial<BlueGreenServiceSpec>, string[]]>([
    ['a CA Secret', withTls({ caSecretRef: { name: 'prom-ca' } }), []],
    ['a CA ConfigMap with a key', withTls({ caConfigMapRef: { name: 'kube-root-ca.crt', key: 'ca.crt' } }), []],
    ['skipping verification alone', withTls({ insecureSkipVerify: true }), []],
    [
      'tls on http',
      withTls({ insecureSkipVerify: false }, 'http://p:9090'),
      [`${t}: applies only to an https:// address`],
    ],
    [
      'both refs',
      withTls({ caSecretRef: { name: 'a' }, caConfigMapRef: { name: 'b' } }),
      [`${t}: at most one of caSecretRef or caConfigMapRef may be set`],
    ],
    [
      'a CA and skipping verification',
      withTls({ caSecretRef: { name: 'a' }, insecureSkipVerify: true }),
      [`${t}.insecureSkipVerify: must not be true with a CA bundle ref (the CA would be ignored)`],
    ],
    [
      'an empty key',
      withTls({ caSecretRef: { name: 'a', key: '' } }),
      [`${t}.caSecretRef.key: must not be empty (unset means ca.crt)`],
    ],
  ])('%s', (_name, spec, expected) => {
    expect(problems(spec)).toEqual(expected);
  });
});

describe('resolveSpec: providers', () => {
  it('Given a web check, Then the planner sees its URL as the query and the rest, defaulted, as web', () => {
    const spec = resolveSpec(bgs(withMetric({ web })));
    expect(spec.prePromotion?.metrics[0]).toEqual({
      name: 'm',
      max: 1,
      query: web.url,
      web: { method: 'GET', headers: [], jsonPath: '$.errorRatio', timeoutMs: 10_000 },
    });
  });

  it.each<[string, PrometheusTlsInput | undefined, unknown]>([
    ['no tls', undefined, undefined],
    [
      'a CA Secret, key unset',
      { caSecretRef: { name: 'ca' } },
      { ca: { kind: 'Secret', name: 'ca', key: 'ca.crt' }, insecureSkipVerify: false },
    ],
    [
      'a CA ConfigMap',
      { caConfigMapRef: { name: 'bundle', key: 'trust.pem' } },
      { ca: { kind: 'ConfigMap', name: 'bundle', key: 'trust.pem' }, insecureSkipVerify: false },
    ],
    ['skip verification', { insecureSkipVerify: true }, { insecureSkipVerify: true }],
  ])('Given %s, Then the transport is resolved with verification on unless asked', (_n, tls, expected) => {
    const spec = resolveSpec(bgs(tls ? withTls(tls) : { analysis: { prometheus: { address: https } } }));
    expect(spec.prometheus?.tls).toEqual(expected);
  });
});
