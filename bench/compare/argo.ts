// Argo Rollouts for the side-by-side benchmark: the objects a user writes for one blue-green
// service (a Rollout plus the active and preview Services it needs, created by hand), and the
// controller as a host process confined to one namespace.
import { execFileSync, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { V1Service } from '@kubernetes/client-node';
import type { BlueGreenServiceSpec } from '../../operator/src/api/types.ts';
import type { OperatorProcess } from '../../clusterkit/operator-process.ts';
import { repoRoot } from '../../test/cluster/harness.ts';

export const ARGO_ROLLOUTS_VERSION = 'v1.10.2';

/** Builds (first time only, ~15 min cold) or finds the controller; returns its cache dir. */
export function ensureArgoRollouts(): string {
  return execFileSync('bash', [path.join(repoRoot, 'bench/compare/build-argo-rollouts.sh')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
  }).trim();
}

/** The CRD files of the release (manifests/crds, kustomization.yaml left out). */
export function argoCrdFiles(dir: string): string[] {
  return readdirSync(path.join(dir, 'crds'))
    .filter((f) => f.endsWith('-crd.yaml'))
    .map((f) => path.join(dir, 'crds', f));
}

function service(ns: string, name: string, app: string): V1Service {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: ns },
    // Argo adds rollouts-pod-template-hash to the selector itself.
    spec: { selector: { app }, ports: [{ name: 'http', port: 80, targetPort: 8080 }] },
  };
}

/** What an Argo user applies for the same service: active Service, preview Service, Rollout. */
export function argoObjects(
  ns: string,
  name: string,
  template: BlueGreenServiceSpec['template'],
  spec: { replicas: number; scaleDownDelaySeconds: number },
): { services: V1Service[]; rollout: Record<string, unknown> } {
  const app = template.metadata?.labels?.['app'] ?? name;
  return {
    services: [service(ns, name, app), service(ns, `${name}-preview`, app)],
    rollout: {
      apiVersion: 'argoproj.io/v1alpha1',
      kind: 'Rollout',
      metadata: { name, namespace: ns },
      spec: {
        replicas: spec.replicas,
        selector: { matchLabels: { app } },
        template,
        strategy: {
          blueGreen: {
            activeService: name,
            previewService: `${name}-preview`,
            autoPromotionEnabled: true,
            scaleDownDelaySeconds: spec.scaleDownDelaySeconds,
          },
        },
      },
    },
  };
}

export interface ArgoStatus {
  phase?: string;
  currentPodHash?: string;
  stableRS?: string;
  blueGreen?: { activeSelector?: string };
}

/** Healthy, and the active Service points at the current template: a finished blue-green release. */
export function argoPromoted(s: ArgoStatus | undefined): boolean {
  return (
    s?.phase === 'Healthy' &&
    !!s.currentPodHash &&
    s.stableRS === s.currentPodHash &&
    s.blueGreen?.activeSelector === s.currentPodHash
  );
}

/**
 * The controller with its release defaults (QPS 40, burst 80, 10 rollout workers) except what
 * a benchmark on a shared machine needs: one namespace, no leader election, its own ports.
 */
export function startArgoRollouts(dir: string, kubeconfig: string, ns: string, port: number): OperatorProcess {
  const child = spawn(
    path.join(dir, 'bin/rollouts-controller'),
    [
      `--kubeconfig=${kubeconfig}`,
      '--namespaced',
      `--namespace=${ns}`,
      '--leader-elect=false',
      `--metricsPort=${port}`,
      `--healthzPort=${port + 1}`,
      '--loglevel=warn',
    ],
    { env: { ...process.env, POD_NAMESPACE: ns }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const logs: string[] = [];
  const collect = (chunk: Buffer) => logs.push(...chunk.toString('utf8').split('\n').filter(Boolean));
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return {
    child,
    logs,
    name: 'argo-rollouts',
    exited,
    async stop(signal: NodeJS.Signals = 'SIGTERM') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
