import type { FromSchema } from 'json-schema-to-ts';
import type { Schema } from '../kit/validate.ts';

export const LOGIN_SCHEMA = {
  type: 'object',
  properties: {
    username: { type: 'string', minLength: 1, maxLength: 64 },
    password: { type: 'string', minLength: 1, maxLength: 256 },
  },
  required: ['username', 'password'],
  additionalProperties: false,
} as const satisfies Schema;

export const VERIFY_SCHEMA = {
  type: 'object',
  properties: { token: { type: 'string', minLength: 1, maxLength: 4096 } },
  required: ['token'],
  additionalProperties: false,
} as const satisfies Schema;

export type LoginRequest = FromSchema<typeof LOGIN_SCHEMA>;
export type VerifyRequest = FromSchema<typeof VERIFY_SCHEMA>;
