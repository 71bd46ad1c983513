import type { Schema } from '../kit/validate.ts';

export interface AuthorizeRequest {
  orderId: string;
  amountCents: number;
  currency: string;
}

export function authorizeSchema(config: { currencies: readonly string[]; maxAmountCents: number }) {
  return {
    type: 'object',
    properties: {
      orderId: { type: 'string', minLength: 1, maxLength: 64, pattern: '^[A-Za-z0-9_-]+$' },
      amountCents: {
        type: 'integer',
        minimum: 1,
        maximum: config.maxAmountCents,
        description: 'amount in minor units',
      },
      currency: { type: 'string', enum: config.currencies },
    },
    required: ['orderId', 'amountCents', 'currency'],
    additionalProperties: false,
  } as const satisfies Schema;
}
