// Settings for a process running in a pod: the API server from the service environment
// variables and the pod's service account (token, CA, namespace) from the files the kubelet
// mounts. Same server URL rules as client-node's loadFromCluster (plain http on ports
// 80/8080/8001, IPv6 hosts in brackets); the token is re-read as it rotates (tokenfile.ts).
import { existsSync, readFileSync } from 'node:fs';
import { isIPv6 } from 'node:net';
import type { ConnectionSettings } from './connection.ts';
import { fileToken } from './tokenfile.ts';

export const SERVICE_ACCOUNT_DIR = '/var/run/secrets/kubernetes.io/serviceaccount';

export interface InClusterIo {
  read: (file: string) => string;
  exists: (file: string) => boolean;
  now: () => number;
}

const realIo: InClusterIo = { read: (f) => readFileSync(f, 'utf8'), exists: existsSync, now: Date.now };

export function inClusterSettings(
  env: Readonly<Record<string, string | undefined>>,
  dir: string = SERVICE_ACCOUNT_DIR,
  io: InClusterIo = realIo,
): ConnectionSettings {
  const host = env['KUBERNETES_SERVICE_HOST'];
  const port = env['KUBERNETES_SERVICE_PORT'];
  if (!host || !port)
    throw new Error(`in-cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set (found ${dir}/token)`);
  const scheme = port === '80' || port === '8080' || port === '8001' ? 'http' : 'https';
  const namespaceFile = `${dir}/namespace`;
  return {
    server: `${scheme}://${isIPv6(host) ? `[${host}]` : host}:${port}`,
    ca: Buffer.from(io.read(`${dir}/ca.crt`)),
    token: fileToken(`${dir}/token`, io.now, io.read),
    namespace: io.exists(namespaceFile) ? io.read(namespaceFile).trim() : undefined,
  };
}
