// How errors are described, in one place: as one line for status messages and Events, and as
// fields for log lines. Both walk the cause chain, because fetch()/undici report network
// failures as TypeError("fetch failed") with the useful part (ECONNREFUSED, an AggregateError
// when several addresses failed) in `cause`.

/** "fetch failed: connect ECONNREFUSED 127.0.0.1:9090": the messages of the cause chain, deduplicated. */
export function describeError(err: unknown): string {
  const parts: string[] = [];
  let current: unknown = err;
  for (let depth = 0; current !== undefined && current !== null && depth < 4; depth++) {
    if (current instanceof AggregateError && current.errors.length > 0) {
      parts.push(current.errors.map((e: unknown) => describeError(e)).join(' / '));
      break;
    }
    if (current instanceof Error) {
      const code = (current as Error & { code?: unknown }).code;
      const text = current.message || (typeof code === 'string' ? code : current.name);
      if (text !== '' && !parts.includes(text)) parts.push(text);
      current = current.cause;
    } else {
      parts.push(typeof current === 'string' ? current : (JSON.stringify(current) ?? typeof current));
      break;
    }
  }
  return parts.join(': ');
}

/** An error as log fields: name, message, HTTP or errno code, the cause, the top of the stack. */
export function errorFields(err: Error): Record<string, unknown> {
  const out: Record<string, unknown> = { name: err.name, message: err.message };
  const code = (err as { code?: unknown; statusCode?: unknown }).code ?? (err as { statusCode?: unknown }).statusCode;
  if (code !== undefined) out.code = code;
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    out.cause = { message: describeError(cause), code: (cause as { code?: unknown }).code };
  }
  if (err.stack) out.stack = err.stack.split('\n').slice(0, 6).join('\n');
  return out;
}
