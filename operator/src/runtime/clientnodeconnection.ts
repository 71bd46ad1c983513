// A KubeConnection for tools and tests that already hold a client-node KubeConfig (the report
// CLI, the demo, TestKube): client-node computes each request's credentials, so everything it
// supports (exec plugins, OIDC, ...) keeps working there. The operator never loads this: it
// imports KubeConfig as a type only (test/unit/bundle.test.ts guards what the bundle holds).
import { readFileSync } from 'node:fs';
import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent, type RequestOptions } from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeConnection } from './connection.ts';

export function connectionFromClientNode(kc: KubeConfig): KubeConnection {
  const cluster = kc.getCurrentCluster();
  if (!cluster) throw new Error(`kubeconfig: context "${kc.getCurrentContext()}" names no cluster`);
  const user = kc.getCurrentUser();
  const pem = (file?: string | null, data?: string | null): Buffer | undefined =>
    file ? readFileSync(file) : data ? Buffer.from(data, 'base64') : undefined;
  const agent = cluster.server.startsWith('https:')
    ? new HttpsAgent({
        keepAlive: true,
        ca: pem(cluster.caFile, cluster.caData),
        cert: pem(user?.certFile, user?.certData),
        key: pem(user?.keyFile, user?.keyData),
        rejectUnauthorized: !cluster.skipTLSVerify,
        servername: cluster.tlsServerName,
      })
    : new HttpAgent({ keepAlive: true });
  return {
    server: cluster.server.replace(/\/+$/, ''),
    agent,
    namespace: kc.getContextObject(kc.getCurrentContext())?.namespace,
    async headers() {
      const options: RequestOptions = { headers: {} };
      await kc.applyToHTTPSOptions(options);
      const result: Record<string, string> = {};
      for (const [k, v] of Object.entries(options.headers ?? {})) if (typeof v === 'string') result[k] = v;
      if (options.auth) result['Authorization'] = `Basic ${Buffer.from(options.auth).toString('base64')}`;
      return result;
    },
  };
}
