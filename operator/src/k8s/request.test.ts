import { describe, expect, it } from 'vitest';
import { isNotFound } from '../runtime/apicall.ts';
import { ApiError } from './request.ts';

describe('ApiError', () => {
  it('Given a 404 from our own requests, Then the runtime isNotFound recognises it (one definition for both clients)', () => {
    expect(isNotFound(new ApiError('GET /x: 404 not found', 404, 'NotFound'))).toBe(true);
    expect(isNotFound(new ApiError('GET /x: 403 forbidden', 403, 'Forbidden'))).toBe(false);
    expect(isNotFound(new Error('plain'))).toBe(false);
  });
});
