// Which API server the operator talks to, chosen in the order client-node's loadFromDefault
// used (so nothing changes for users who relied on it): the files in KUBECONFIG, else
// ~/.kube/config, else the pod's service account, else http://localhost:8080 without
// credentials. (client-node's extra Windows/WSL lookups are left out: the operator runs on Linux.)
import { existsSync } from 'node:fs';
import path from 'node:path';
import { createConnection, type ConnectionSettings, type KubeConnection } from './connection.ts';
import { inClusterSettings, SERVICE_ACCOUNT_DIR } from './incluster.ts';
import { settingsFromKubeconfig } from './kubeconfig.ts';

export interface DefaultConnectionOptions {
  env?: Readonly<Record<string, string | undefined>>;
  exists?: (file: string) => boolean;
  serviceAccountDir?: string;
}

/** Where the settings come from, for the start-up log line. */
export type ConnectionSource = 'kubeconfig' | 'in-cluster' | 'localhost';

export function defaultConnectionSettings(options: DefaultConnectionOptions = {}): {
  source: ConnectionSource;
  files?: string[];
  settings: ConnectionSettings;
} {
  const env = options.env ?? process.env;
  const exists = options.exists ?? existsSync;
  const saDir = options.serviceAccountDir ?? SERVICE_ACCOUNT_DIR;
  const listed = (env['KUBECONFIG'] ?? '').split(path.delimiter).filter(Boolean);
  if (listed.length > 0) return { source: 'kubeconfig', files: listed, settings: settingsFromKubeconfig(listed) };
  const home = env['HOME'];
  const homeConfig = home ? path.join(home, '.kube', 'config') : undefined;
  if (homeConfig && exists(homeConfig))
    return { source: 'kubeconfig', files: [homeConfig], settings: settingsFromKubeconfig([homeConfig]) };
  if (exists(`${saDir}/token`)) return { source: 'in-cluster', settings: inClusterSettings(env, saDir) };
  return { source: 'localhost', settings: { server: 'http://localhost:8080' } };
}

/** The connection for one kubeconfig file (tests and tools that hold its path). */
export function connectionFromKubeconfigFile(file: string): KubeConnection {
  return createConnection(settingsFromKubeconfig([file]));
}
