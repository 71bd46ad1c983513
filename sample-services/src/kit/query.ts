import type { Context } from 'koa';
import { HttpError } from './errors.ts';

/** The router's path parameter `name` (Koa types ctx.params as any). */
export function pathParam(ctx: Context, name: string): string {
  const params = ctx['params'] as Record<string, string> | undefined;
  return params?.[name] ?? '';
}

/** ?limit=N for list endpoints: absent means `fallback`; anything but an integer in 1..max is a 400. */
export function listLimit(ctx: Context, fallback = 50, max = 500): number {
  const raw = ctx.query['limit'];
  if (raw === undefined) return fallback;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > max) {
    throw new HttpError(400, 'invalid_query', `query parameter limit must be an integer in 1..${max}`);
  }
  return n;
}
