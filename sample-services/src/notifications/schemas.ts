import type { FromSchema } from 'json-schema-to-ts';
import type { Schema } from '../kit/validate.ts';

/** Derived from the schema below: what POST /notifications accepts, as validated. */
export type NotifyRequest = FromSchema<typeof NOTIFY_SCHEMA>;

export const NOTIFY_SCHEMA = {
  type: 'object',
  properties: {
    recipient: { type: 'string', minLength: 1, maxLength: 128 },
    channel: { type: 'string', enum: ['email', 'sms', 'push'] },
    message: { type: 'string', minLength: 1, maxLength: 1000 },
  },
  required: ['recipient', 'channel', 'message'],
  additionalProperties: false,
} as const satisfies Schema;
