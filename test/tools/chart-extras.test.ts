// Chart extras users expect, rendered by the real helm: view/edit ClusterRoles aggregated into
// Kubernetes' default roles, and an overridable pod and container securityContext whose
// defaults stay restricted. test/e2e/chart.test.ts checks the aggregation on a real API server.
import { describe, expect, it } from 'vitest';
import { type K8sObject, ofKind, renderChart } from '../support/helm-render.ts';

interface ClusterRole extends K8sObject {
  rules: Array<{ apiGroups: string[]; resources: string[]; verbs: string[] }>;
}
const clusterRoles = (args: string[] = []) => ofKind(renderChart(args), 'ClusterRole') as ClusterRole[];
const podSpec = (args: string[] = []) =>
  (ofKind(renderChart(args), 'Deployment')[0] as unknown as { spec: { template: { spec: Record<string, any> } } }).spec
    .template.spec;

describe('Given the defaults, BlueGreenServices join the default view, edit and admin roles', () => {
  it('Then a view role (read, status, scale) aggregates to view/edit/admin and an edit role (write) to edit/admin', () => {
    const roles = clusterRoles();
    const view = roles.find((r) => r.metadata.name === 'rel-bluegreen-operator-view')!;
    const edit = roles.find((r) => r.metadata.name === 'rel-bluegreen-operator-edit')!;
    expect(view.metadata.labels).toMatchObject({
      'rbac.authorization.k8s.io/aggregate-to-view': 'true',
      'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
      'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
    });
    expect(view.rules).toEqual([
      {
        apiGroups: ['bluegreen.dev'],
        resources: ['bluegreenservices', 'bluegreenservices/status', 'bluegreenservices/scale'],
        verbs: ['get', 'list', 'watch'],
      },
    ]);
    expect(edit.metadata.labels?.['rbac.authorization.k8s.io/aggregate-to-view']).toBeUndefined();
    expect(edit.metadata.labels).toMatchObject({
      'rbac.authorization.k8s.io/aggregate-to-edit': 'true',
      'rbac.authorization.k8s.io/aggregate-to-admin': 'true',
    });
    // Users never write status: that is the operator's record of what it did.
    expect(edit.rules.flatMap((r) => r.resources)).not.toContain('bluegreenservices/status');
    expect(edit.rules[0]!.verbs).toEqual(['create', 'update', 'patch', 'delete', 'deletecollection']);
  });

  it.each([
    [['--set', 'rbac.aggregateToDefaultRoles=false']],
    [['--set', 'watchNamespace=team-a']],
    [['--set', 'rbac.create=false']],
  ])('When %j, no aggregated role is rendered', (args) => {
    expect(clusterRoles(args).filter((r) => /-(view|edit)$/.test(r.metadata.name))).toEqual([]);
  });
});

describe('Given the securityContext values', () => {
  it('Then the defaults are the restricted settings the chart always had', () => {
    const pod = podSpec();
    expect(pod['securityContext']).toEqual({
      runAsNonRoot: true,
      runAsUser: 65532,
      runAsGroup: 65532,
      fsGroup: 65532,
      seccompProfile: { type: 'RuntimeDefault' },
    });
    expect(pod['containers'][0].securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      privileged: false,
      capabilities: { drop: ['ALL'] },
      seccompProfile: { type: 'RuntimeDefault' },
    });
  });

  it('When a platform assigns UIDs (runAsUser/runAsGroup/fsGroup null) and adds a setting, the rest stays', () => {
    const pod = podSpec([
      '--set',
      'podSecurityContext.runAsUser=null',
      '--set',
      'podSecurityContext.runAsGroup=null',
      '--set',
      'podSecurityContext.fsGroup=null',
      '--set',
      'securityContext.runAsUser=1000680000',
    ]);
    expect(pod['securityContext']).toEqual({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(pod['containers'][0].securityContext).toMatchObject({
      runAsUser: 1000680000,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
  });
});
