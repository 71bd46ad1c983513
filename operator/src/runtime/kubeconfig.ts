// Reads the connection settings of a kubeconfig's current context: the cluster's server and TLS
// fields, and a user that authenticates with a client certificate or a bearer token. That is
// what the operator needs outside a cluster (local development, the test tiers); in a cluster
// it uses its service account (incluster.ts). Everything else a kubeconfig can say about how to
// connect or authenticate (exec plugins, auth providers, basic auth, impersonation, proxies) is
// refused at startup with the field's name rather than half-honoured (ADR 0018).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import type { ConnectionSettings } from './connection.ts';
import { fileToken } from './tokenfile.ts';

const SUPPORTED =
  'the operator supports in-cluster service accounts and kubeconfig users with a client certificate ' +
  '(client-certificate[-data] + client-key[-data]) or a bearer token (token, tokenFile)';

// Fields that only describe the entry (extensions: e.g. minikube's provider note) or do not
// change what we send (we never ask for compressed responses).
const CLUSTER_FIELDS = new Set([
  'server',
  'certificate-authority',
  'certificate-authority-data',
  'insecure-skip-tls-verify',
  'tls-server-name',
  'disable-compression',
  'extensions',
]);
const USER_FIELDS = new Set([
  'client-certificate',
  'client-certificate-data',
  'client-key',
  'client-key-data',
  'token',
  'tokenFile',
  'token-file', // client-node's spelling of tokenFile
  'extensions',
]);

interface Named {
  name: string;
  /** The kubeconfig file the entry came from: relative paths are relative to its directory. */
  file: string;
  fields: Record<string, unknown>;
}

interface Merged {
  currentContext?: string;
  clusters: Map<string, Named>;
  users: Map<string, Named>;
  contexts: Map<string, Named>;
}

export interface KubeconfigIo {
  read: (file: string) => string;
  now: () => number;
}

const realIo: KubeconfigIo = { read: (f) => readFileSync(f, 'utf8'), now: Date.now };

/**
 * Settings of the current context of the given kubeconfig files, merged like client-node's
 * loadFromDefault merges KUBECONFIG's list: the first file that names a cluster, user or
 * context defines it (a second definition is an error), and the last file with a
 * current-context chooses the context.
 */
export function settingsFromKubeconfig(files: readonly string[], io: KubeconfigIo = realIo): ConnectionSettings {
  const merged: Merged = { clusters: new Map(), users: new Map(), contexts: new Map() };
  for (const file of files) mergeFile(merged, file, io.read(file));
  const where = files.join(path.delimiter);
  if (!merged.currentContext) throw new Error(`kubeconfig ${where}: current-context is not set`);
  const context = merged.contexts.get(merged.currentContext);
  if (!context) throw new Error(`kubeconfig ${where}: current-context "${merged.currentContext}" is not in contexts`);
  const clusterName = stringField(context, 'cluster');
  const userName = stringField(context, 'user');
  const cluster = clusterName === undefined ? undefined : merged.clusters.get(clusterName);
  if (!cluster)
    throw new Error(
      `kubeconfig ${context.file}: context "${context.name}": cluster "${clusterName ?? ''}" is not in clusters`,
    );
  // A context without a user, or naming none that exists, connects without credentials
  // (as client-node did).
  const user = userName === undefined ? undefined : merged.users.get(userName);
  refuseUnsupported('cluster', cluster, CLUSTER_FIELDS);
  if (user) refuseUnsupported('user', user, USER_FIELDS);

  const server = stringField(cluster, 'server');
  if (!server) throw new Error(`kubeconfig ${cluster.file}: cluster "${cluster.name}": server is missing`);
  const settings: ConnectionSettings = {
    server,
    ca: fileOrData(cluster, 'certificate-authority', io),
    insecureSkipTlsVerify: booleanField(cluster, 'insecure-skip-tls-verify'),
    tlsServerName: stringField(cluster, 'tls-server-name'),
    namespace: stringField(context, 'namespace'),
  };
  if (user) {
    settings.cert = fileOrData(user, 'client-certificate', io);
    settings.key = fileOrData(user, 'client-key', io);
    if ((settings.cert === undefined) !== (settings.key === undefined))
      throw new Error(
        `kubeconfig ${user.file}: user "${user.name}": client-certificate and client-key must be given together`,
      );
    settings.token = userToken(user, io);
  }
  return settings;
}

