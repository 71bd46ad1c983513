// One attempt to deliver one notification to one provider. A failed delivery is an outcome,
// never a throw (only the caller's abort rejects). Nothing it reports holds the URL, the key or
// the receiver's answer: Slack and Teams put their token in the URL's path.
import type { NotificationRecord } from '../api/types.ts';
import { NoAnswerInTime, post } from './http.ts';
import { payloadFor, type NotifiedObject } from './payloads.ts';
import type { ProviderConfig } from './routing.ts';
import { readProviderSecret, SecretProblem, type ProviderSecret } from './secrets.ts';
import { SIGNATURE_HEADER, signature } from './sign.ts';

export type AttemptOutcome =
  | { kind: 'delivered'; status: number }
  /** Worth trying again: the network, a timeout, 408/425/429/5xx, a Secret not (yet) usable. */
  | { kind: 'retry'; error: string; retryAfterMs?: number }
  /** Trying again cannot help: the receiver refused it (other 4xx, 3xx: redirects are not followed). */
  | { kind: 'reject'; error: string };

export interface AttemptSettings {
  /** Where the chart mounts the providers' Secrets, one folder per provider. */
  secretsDir: string;
  timeoutMs: number;
}

const RETRIED_STATUSES = new Set([408, 425, 429]);

export function classify(status: number, retryAfterMs: number | undefined): AttemptOutcome {
  if (status >= 200 && status < 300) return { kind: 'delivered', status };
  const error = `HTTP ${status}`;
  if (status >= 500 || RETRIED_STATUSES.has(status))
    return retryAfterMs === undefined ? { kind: 'retry', error } : { kind: 'retry', error, retryAfterMs };
  return { kind: 'reject', error };
}

/** A network error by its code only (ECONNREFUSED, ENOTFOUND...): messages name the host. */
function networkError(err: unknown): string {
  if (err instanceof NoAnswerInTime) return err.message;
  const code = (err as { code?: unknown }).code;
  return `network error ${typeof code === 'string' ? code : 'without a code'}`;
}

function headersFor(
  provider: ProviderConfig,
  record: NotificationRecord,
  body: string,
  secret: ProviderSecret,
): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'bluegreen-operator',
  };
  if (provider.type !== 'webhook') return headers;
  headers['Idempotency-Key'] = record.key;
  headers['X-Bluegreen-Event'] = record.event;
  if (secret.hmacKey !== undefined) headers[SIGNATURE_HEADER] = signature(body, secret.hmacKey);
  return headers;
}

export async function attemptDelivery(
  provider: ProviderConfig,
  record: NotificationRecord,
  object: NotifiedObject,
  settings: AttemptSettings,
  signal: AbortSignal,
): Promise<AttemptOutcome> {
  let secret: ProviderSecret;
  try {
    secret = await readProviderSecret(settings.secretsDir, provider.name, signal);
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    // The Secret may be created or fixed later: retried until the horizon.
    return { kind: 'retry', error: err instanceof SecretProblem ? err.message : 'its Secret cannot be read' };
  }
  const body = payloadFor(provider.type, record, object);
  try {
    const answer = await post(secret.url, headersFor(provider, record, body, secret), body, settings.timeoutMs, signal);
    return classify(answer.status, answer.retryAfterMs);
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    return { kind: 'retry', error: networkError(err) };
  }
}
