// One error shape for every response that is not a success:
//   { "error": "<stable code>", "message": "<human sentence naming the problem>", ...details }
// Clients' mistakes are 4xx with a message naming the field; only our own faults are 5xx.
import type { Context, Next } from 'koa';
import type { Logger } from './log.ts';

export class HttpError extends Error {
  override name = 'HttpError';
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.status = status;
    this.code = code;
    this.details = details;
  }
}

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new HttpError(400, 'bad_request', message, details);
export const unauthorized = (message: string) => new HttpError(401, 'unauthorized', message);
export const notFound = (message: string) => new HttpError(404, 'not_found', message);

const CODES_BY_STATUS: Record<number, string> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'conflict',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'unprocessable',
  501: 'not_implemented',
};

/** Koa middleware: turns thrown errors and bare 404s into the JSON error shape. */
export function errorHandler(log: Logger) {
  return async function handleErrors(ctx: Context, next: Next): Promise<void> {
    try {
      await next();
      if (ctx.body == null && ctx.status === 404) {
        throw new HttpError(404, 'not_found', `no route for ${ctx.method} ${ctx.path}`);
      }
      if (ctx.body == null && (ctx.status === 405 || ctx.status === 501)) {
        // The router's allowedMethods() answered with an empty body (and an Allow header).
        throw new HttpError(
          ctx.status,
          CODES_BY_STATUS[ctx.status]!,
          `${ctx.method} is not allowed on ${ctx.path}; allowed: ${ctx.response.get('Allow') || 'none'}`,
        );
      }
    } catch (err) {
      if (err instanceof HttpError) {
        ctx.status = err.status;
        ctx.body = { error: err.code, message: err.message, ...err.details };
      } else if (isExposedClientError(err)) {
        // Errors from Koa, the router or http-errors that are the client's fault (405, 415...).
        ctx.status = err.status;
        ctx.body = { error: CODES_BY_STATUS[err.status] ?? 'client_error', message: err.message };
      } else {
        log.error('unhandled error', { err, method: ctx.method, path: ctx.path });
        ctx.status = 500;
        ctx.body = { error: 'internal', message: 'internal server error' };
      }
      const headers = (err as { headers?: Record<string, string> }).headers;
      if (headers && typeof headers === 'object') for (const [k, v] of Object.entries(headers)) ctx.set(k, v);
    }
  };
}

function isExposedClientError(err: unknown): err is { status: number; message: string } {
  if (typeof err !== 'object' || err === null) return false;
  const status = (err as { status?: unknown }).status;
  return typeof status === 'number' && ((status >= 400 && status < 500) || status === 501);
}
