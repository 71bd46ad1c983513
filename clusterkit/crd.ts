// Installs crds/ on the test cluster with server-side apply and waits until Established.
import path from 'node:path';
import { repoRoot, type ClusterInfo } from '../test/cluster/harness.ts';
import { run } from '../test/cluster/run.ts';

export async function installCrds(cluster: ClusterInfo): Promise<void> {
  const k = (args: string[]) =>
    run(cluster.kubectl, ['--kubeconfig', cluster.kubeconfig, ...args], { timeoutMs: 60_000 });
  const applied = await k(['apply', '--server-side', '--force-conflicts', '-f', path.join(repoRoot, 'crds')]);
  if (applied.code !== 0) throw new Error(`kubectl apply crds failed: ${applied.stderr}`);
  const est = await k(['wait', '--for=condition=Established', '--timeout=60s', 'crd/bluegreenservices.bluegreen.dev']);
  if (est.code !== 0) throw new Error(`CRD not Established: ${est.stderr}`);
}
