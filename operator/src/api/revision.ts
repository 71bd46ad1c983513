// A revision is a short hash of spec.template. Two equal templates always give the same
// revision, whatever the key order, so re-applying the same YAML never starts a release.
import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.ts';

export function revisionOf(template: unknown): string {
  return createHash('sha256').update(canonicalJson(template)).digest('hex').slice(0, 10);
}
