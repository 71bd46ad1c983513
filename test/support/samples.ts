// BlueGreenServices of the sample auth service for end-to-end tests on the real node. auth's
// GET /.well-known/jwks.json is a public business route: counted in http_requests_total,
// subject to fault injection, and cheap, which makes it a good steady load target.
import type { BlueGreenService, BlueGreenServiceSpec } from '../../operator/src/api/types.ts';
import { SAMPLE_IMAGE } from './images.ts';

/** demo / demo-password (scrypt hash, see sample-services/dev.env). */
const AUTH_USERS = 'demo=scrypt:16384:8:1:wafkHN-VZFy8son0ij412Q:Pw1HYIJX4hwE5NXN8lZXKO-DwgrEqkLby37IGH3oVyU';

export function authBgs(namespace: string, name: string, version: string, env: Record<string, string> = {}, spec: Partial<BlueGreenServiceSpec> = {}): BlueGreenService {
  return {
    apiVersion: 'bluegreen.dev/v1alpha1',
    kind: 'BlueGreenService',
    metadata: { name, namespace },
    spec: {
      replicas: 2,
      scaleDownDelaySeconds: 30,
      service: { ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
      template: authTemplate(version, env),
      ...spec,
    },
  };
}

export function authTemplate(version: string, env: Record<string, string> = {}): BlueGreenServiceSpec['template'] {
  return {
    metadata: {
      labels: { app: 'auth' },
      annotations: { 'prometheus.io/scrape': 'true', 'prometheus.io/port': '8080', 'prometheus.io/path': '/metrics' },
    },
    spec: {
      terminationGracePeriodSeconds: 30,
      containers: [
        {
          name: 'auth',
          image: SAMPLE_IMAGE,
          imagePullPolicy: 'Never',
          args: ['auth'],
          ports: [{ name: 'http', containerPort: 8080 }],
          env: [
            { name: 'VERSION', value: version },
            { name: 'AUTH_USERS', value: AUTH_USERS },
            { name: 'SHUTDOWN_DELAY_SECONDS', value: '3' },
            { name: 'COLOR', valueFrom: { fieldRef: { fieldPath: "metadata.labels['bluegreen.dev/color']" } } },
            ...Object.entries(env).map(([k, v]) => ({ name: k, value: v })),
          ],
          readinessProbe: { httpGet: { path: '/readyz', port: 8080 }, periodSeconds: 1, failureThreshold: 1 },
          livenessProbe: { httpGet: { path: '/healthz', port: 8080 }, periodSeconds: 5 },
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
          securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false },
        },
      ],
    },
  } as BlueGreenServiceSpec['template'];
}

/** Pre-promotion analysis on the error rate of the colour under test; no traffic = no data = inconclusive. */
export function errorRateAnalysis(prometheusUrl: string, count = 2): NonNullable<BlueGreenServiceSpec['analysis']> {
  return {
    prometheus: { address: prometheusUrl, timeoutSeconds: 3 },
    prePromotion: {
      intervalSeconds: 5,
      count,
      failureLimit: 0,
      inconclusiveLimit: 3,
      metrics: [
        {
          name: 'error-rate',
          query:
            'sum(rate(http_requests_total{service="auth",color="{{color}}",code=~"5.."}[30s])) / sum(rate(http_requests_total{service="auth",color="{{color}}"}[30s]))',
          max: 0.05,
        },
      ],
    },
  };
}
