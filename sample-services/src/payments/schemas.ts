import type { FromSchema } from 'json-schema-to-ts';
import type { Schema } from '../kit/validate.ts';

/** Derived from the schema below: what POST /payments/authorize accepts, as validated. */
export type AuthorizeRequest = FromSchema<ReturnType<typeof authorizeSchema>>;

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
