// The API request layer the writers use; the implementation is generic and lives in runtime/
// (leader election and the informers' lists use it too).
import { ApiError } from '../runtime/apirequest.ts';

export { ApiError, requestJson, type RequestOptions } from '../runtime/apirequest.ts';
export type { KubeConnection } from '../runtime/connection.ts';

export function isNotFound(err: unknown): boolean {
  return err instanceof ApiError && err.statusCode === 404;
}
