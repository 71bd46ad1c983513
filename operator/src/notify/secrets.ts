// A provider's URL and HMAC key, from its Secret as the chart mounts it into the operator's pod
// (Secret notifications.providers[*].secretName at <NOTIFICATION_SECRETS_DIR>/<provider>/,
// read-only). Read before every attempt, so a rotated Secret is used as soon as the kubelet has
// updated the files. Errors name the provider and the key, never a value.
import { readFile } from 'node:fs/promises';
import path from 'node:path';

export interface ProviderSecret {
  url: URL;
  hmacKey?: string;
}

/** The Secret cannot be used; the message is safe to log (it holds no value). */
export class SecretProblem extends Error {}

async function readKey(dir: string, key: string, signal: AbortSignal): Promise<string | undefined> {
  try {
    const text = (await readFile(path.join(dir, key), { encoding: 'utf8', signal })).trim();
    return text === '' ? undefined : text;
  } catch (err) {
    if (signal.aborted) throw signal.reason;
    const code = (err as { code?: unknown }).code;
    if (code === 'ENOENT') return undefined;
    throw new SecretProblem(`cannot read key "${key}" of its Secret (${typeof code === 'string' ? code : 'error'})`);
  }
}

export async function readProviderSecret(dir: string, provider: string, signal: AbortSignal): Promise<ProviderSecret> {
  const base = path.join(dir, provider);
  const raw = await readKey(base, 'url', signal);
  if (raw === undefined) throw new SecretProblem(`its Secret has no "url" key (mounted at ${base})`);
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new SecretProblem('the "url" key of its Secret is not a URL'); // URL's own message quotes the input
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:')
    throw new SecretProblem('the "url" key of its Secret is not an http(s) URL');
  const hmacKey = await readKey(base, 'hmacKey', signal);
  return hmacKey === undefined ? { url } : { url, hmacKey };
}
