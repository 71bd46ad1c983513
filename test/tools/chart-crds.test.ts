// The chart's CRD template (templates/crds.yaml) rendered by the real helm: it is exactly
// crds/bluegreenservices.yaml (the single source; the chart's files/crds copy is checked
// byte for byte by test/unit/crd-sync.test.ts) plus the keep policy, and the switches work.
// test/e2e/chart-crd-upgrade.test.ts shows upgrade and uninstall on a real API server.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { chartDir, ofKind, renderChart } from '../support/helm-render.ts';

const source = parse(readFileSync(path.join(chartDir, '../../crds/bluegreenservices.yaml'), 'utf8')) as {
  metadata: { annotations?: Record<string, string> };
};
const crds = (args: string[] = []) => ofKind(renderChart(args), 'CustomResourceDefinition');

describe('Given the chart renders its CRD as a template', () => {
  it('Then by default it is crds/bluegreenservices.yaml plus helm.sh/resource-policy: keep, nothing else', () => {
    const [crd, ...more] = crds();
    expect(more).toEqual([]);
    const { annotations, ...metadata } = crd!.metadata;
    expect(annotations).toEqual({ 'helm.sh/resource-policy': 'keep' });
    expect({ ...crd, metadata }).toEqual(source);
  });

  it('When crds.install=false, no CRD is rendered', () => {
    expect(crds(['--set', 'crds.install=false'])).toEqual([]);
  });

  it('When crds.keep=false, the keep policy is gone; crds.annotations are added', () => {
    const [crd] = crds(['--set', 'crds.keep=false', '--set', 'crds.annotations.team=platform']);
    expect(crd!.metadata.annotations).toEqual({ team: 'platform' });
  });

  it('When the chart is rendered for Kubernetes 1.27, helm refuses (kubeVersion >=1.28.0-0); 1.28 and a provider build of 1.30 pass', () => {
    expect(() => renderChart(['--kube-version', '1.27.9'])).toThrow(/kubeVersion|incompatible/i);
    expect(crds(['--kube-version', '1.28.0'])).toHaveLength(1);
    expect(crds(['--kube-version', 'v1.30.2-eks-1234'])).toHaveLength(1);
  });
});
