// BlueGreenServices of the sample auth service for end-to-end tests on the real node. auth's
// GET /.well-known/jwks.json is a public business route: counted in http_requests_total,
// subject to fault injection, and cheap, which makes it a good steady load target.
import type { BlueGreenService, BlueGreenServiceSpec } from '../../operator/src/api/types.ts';
import { bgsManifest } from '../../clusterkit/bgs.ts';
import { SAMPLE_IMAGE } from './images.ts';

/** demo / demo-password (scrypt hash, see sample-services/dev.env). */
const AUTH_USERS = 'demo=scrypt:16384:8:1:wafkHN-VZFy8son0ij412Q:Pw1HYIJX4hwE5NXN8lZXKO-DwgrEqkLby37IGH3oVyU';

export function authBgs(
  namespace: string,
  name: string,
  version: string,
  env: Record<string, string> = {},
  spec: Partial<BlueGreenServiceSpec> = {},
): BlueGreenService {
  return bgsManifest(namespace, name, authTemplate(version, env), spec);
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
          // Tolerant of a starved CPU (this 2-core machine runs the whole cluster): a probe that
          // times out once must not take the pod out of every Service.
          readinessProbe: {
            httpGet: { path: '/readyz', port: 8080 },
            periodSeconds: 2,
            timeoutSeconds: 3,
            failureThreshold: 3,
          },
          livenessProbe: {
            httpGet: { path: '/healthz', port: 8080 },
            periodSeconds: 10,
            timeoutSeconds: 5,
            failureThreshold: 6,
          },
          resources: { requests: { cpu: '50m', memory: '64Mi' }, limits: { memory: '256Mi' } },
          securityContext: { readOnlyRootFilesystem: true, runAsNonRoot: true, allowPrivilegeEscalation: false },
        },
      ],
    },
  };
}

/** Pre-promotion analysis on the error rate of the colour under test; no traffic = no data = inconclusive. */
export function errorRateAnalysis(prometheusUrl: string, count = 2): NonNullable<BlueGreenServiceSpec['analysis']> {
  return {
    prometheus: { address: prometheusUrl, timeoutSeconds: 3 },
    prePromotion: {
      // The 5xx counter of a new pod only exists after its first error, and rate() needs two
      // scrapes of it: measuring earlier would see "no 5xx series" and pass a bad release.
      initialDelaySeconds: 20,
      intervalSeconds: 5,
      count,
      failureLimit: 0,
      inconclusiveLimit: 3,
      metrics: [
        {
          name: 'error-rate',
          // Pod labels reach every series as bluegreen_dev_* (monitoring/prometheus/prometheus.yml), so
          // the query sees exactly the pods of the colour AND revision under test, not the
          // previous release that ran in the same colour minutes ago.
          query:
            '(sum(rate(http_requests_total{namespace="{{namespace}}",bluegreen_dev_service="{{name}}",bluegreen_dev_revision="{{revision}}",code=~"5.."}[30s])) or vector(0))' +
            ' / sum(rate(http_requests_total{namespace="{{namespace}}",bluegreen_dev_service="{{name}}",bluegreen_dev_revision="{{revision}}"}[30s]))',
          max: 0.05,
        },
      ],
    },
  };
}
