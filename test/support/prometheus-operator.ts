// Objects of the Prometheus Operator e2e scenario (test/e2e/prometheus-operator.test.ts): the
// auth sample as documented, pointed at the operator-managed Prometheus; that Prometheus with
// the RBAC its Kubernetes discovery needs; and the doc's own {{podRegex}} query.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../cluster/harness.ts';
import { SAMPLE_IMAGE } from './images.ts';

const deployDir = path.join(repoRoot, 'sample-services/deploy');

/** The auth sample as documented, in `ns`, analysed by the Prometheus in `opNs`. */
export function authManifests(ns: string, opNs: string): string {
  return ['00-namespace.yaml', '01-config.yaml', '10-auth.yaml']
    .map((f) =>
      readFileSync(path.join(deployDir, f), 'utf8')
        .replaceAll('bluegreen-samples', ns)
        .replaceAll('bluegreen/sample-services:0.1.0', SAMPLE_IMAGE)
        .replaceAll('http://prometheus.monitoring.svc:9090', `http://prometheus-operated.${opNs}.svc:9090`),
    )
    .join('\n---\n');
}

/**
 * docs/monitoring.md's copy-paste query that needs no relabelling ({{podRegex}}), taken from the
 * doc itself so that the doc is what gets tested.
 */
export function documentedPodRegexQuery(): string {
  const doc = readFileSync(path.join(repoRoot, 'docs/monitoring.md'), 'utf8');
  const m = /^\s*query: '([^']*\{\{podRegex\}\}[^']*)'$/m.exec(doc);
  if (!m) throw new Error('docs/monitoring.md has no {{podRegex}} query');
  return m[1]!;
}

export function prometheusObjects(o: {
  opNs: string;
  promName: string;
  promRbac: string;
  tools: Record<string, string>;
}): string {
  const { opNs, promName, promRbac, tools } = o;
  const inOurNamespaces = {
    matchExpressions: [{ key: 'kubernetes.io/metadata.name', operator: 'In', values: [opNs] }],
  };
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'prometheus', namespace: opNs } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: promRbac },
      rules: [
        { apiGroups: [''], resources: ['pods', 'services', 'endpoints'], verbs: ['get', 'list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['get', 'list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: promRbac },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: promRbac },
      subjects: [{ kind: 'ServiceAccount', name: 'prometheus', namespace: opNs }],
    },
    {
      apiVersion: 'monitoring.coreos.com/v1',
      kind: 'Prometheus',
      metadata: { name: promName, namespace: opNs },
      spec: {
        image: tools['PROMETHEUS_IMAGE'],
        version: tools['PROMETHEUS_VERSION'],
        replicas: 1,
        serviceAccountName: 'prometheus',
        scrapeInterval: '5s',
        evaluationInterval: '5s',
        // Every monitor of the release namespace, whatever its labels (kube-prometheus-stack
        // would ask for release: <name>; the chart's *.labels values add it).
        serviceMonitorSelector: {},
        podMonitorSelector: {},
        serviceMonitorNamespaceSelector: inOurNamespaces,
        podMonitorNamespaceSelector: inOurNamespaces,
        resources: { requests: { cpu: '50m', memory: '128Mi' } },
      },
    },
  ]
    .map((o) => JSON.stringify(o))
    .join('\n---\n');
}
