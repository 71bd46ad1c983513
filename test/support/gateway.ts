// The Gateway API side of the exact-weights e2e scenario (docs/adr/0017): Traefik v3 as a host
// process (its kubernetesGateway provider reads the cluster through KUBECONFIG; it proxies to pod
// IPs, which the host reaches on the real node), and the objects a user writes: a GatewayClass
// for Traefik, a Gateway whose listener port is Traefik's entry point, and an HTTPRoute naming
// the active and preview Services of a BlueGreenService.
import { spawn, type ChildProcess } from 'node:child_process';
import { waitFor } from '../../clusterkit/wait.ts';

export interface TraefikProcess {
  /** The last lines it printed, for failure messages. */
  logs: string[];
  stop(): Promise<void>;
}

/** Traefik with one entry point on loopback, watching only `namespace` for Gateway API objects. */
export function startTraefik(o: { bin: string; kubeconfig: string; port: number; namespace: string }): TraefikProcess {
  const proc: ChildProcess = spawn(
    o.bin,
    [
      `--entryPoints.web.address=127.0.0.1:${o.port}`,
      '--providers.kubernetesGateway=true',
      `--providers.kubernetesGateway.namespaces=${o.namespace}`,
      // Configuration changes (a new weight) are applied at once: the default throttle is 2 s,
      // which would hide the operator's abort time behind the gateway's.
      '--providers.providersThrottleDuration=0s',
      '--global.checkNewVersion=false',
      '--global.sendAnonymousUsage=false',
      '--log.level=INFO',
    ],
    // KUBERNETES_SERVICE_HOST would make it look for an in-cluster config.
    {
      env: { PATH: process.env['PATH'] ?? '', HOME: process.env['HOME'] ?? '/root', KUBECONFIG: o.kubeconfig },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  const logs: string[] = [];
  for (const s of [proc.stdout!, proc.stderr!])
    s.on('data', (d: Buffer) => {
      logs.push(...d.toString().split('\n').filter(Boolean));
      logs.splice(0, Math.max(0, logs.length - 300));
    });
  return {
    logs,
    async stop() {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
      proc.kill('SIGTERM');
      await Promise.race([
        exited,
        waitFor(async () => ({ done: proc.exitCode !== null || proc.signalCode !== null, seen: 'running' }), {
          what: 'traefik to exit',
          timeoutMs: 15_000,
          intervalMs: 200,
        }).catch(() => proc.kill('SIGKILL')),
      ]);
    },
  };
}

/** GatewayClass (cluster-scoped: its name is unique per run), Gateway and HTTPRoute, as a user writes them. */
export function gatewayObjects(o: {
  className: string;
  namespace: string;
  port: number;
  route: string;
  stableService: string;
  canaryService: string;
  servicePort: number;
}): object[] {
  return [
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'GatewayClass',
      metadata: { name: o.className },
      spec: { controllerName: 'traefik.io/gateway-controller' },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'Gateway',
      metadata: { name: 'web', namespace: o.namespace },
      spec: {
        gatewayClassName: o.className,
        // Traefik binds a listener to the entry point with the same port.
        listeners: [{ name: 'web', protocol: 'HTTP', port: o.port, allowedRoutes: { namespaces: { from: 'Same' } } }],
      },
    },
    {
      apiVersion: 'gateway.networking.k8s.io/v1',
      kind: 'HTTPRoute',
      metadata: { name: o.route, namespace: o.namespace },
      spec: {
        parentRefs: [{ name: 'web' }],
        rules: [
          {
            backendRefs: [
              { name: o.stableService, port: o.servicePort, weight: 100 },
              { name: o.canaryService, port: o.servicePort, weight: 0 },
            ],
          },
        ],
      },
    },
  ];
}
