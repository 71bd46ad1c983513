import type { FromSchema } from 'json-schema-to-ts';
import type { Schema } from '../kit/validate.ts';

/** Derived from the schema below: what POST /orders accepts, as validated. */
export type CreateOrderRequest = FromSchema<ReturnType<typeof createOrderSchema>>;
export type OrderItem = CreateOrderRequest['items'][number];

export function createOrderSchema(currencies: readonly string[]) {
  return {
    type: 'object',
    properties: {
      items: {
        type: 'array',
        minItems: 1,
        maxItems: 50,
        items: {
          type: 'object',
          properties: {
            sku: { type: 'string', pattern: '^[A-Z0-9-]{3,32}$' },
            quantity: { type: 'integer', minimum: 1, maximum: 100 },
            unitPriceCents: { type: 'integer', minimum: 1, maximum: 1_000_000 },
          },
          required: ['sku', 'quantity', 'unitPriceCents'],
          additionalProperties: false,
        },
      },
      currency: { type: 'string', enum: currencies },
      notify: {
        type: 'object',
        properties: { channel: { type: 'string', enum: ['email', 'sms', 'push'] } },
        required: ['channel'],
        additionalProperties: false,
      },
    },
    required: ['items', 'currency'],
    additionalProperties: false,
  } as const satisfies Schema;
}
