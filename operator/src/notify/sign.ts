// The webhook signature: HMAC-SHA256 of the exact body bytes with the provider's Secret key, in
// the form GitHub uses (`sha256=<hex>`), so existing verifiers work unchanged.
import { createHmac } from 'node:crypto';

export const SIGNATURE_HEADER = 'X-Bluegreen-Signature-256';

export function signature(body: string, key: string): string {
  return `sha256=${createHmac('sha256', key).update(body, 'utf8').digest('hex')}`;
}
