import { errorResponses, openapiDocument } from '../kit/openapi.ts';
import { authorizeSchema } from './schemas.ts';

const idempotencyHeader = {
  name: 'Idempotency-Key',
  in: 'header',
  required: true,
  schema: { type: 'string', pattern: '^[A-Za-z0-9_.:-]{1,128}$' },
};
const idParam = { name: 'id', in: 'path', required: true, schema: { type: 'string' } };

export function paymentsOpenapi(config: { currencies: readonly string[]; maxAmountCents: number }) {
  return openapiDocument(
    'payments',
    'Authorizes and captures payments; every write takes an Idempotency-Key.',
    {
      '/payments/authorize': {
        post: {
          summary: 'Authorize an amount for an order',
          parameters: [idempotencyHeader],
          requestBody: { required: true, content: { 'application/json': { schema: authorizeSchema(config) } } },
          responses: {
            '201': { description: 'authorized (replays answer the same)' },
            ...errorResponses(400, 401, 409, 413, 415, 503),
          },
        },
      },
      '/payments/{id}/capture': {
        post: {
          summary: 'Capture an authorized payment',
          parameters: [idParam, idempotencyHeader],
          responses: { '200': { description: 'captured' }, ...errorResponses(400, 401, 404, 409, 503) },
        },
      },
      '/payments/{id}': {
        get: {
          summary: 'Get a payment',
          parameters: [idParam],
          responses: { '200': { description: 'payment' }, ...errorResponses(401, 404) },
        },
      },
    },
    { bearer: true },
  );
}
