// The providers of one analysis round, built just before it with fresh reads of what they need
// from the namespace: the Prometheus headers Secret and CA bundle (spec.analysis.prometheus),
// and the Secrets that web check headers name. Nothing is cached: a rotated token or CA is used
// from the next round on.
//
// A Secret or ConfigMap that is missing or not readable is the user's to fix: it becomes an
// unavailable provider (or a header problem) whose measurements are inconclusive and name it
// (visible in status), instead of a silent retry loop. Other errors (API server unavailable)
// are thrown, and the reconcile is retried without recording a measurement.
import type { TlsSettings } from '../analysis/agents.ts';
import { unavailableProvider, type MetricProvider } from '../analysis/prometheus.ts';
import { needsPrometheus, type RoundProviders } from '../analysis/round.ts';
import type { MetricSpec } from '../analysis/types.ts';
import { WebClient, type RoundSecrets } from '../analysis/web.ts';
import { resolveSpec, type ResolvedPrometheusTls } from '../api/defaults.ts';
import type { BlueGreenService } from '../api/types.ts';
import { ApiError } from '../k8s/request.ts';
import type { MeasurementRequest } from '../planner/types.ts';
import { describeError } from '../runtime/errors.ts';
import type { ClusterReader, ProviderFactory, WebProviderFactory } from './ports.ts';

export interface ProviderDeps {
  reader: ClusterReader;
  prometheus: ProviderFactory;
  /** Unset: the real web client. */
  web?: WebProviderFactory | undefined;
}

export async function roundProviders(
  bgs: BlueGreenService,
  req: MeasurementRequest,
  deps: ProviderDeps,
  signal: AbortSignal,
): Promise<RoundProviders> {
  const namespace = bgs.metadata.namespace!;
  const [prometheus, secrets] = await Promise.all([
    needsPrometheus(req.metrics)
      ? prometheusProvider(bgs, req, deps, signal)
      : unavailableProvider('no metric of this round is a Prometheus query'),
    webHeaderSecrets(namespace, req.metrics, deps.reader, signal),
  ]);
  const web = deps.web ?? ((s: RoundSecrets) => new WebClient(s));
  return { prometheus, web: web(secrets) };
}

async function prometheusProvider(
  bgs: BlueGreenService,
  req: MeasurementRequest,
  deps: ProviderDeps,
  signal: AbortSignal,
): Promise<MetricProvider> {
  const namespace = bgs.metadata.namespace!;
  const secret = req.prometheus.headersSecret;
  const [headers, tls] = await Promise.all([
    secret === undefined
      ? {}
      : readOrProblem(
          () => deps.reader.readSecret(namespace, secret, signal),
          `headers Secret ${namespace}/${secret} (spec.analysis.prometheus.headersSecretRef)`,
        ),
    // Transport settings do not change what the planner decides: read from the same object.
    tlsSettings(namespace, resolveSpec(bgs).prometheus?.tls, deps.reader, signal),
  ]);
  if (typeof headers === 'string') return unavailableProvider(headers);
  if (typeof tls === 'string') return unavailableProvider(tls);
  try {
    return deps.prometheus(req.prometheus, headers, tls);
  } catch (err) {
    // E.g. a header value with a newline or a CA bundle that is not PEM: the user's to fix.
    return unavailableProvider(`cannot build the Prometheus client: ${describeError(err)}`);
  }
}

/** The CA bundle and verification flag, or why the bundle cannot be had. */
async function tlsSettings(
  namespace: string,
  tls: ResolvedPrometheusTls | undefined,
  reader: ClusterReader,
  signal: AbortSignal,
): Promise<TlsSettings | undefined | string> {
  if (tls === undefined) return undefined;
  if (tls.ca === undefined) return { insecureSkipVerify: tls.insecureSkipVerify };
  const { kind, name, key } = tls.ca;
  const field = kind === 'Secret' ? 'caSecretRef' : 'caConfigMapRef';
  const what = `CA bundle ${kind} ${namespace}/${name} (spec.analysis.prometheus.tls.${field})`;
  const read =
    kind === 'Secret'
      ? () => reader.readSecret(namespace, name, signal)
      : reader.readConfigMap
        ? () => reader.readConfigMap!(namespace, name, signal)
        : undefined;
  if (read === undefined) return `${what} cannot be read: this operator reads no ConfigMaps`;
  const data = await readOrProblem(read, what);
  if (typeof data === 'string') return data;
  const ca = data[key];
  if (ca === undefined) return `${what} has no key ${JSON.stringify(key)}`;
  return { ca, insecureSkipVerify: tls.insecureSkipVerify };
}

/** Each Secret named by a web check header of this round, read once. */
async function webHeaderSecrets(
  namespace: string,
  metrics: readonly MetricSpec[],
  reader: ClusterReader,
  signal: AbortSignal,
): Promise<RoundSecrets> {
  const names = new Set(
    metrics.flatMap((m) => (m.web?.headers ?? []).flatMap((h) => h.valueFrom?.secretKeyRef.name ?? [])),
  );
  const read = await Promise.all(
    [...names].map(async (name) => {
      const data = await readOrProblem(() => reader.readSecret(namespace, name, signal), `Secret ${namespace}/${name}`);
      return [name, data] as const;
    }),
  );
  return new Map(read);
}

/** The object's data, or a sentence naming `what` when it is missing (404) or forbidden (403). */
async function readOrProblem(
  read: () => Promise<Record<string, string>>,
  what: string,
): Promise<Record<string, string> | string> {
  try {
    return await read();
  } catch (err) {
    if (!(err instanceof ApiError) || (err.statusCode !== 404 && err.statusCode !== 403)) throw err;
    return err.statusCode === 404 ? `${what} not found` : `${what} is not readable by the operator: ${err.message}`;
  }
}
