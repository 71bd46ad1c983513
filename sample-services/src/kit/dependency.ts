// Calls to another service: a timeout per attempt, a bounded number of retries with backoff,
// the caller's bearer token forwarded, and an Idempotency-Key on every attempt so a retry after
// a lost response never does the work twice. Failures become the gateway errors a client can
// act on: 504 when the dependency is too slow, 502 when it errors or cannot be reached.
import { HttpError } from './errors.ts';

export interface DependencyOptions {
  name: string;
  baseUrl: string;
  timeoutMs: number;
  /** Retries after the first attempt (0 = one attempt). */
  retries: number;
  backoffMs?: number;
}

export interface CallOptions {
  method: 'GET' | 'POST';
  path: string;
  body?: unknown;
  token: string;
  idempotencyKey?: string;
}

const RETRYABLE_STATUS = new Set([429, 500, 502, 503, 504]);

export function createDependency(opts: DependencyOptions) {
  const backoffMs = opts.backoffMs ?? 50;
  return async function call<T>(req: CallOptions): Promise<T> {
    let last:
      { kind: 'timeout' } | { kind: 'network'; message: string } | { kind: 'status'; status: number; body: unknown } = {
      kind: 'network',
      message: 'not attempted',
    };
    const attempts = opts.retries + 1;
    for (let attempt = 0; attempt < attempts; attempt++) {
      if (attempt > 0) await sleep(backoffMs * 2 ** (attempt - 1) * (0.5 + Math.random()));
      const headers: Record<string, string> = { Authorization: `Bearer ${req.token}`, Accept: 'application/json' };
      if (req.body !== undefined) headers['Content-Type'] = 'application/json';
      if (req.idempotencyKey) headers['Idempotency-Key'] = req.idempotencyKey;
      let res: Response;
      try {
        res = await fetch(`${opts.baseUrl}${req.path}`, {
          method: req.method,
          headers,
          body: req.body === undefined ? undefined : JSON.stringify(req.body),
          signal: AbortSignal.timeout(opts.timeoutMs),
        });
      } catch (err) {
        const e = err as Error;
        last = e.name === 'TimeoutError' ? { kind: 'timeout' } : { kind: 'network', message: causeOf(e) };
        continue;
      }
      let body: unknown;
      try {
        body = await res.json();
      } catch {
        body = undefined;
      }
      if (res.ok) return body as T;
      last = { kind: 'status', status: res.status, body };
      if (!RETRYABLE_STATUS.has(res.status)) break;
    }
    const details = { dependency: opts.name };
    const tries = `${attempts} attempt(s)`;
    switch (last.kind) {
      case 'timeout':
        throw new HttpError(
          504,
          'dependency_timeout',
          `${opts.name} did not answer within ${opts.timeoutMs} ms (${tries})`,
          details,
        );
      case 'network':
        throw new HttpError(
          502,
          'dependency_unreachable',
          `${opts.name} is unreachable: ${last.message} (${tries})`,
          details,
        );
      case 'status': {
        const message = messageOf(last.body);
        // The caller's token was refused downstream (e.g. expired meanwhile): that is still the caller's 401.
        if (last.status === 401) throw new HttpError(401, 'unauthorized', `${opts.name} refused the token: ${message}`);
        throw new HttpError(502, 'dependency_failed', `${opts.name} answered ${last.status}: ${message} (${tries})`, {
          ...details,
          dependencyStatus: last.status,
        });
      }
    }
  };
}

export type Dependency = ReturnType<typeof createDependency>;

function messageOf(body: unknown): string {
  const m = (body as { message?: unknown } | undefined)?.message;
  return typeof m === 'string' ? m : 'no error message';
}

function causeOf(err: Error): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  return cause?.code ?? cause?.message ?? err.message;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
