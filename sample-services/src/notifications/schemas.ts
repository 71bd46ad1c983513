import type { Schema } from '../kit/validate.ts';

export interface NotifyRequest {
  recipient: string;
  channel: 'email' | 'sms' | 'push';
  message: string;
}

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
