// How callers branch on an API error's HTTP status (404/409/410) without string matching. Our
// own requests throw ApiError (apirequest.ts) and failed watches an Error with statusCode
// (watch.ts); client-node's ApiException carries it as code, which tools and tests still meet.

/** HTTP status of an API error (statusCode, or client-node's ApiException.code), if any. */
export function statusCodeOf(err: unknown): number | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const candidate =
    (err as { code?: unknown; statusCode?: unknown }).code ?? (err as { statusCode?: unknown }).statusCode;
  return typeof candidate === 'number' ? candidate : undefined;
}

export const isNotFound = (err: unknown): boolean => statusCodeOf(err) === 404;
export const isConflict = (err: unknown): boolean => statusCodeOf(err) === 409;
export const isGone = (err: unknown): boolean => statusCodeOf(err) === 410;