function mergeFile(merged: Merged, file: string, text: string): void {
  let doc: unknown;
  try {
    doc = parse(text);
  } catch (err) {
    throw new Error(`kubeconfig ${file}: not YAML: ${(err as Error).message}`, { cause: err });
  }
  if (!isRecord(doc)) throw new Error(`kubeconfig ${file}: expected a mapping (apiVersion: v1, kind: Config)`);
  const current = doc['current-context'];
  if (typeof current === 'string' && current !== '') merged.currentContext = current;
  addEntries(merged.clusters, file, doc, 'clusters', 'cluster');
  addEntries(merged.users, file, doc, 'users', 'user');
  addEntries(merged.contexts, file, doc, 'contexts', 'context');
}

function addEntries(
  into: Map<string, Named>,
  file: string,
  doc: Record<string, unknown>,
  list: string,
  inner: string,
): void {
  const entries = doc[list];
  if (entries === undefined || entries === null) return;
  if (!Array.isArray(entries)) throw new Error(`kubeconfig ${file}: ${list} must be a list`);
  entries.forEach((entry: unknown, i) => {
    if (!isRecord(entry) || typeof entry['name'] !== 'string' || entry['name'] === '')
      throw new Error(`kubeconfig ${file}: ${list}[${i}].name is missing`);
    const name = entry['name'];
    const fields = entry[inner] ?? {};
    if (!isRecord(fields)) throw new Error(`kubeconfig ${file}: ${list}[${i}].${inner} must be a mapping`);
    if (into.has(name)) throw new Error(`kubeconfig ${file}: duplicate ${inner} "${name}"`);
    into.set(name, { name, file, fields });
  });
}

function refuseUnsupported(kind: 'cluster' | 'user', entry: Named, supported: ReadonlySet<string>): void {
  for (const [field, value] of Object.entries(entry.fields)) {
    if (value === null || value === undefined || supported.has(field)) continue;
    throw new Error(`kubeconfig ${entry.file}: ${kind} "${entry.name}": ${field} is not supported; ${SUPPORTED}`);
  }
}

/** The file (relative to the kubeconfig's directory) or the base64 -data variant of a field. */
function fileOrData(entry: Named, field: string, io: KubeconfigIo): Buffer | undefined {
  const file = stringField(entry, field);
  if (file) return Buffer.from(io.read(resolvePath(entry, file)));
  const data = stringField(entry, `${field}-data`);
  return data ? Buffer.from(data, 'base64') : undefined;
}

/**
 * tokenFile is re-read as it rotates and, like client-go, wins over token when both are
 * given. client-node read only its own spelling token-file, once; we accept both spellings.
 */
function userToken(user: Named, io: KubeconfigIo): (() => string) | undefined {
  const file = stringField(user, 'tokenFile') ?? stringField(user, 'token-file');
  if (file) return fileToken(resolvePath(user, file), io.now, io.read);
  const token = stringField(user, 'token');
  return token ? () => token : undefined;
}

function resolvePath(entry: Named, file: string): string {
  return path.isAbsolute(file) ? file : path.join(path.dirname(entry.file), file);
}

function stringField(entry: Named, field: string): string | undefined {
  const value = entry.fields[field];
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string')
    throw new Error(`kubeconfig ${entry.file}: "${entry.name}": ${field} must be a string`);
  return value;
}

function booleanField(entry: Named, field: string): boolean {
  const value = entry.fields[field];
  if (value === undefined || value === null) return false;
  if (typeof value !== 'boolean')
    throw new Error(`kubeconfig ${entry.file}: "${entry.name}": ${field} must be true or false`);
  return value;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
