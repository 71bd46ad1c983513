// The Helm chart rendered offline with the real helm binary: lint, every documented values
// combination (charts/bluegreen-operator/ci/*-values.yaml), least-privilege RBAC that matches
// the operator's API calls, the restricted pod security settings, and bad values rejected with
// the schema's message. The same combinations are sent to a real API server by
// test/e2e/chart.test.ts. Tool tier: helm must exist (test/tools/tool.sh), a missing one fails.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { parse, parseAllDocuments } from 'yaml';
import { imageArgs, kubeVersionArgs, testImageRepository } from '../support/helm-render.ts';
import { toolPath } from '../support/tools.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const chart = path.join(root, 'charts/bluegreen-operator');
const ciDir = path.join(chart, 'ci');
const appVersion = String(parse(readFileSync(path.join(chart, 'Chart.yaml'), 'utf8')).appVersion);

const helm = toolPath('helm');

interface Obj {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string };
  [k: string]: unknown;
}
interface Rule {
  apiGroups: string[];
  resources: string[];
  verbs: string[];
  resourceNames?: string[];
}

function runHelm(args: string[]) {
  const r = spawnSync(helm, args, { encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

function render(valuesFile: string, extra: string[] = []): Obj[] {
  const r = runHelm([
    'template',
    'rel',
    chart,
    '--namespace',
    'bluegreen-system',
    ...kubeVersionArgs,
    '-f',
    valuesFile,
    ...imageArgs,
    ...extra,
  ]);
  if (r.code !== 0) throw new Error(`helm template -f ${path.basename(valuesFile)} failed: ${r.stderr}`);
  return parseAllDocuments(r.stdout)
    .map((d) => d.toJS() as Obj | null)
    .filter((o): o is Obj => o !== null);
}

/** Objects without a namespace: RBAC's cluster kinds and the CRD. */
const clusterScoped = (o: Obj) => o.kind.startsWith('Cluster') || o.kind === 'CustomResourceDefinition';

const ci = (name: string) => path.join(ciDir, `${name}-values.yaml`);
const find = (objs: Obj[], kind: string, name?: string) =>
  objs.filter((o) => o.kind === kind && (!name || o.metadata.name === name));

/** Rules flattened to "group/resource[names]: verbs" lines, order-independent. */
function grants(rules: Rule[]): string[] {
  return rules
    .flatMap((r) =>
      r.resources.map(
        (res) =>
          `${r.apiGroups.join(',') || 'core'}/${res}${r.resourceNames ? `[${r.resourceNames.join(',')}]` : ''}: ${[...r.verbs].sort().join(',')}`,
      ),
    )
    .sort();
}

// What the operator calls (operator/src/k8s/*.ts, controller/informers.ts, runtime/leaseclient.ts).
const managerGrants = [
  'apps/controllerrevisions: create,delete,get,patch',
  'apps/deployments: create,list,patch,watch',
  'bluegreen.dev/bluegreenservices/finalizers: update',
  'bluegreen.dev/bluegreenservices/status: patch',
  'bluegreen.dev/bluegreenservices: list,watch',
  'core/configmaps: get',
  'core/events: create',
  'core/secrets: get',
  'core/services: create,get,list,patch,watch',
  'discovery.k8s.io/endpointslices: list,watch',
  'gateway.networking.k8s.io/httproutes: get,patch',
].sort();
const leaseGrants = (name: string) =>
  ['coordination.k8s.io/leases: create', `coordination.k8s.io/leases[${name}]: get,update`].sort();

describe('Helm chart', () => {
  const valuesFiles = readdirSync(ciDir).filter((f) => f.endsWith('-values.yaml'));

  it('Given every documented values file, helm lint --strict passes', () => {
    expect(valuesFiles.length).toBeGreaterThanOrEqual(6);
    for (const f of valuesFiles) {
      const r = runHelm(['lint', '--strict', chart, '-f', path.join(ciDir, f), ...imageArgs]);
      expect(r.code, `${f}: ${r.stdout}${r.stderr}`).toBe(0);
    }
  });

  it.each(readdirSync(ciDir).filter((f) => f.endsWith('-values.yaml')))(
    'Given %s, the Deployment runs restricted and wired for leader election',
    (f) => {
      const objs = render(path.join(ciDir, f));
      const [deploy] = find(objs, 'Deployment') as Array<Obj & { spec: any }>;
      const pod = deploy!.spec.template.spec;
      const [container] = pod.containers;
      expect(container.image).toBe(`${testImageRepository}:${appVersion}`);
      expect(container.imagePullPolicy).toBe('IfNotPresent');
      expect(pod.securityContext).toMatchObject({
        runAsNonRoot: true,
        runAsUser: 65532,
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.securityContext).toMatchObject({
        allowPrivilegeEscalation: false,
        readOnlyRootFilesystem: true,
        capabilities: { drop: ['ALL'] },
        seccompProfile: { type: 'RuntimeDefault' },
      });
      expect(container.livenessProbe.httpGet.path).toBe('/healthz');
      expect(container.readinessProbe.httpGet.path).toBe('/readyz');
      expect(container.ports).toEqual([{ name: 'metrics', containerPort: 8080, protocol: 'TCP' }]);
      expect(container.resources.requests).toBeDefined();
      const env = Object.fromEntries(
        container.env.map((e: { name: string; value?: string; valueFrom?: any }) => [
          e.name,
          e.value ?? e.valueFrom.fieldRef.fieldPath,
        ]),
      );
      expect(env).toMatchObject({ POD_NAME: 'metadata.name', POD_NAMESPACE: 'metadata.namespace', PORT: '8080' });
      // Everything namespaced lands in a namespace the chart names; nothing relies on kubectl's default.
      for (const o of objs)
        if (!clusterScoped(o)) expect(o.metadata.namespace, `${o.kind}/${o.metadata.name}`).toBeTruthy();
    },
  );

  it('Given the defaults, 2 replicas, a ClusterRole with exactly the verbs the operator uses, and a Lease Role in the release namespace', () => {
    const objs = render(ci('default'));
    expect((find(objs, 'Deployment')[0] as any).spec.replicas).toBe(2);
    expect(grants((find(objs, 'ClusterRole', 'rel-bluegreen-operator')[0] as any).rules)).toEqual(managerGrants);
    const [leaseRole] = find(objs, 'Role') as Array<Obj & { rules: Rule[] }>;
    expect(leaseRole!.metadata.namespace).toBe('bluegreen-system');
    expect(grants(leaseRole!.rules)).toEqual(leaseGrants('rel-bluegreen-operator'));
    const [lease] = find(objs, 'Lease');
    expect(lease!.metadata).toMatchObject({ name: 'rel-bluegreen-operator', namespace: 'bluegreen-system' });
    expect(find(objs, 'PodDisruptionBudget')).toHaveLength(1);
    expect(find(objs, 'ServiceMonitor')).toHaveLength(0);
  });

  it('Given watchNamespace, nothing cluster-scoped: one Role (with the Lease) and one RoleBinding in that namespace', () => {
    const objs = render(ci('namespaced'));
    expect(objs.filter((o) => o.kind.startsWith('Cluster'))).toEqual([]);
    const roles = find(objs, 'Role') as Array<Obj & { rules: Rule[] }>;
    expect(roles).toHaveLength(1);
    expect(roles[0]!.metadata.namespace).toBe('team-a');
    expect(grants(roles[0]!.rules)).toEqual([...managerGrants, ...leaseGrants('rel-bluegreen-operator')].sort());
    expect(find(objs, 'RoleBinding').map((b) => b.metadata.namespace)).toEqual(['team-a']);
    const env = (find(objs, 'Deployment')[0] as any).spec.template.spec.containers[0].env;
    expect(env).toContainEqual({ name: 'WATCH_NAMESPACE', value: 'team-a' });
    expect(env).toContainEqual({ name: 'LEADER_ELECTION_NAMESPACE', value: 'team-a' });
  });

  it('Given the Lease in another namespace, a second Role covers only that Lease', () => {
    const objs = render(ci('namespaced-lease-elsewhere'));
    const roles = find(objs, 'Role') as Array<Obj & { rules: Rule[] }>;
    expect(roles.map((r) => r.metadata.namespace).sort()).toEqual(['bluegreen-system', 'team-a']);
    expect(grants(roles.find((r) => r.metadata.namespace === 'bluegreen-system')!.rules)).toEqual(
      leaseGrants('bluegreen-leader'),
    );
    expect(grants(roles.find((r) => r.metadata.namespace === 'team-a')!.rules)).toEqual(managerGrants);
  });

  it('Given the minimal values, no Secret, ConfigMap or HTTPRoute access, no ServiceAccount, Service or dashboard', () => {
    const objs = render(ci('minimal'));
    expect(grants((find(objs, 'ClusterRole', 'rel-bluegreen-operator')[0] as any).rules)).toEqual(
      managerGrants.filter(
        (g) =>
          !g.startsWith('core/secrets') &&
          !g.startsWith('core/configmaps') &&
          !g.startsWith('gateway.networking.k8s.io/'),
      ),
    );
    expect(find(objs, 'ServiceAccount')).toEqual([]);
    expect(find(objs, 'Service')).toEqual([]);
    expect(find(objs, 'ConfigMap')).toEqual([]);
    expect((find(objs, 'Deployment')[0] as any).spec.template.spec.serviceAccountName).toBe('bluegreen-operator-byo');
  });

  it('Given notification providers, each Secret is mounted read-only and optional, the env carries names and types only, and RBAC is unchanged', () => {
    const objs = render(ci('notifications'));
    const pod = (find(objs, 'Deployment')[0] as any).spec.template.spec;
    const container = pod.containers[0];
    const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
    expect(JSON.parse(env.NOTIFICATION_PROVIDERS)).toEqual([
      {
        name: 'platform-slack',
        type: 'slack',
        events: ['AwaitingPromotion', 'Promoted', 'RolledBack', 'CanaryAborted', 'Degraded', 'Recovered'],
      },
      { name: 'audit', type: 'webhook' },
    ]);
    expect(env).toMatchObject({
      NOTIFICATION_DEFAULT_PROVIDERS: 'platform-slack',
      NOTIFICATION_SECRETS_DIR: '/etc/bluegreen-operator/notifications',
    });
    expect(container.volumeMounts).toEqual(
      expect.arrayContaining([
        { name: 'notification-0', mountPath: '/etc/bluegreen-operator/notifications/platform-slack', readOnly: true },
        { name: 'notification-1', mountPath: '/etc/bluegreen-operator/notifications/audit', readOnly: true },
      ]),
    );
    expect(pod.volumes).toEqual(
      expect.arrayContaining([
        { name: 'notification-0', secret: { secretName: 'bluegreen-notify-slack', optional: true } },
        { name: 'notification-1', secret: { secretName: 'bluegreen-notify-audit', optional: true } },
      ]),
    );
    expect(grants((find(objs, 'ClusterRole', 'rel-bluegreen-operator')[0] as any).rules)).toEqual(managerGrants);
    const defaults = (find(render(ci('default')), 'Deployment')[0] as any).spec.template.spec;
    expect(defaults.containers[0].env.map((e: { name: string }) => e.name)).not.toContain('NOTIFICATION_PROVIDERS');
    expect(defaults.volumes).toEqual([{ name: 'tmp', emptyDir: { sizeLimit: '64Mi' } }]);
  });

  it('Given a single replica without leader election, no Lease, no Lease Role, no PDB', () => {
    const objs = render(ci('single-replica'));
    expect(find(objs, 'Lease')).toEqual([]);
    expect(find(objs, 'Role')).toEqual([]);
    expect(find(objs, 'PodDisruptionBudget')).toEqual([]);
  });

  it('Given serviceMonitor on, a ServiceMonitor selects the metrics Service by its port name', () => {
    const objs = render(ci('servicemonitor'));
    const [sm] = find(objs, 'ServiceMonitor') as Array<Obj & { spec: any; metadata: any }>;
    expect(sm!.metadata.labels.release).toBe('prometheus');
    expect(sm!.spec.endpoints[0]).toMatchObject({ port: 'metrics', interval: '15s' });
    const [svc] = find(objs, 'Service') as Array<Obj & { spec: any; metadata: any }>;
    expect(svc!.spec.ports[0].name).toBe('metrics');
    for (const [k, v] of Object.entries(sm!.spec.selector.matchLabels)) expect(svc!.metadata.labels[k]).toBe(v);
  });

  it('Given serviceMonitor on, its job label is bluegreen-operator (what the alerts select) and labels are not honoured', () => {
    const [sm] = find(render(ci('servicemonitor')), 'ServiceMonitor') as Array<Obj & { spec: any }>;
    const [svc] = find(render(ci('servicemonitor')), 'Service') as Array<Obj & { metadata: any }>;
    expect(svc!.metadata.labels[sm!.spec.jobLabel]).toBe('bluegreen-operator');
    expect(sm!.spec.endpoints[0].honorLabels).toBeUndefined();
  });

  it('Given workloadPodMonitor on, a PodMonitor scrapes BlueGreenService pods with their colour, revision and service labels', () => {
    const objs = render(ci('servicemonitor'), ['--set', 'watchNamespace=team-a']);
    const [pm] = find(objs, 'PodMonitor') as Array<Obj & { spec: any; metadata: any }>;
    expect(pm!.metadata.labels.release).toBe('prometheus');
    expect(pm!.spec.podTargetLabels).toEqual([
      'bluegreen.dev/service',
      'bluegreen.dev/color',
      'bluegreen.dev/revision',
    ]);
    expect(pm!.spec.selector.matchExpressions).toContainEqual({ key: 'bluegreen.dev/color', operator: 'Exists' });
    expect(pm!.spec.namespaceSelector).toEqual({ matchNames: ['team-a'] });
    expect(pm!.spec.podMetricsEndpoints[0]).toMatchObject({ port: 'http', path: '/metrics' });
    expect(find(render(ci('default')), 'PodMonitor')).toEqual([]);
  });

  it('Given the dashboard ConfigMap, it carries the grafana_dashboard label and the JSON of monitoring/grafana/dashboards verbatim', () => {
    const [cm] = find(render(ci('default')), 'ConfigMap') as Array<
      Obj & { data: Record<string, string>; metadata: any }
    >;
    expect(cm!.metadata.labels.grafana_dashboard).toBe('1');
    const sourceDir = path.join(root, 'monitoring/grafana/dashboards');
    const sources = readdirSync(sourceDir).filter((f) => f.endsWith('.json'));
    expect(Object.keys(cm!.data).sort()).toEqual(sources.sort());
    for (const f of sources) expect(cm!.data[f], f).toBe(readFileSync(path.join(sourceDir, f), 'utf8'));
  });

  it.each([
    [['--set', 'replicaCount=0'], "at '/replicaCount': minimum"],
    [['--set', 'image.pullPolicy=Sometimes'], "at '/image/pullPolicy': value must be one of"],
    [['--set', 'watchNamespace=Team_A'], "at '/watchNamespace'"],
    [['--set', 'logLevel=verbose'], "at '/logLevel'"],
    [['--set', 'replicas=2'], "additional properties 'replicas' not allowed"],
    [['--set', 'metrics.port=80'], "at '/metrics/port': minimum"],
    [['--set', 'leaderElection.enabled=false'], 'replicaCount > 1 requires leaderElection.enabled=true'],
    [['--set', 'serviceAccount.create=false'], 'serviceAccount.name is required when serviceAccount.create is false'],
    [
      ['--set', 'image.repository=bluegreen/operator:0.1.0'],
      "at '/image/repository': 'bluegreen/operator:0.1.0' does not match pattern",
    ],
  ])('When values are %j, helm refuses with "%s"', (args, message) => {
    const r = runHelm(['template', 'rel', chart, ...kubeVersionArgs, ...imageArgs, ...args]);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain(message);
  });

  // The chart has no image of its own to default to (test/unit/chart-image.test.ts): without
  // image.repository, install and lint stop with the placeholder that says what to set.
  it.each([
    ['template', ['template', 'rel', chart, ...kubeVersionArgs]],
    ['lint', ['lint', '--strict', chart]],
  ])('When image.repository is not set, helm %s refuses naming it', (_, args) => {
    const placeholder = String(parse(readFileSync(path.join(chart, 'values.yaml'), 'utf8')).image.repository);
    const r = runHelm(args);
    expect(r.code).not.toBe(0);
    expect(`${r.stdout}${r.stderr}`).toContain(`at '/image/repository': '${placeholder}' does not match pattern`);
  });
});
