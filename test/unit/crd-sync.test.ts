// crds/bluegreenservices.yaml is the single source of the schema. This test keeps its copies and
// mirrors honest:
//   - the Helm chart's files/crds/ holds byte-identical copies of every file in crds/ (its
//     templates/crds.yaml renders them, adding only the keep policy: test/tools/chart-crds.test.ts);
//   - a fully populated example spec, typed so that tsc demands every field of
//     BlueGreenServiceSpec (operator/src/api/types.ts), uses only fields the CRD declares, and
//     the CRD declares no spec field the example (hence the TypeScript type) lacks.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { V1PodTemplateSpec } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { BlueGreenServiceSpec } from '../../operator/src/api/types.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const sourceDir = path.join(root, 'crds');
const chartDir = path.join(root, 'charts/bluegreen-operator/files/crds');

/** Every optional field made required, recursively (arrays of objects included). */
type Full<T> = T extends readonly (infer U)[] ? Full<U>[] : T extends object ? { [K in keyof T]-?: Full<T[K]> } : T;
type FullSpec = Omit<Full<BlueGreenServiceSpec>, 'template'> & { template: V1PodTemplateSpec };

const analysis = {
  intervalSeconds: 10,
  count: 3,
  failureLimit: 0,
  inconclusiveLimit: 1,
  initialDelaySeconds: 5,
  metrics: [
    {
      name: 'error-rate',
      query: 'sum(rate(http_requests_total{bluegreen_dev_color="{{color}}",code=~"5.."}[1m]))',
      // Both providers' fields, for this field check only: the CRD takes exactly one of them.
      web: {
        url: 'http://{{deployment}}-endpoints.{{namespace}}:8080/slo',
        method: 'POST' as const,
        headers: [
          { name: 'X-Team', value: 'orders', valueFrom: { secretKeyRef: { name: 'slo-token', key: 'token' } } },
        ],
        body: '{"window":"5m"}',
        jsonPath: '$.errorRatio',
        timeoutSeconds: 10,
      },
      min: 0,
      max: 0.01,
    },
  ],
};

// Keep this populated with EVERY field of the spec: tsc fails when the type gains a field the
// example lacks, and the test below fails when the CRD gains one.
const fullSpec: FullSpec = {
  replicas: 3,
  previewReplicas: 1,
  activeColor: 'blue',
  template: {
    metadata: { labels: { app: 'orders' }, annotations: { 'prometheus.io/scrape': 'true' } },
    spec: { containers: [{ name: 'orders', image: 'bluegreen/sample-services:dev' }] },
  },
  service: {
    name: 'orders',
    type: 'ClusterIP',
    ports: [{ name: 'http', port: 80, targetPort: 'http', protocol: 'TCP' }],
  },
  previewService: { enabled: true, name: 'orders-preview' },
  promotion: { auto: true, delaySeconds: 30 },
  scaleDownDelaySeconds: 30,
  progressDeadlineSeconds: 600,
  analysis: {
    prometheus: {
      address: 'http://prometheus.monitoring.svc:9090',
      timeoutSeconds: 5,
      headersSecretRef: { name: 'prometheus-auth' },
      tls: {
        caSecretRef: { name: 'prometheus-ca', key: 'ca.crt' },
        caConfigMapRef: { name: 'kube-root-ca.crt', key: 'ca.crt' },
        insecureSkipVerify: false,
      },
    },
    prePromotion: analysis,
    postPromotion: analysis,
  },
  canary: {
    steps: [{ setWeight: 10, pause: { seconds: 60 }, analysis }],
    trafficRouting: { gatewayAPI: { httpRoute: 'orders' } },
  },
  notifications: [{ provider: 'team-slack', events: ['AwaitingPromotion', 'RolledBack'] }],
};

interface Schema {
  type?: string;
  properties?: Record<string, Schema>;
  items?: Schema;
  additionalProperties?: Schema | boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
}

/** Paths in value that the schema does not declare (and does not let through as unknown). */
function undeclaredPaths(schema: Schema, value: unknown, at: string): string[] {
  if (Array.isArray(value))
    return schema.items ? value.flatMap((v, i) => undeclaredPaths(schema.items!, v, `${at}[${i}]`)) : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, v]) => {
    const child =
      schema.properties?.[key] ??
      (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
    if (child) return undeclaredPaths(child, v, `${at}.${key}`);
    return schema['x-kubernetes-preserve-unknown-fields'] ? [] : [`${at}.${key}`];
  });
}

/** Paths the schema declares that value leaves out. */
function unexercisedPaths(schema: Schema, value: unknown, at: string): string[] {
  if (Array.isArray(value))
    return schema.items && value.length > 0 ? unexercisedPaths(schema.items, value[0], `${at}[0]`) : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
    const v = (value as Record<string, unknown>)[key];
    return v === undefined ? [`${at}.${key}`] : unexercisedPaths(child, v, `${at}.${key}`);
  });
}

function specSchema(): Schema {
  const crd = parse(readFileSync(path.join(sourceDir, 'bluegreenservices.yaml'), 'utf8'));
  const version = crd.spec.versions.find((v: { storage: boolean }) => v.storage);
  return version.schema.openAPIV3Schema.properties.spec;
}

describe('CRD copies', () => {
  const sources = readdirSync(sourceDir).filter((f) => f.endsWith('.yaml'));

  it('Given crds/, the chart holds a byte-identical copy of every file', () => {
    expect(sources.length).toBeGreaterThan(0);
    for (const file of sources) {
      const chartCopy = readFileSync(path.join(chartDir, file), 'utf8');
      expect(
        chartCopy,
        `charts/bluegreen-operator/files/crds/${file} drifted from crds/${file}: cp crds/${file} charts/bluegreen-operator/files/crds/`,
      ).toBe(readFileSync(path.join(sourceDir, file), 'utf8'));
    }
  });

  it('Given the chart, it holds no CRD that crds/ does not have', () => {
    expect(readdirSync(chartDir).sort()).toEqual(sources.sort());
  });
});

describe('CRD schema and the TypeScript spec type', () => {
  it('Given the fully populated example, every field is declared by the CRD schema', () => {
    expect(undeclaredPaths(specSchema(), fullSpec, 'spec')).toEqual([]);
  });

  it('Given the CRD schema, every declared spec field is in the example (so in BlueGreenServiceSpec)', () => {
    expect(unexercisedPaths(specSchema(), fullSpec, 'spec')).toEqual([]);
  });

  it('When a field is misspelled, the walker reports its path (the check can fail)', () => {
    const typo = { ...fullSpec, promotion: { auto: true, delay: 3 } };
    expect(undeclaredPaths(specSchema(), typo, 'spec')).toEqual(['spec.promotion.delay']);
    const { progressDeadlineSeconds: _, ...missing } = fullSpec;
    expect(unexercisedPaths(specSchema(), missing, 'spec')).toEqual(['spec.progressDeadlineSeconds']);
  });
});
