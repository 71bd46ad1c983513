import { errorResponses, openapiDocument } from '../kit/openapi.ts';
import { createOrderSchema } from './schemas.ts';

export function ordersOpenapi(currencies: readonly string[]) {
  return openapiDocument(
    'orders',
    'Creates orders: charges through payments, notifies through notifications.',
    {
      '/orders': {
        post: {
          summary: 'Place an order (optional Idempotency-Key makes retries safe)',
          parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } }],
          requestBody: { required: true, content: { 'application/json': { schema: createOrderSchema(currencies) } } },
          responses: {
            '201': { description: 'order confirmed' },
            ...errorResponses(400, 401, 409, 413, 415, 502, 503, 504),
          },
        },
        get: {
          summary: "List the caller's orders, newest first",
          parameters: [
            { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500 } },
          ],
          responses: { '200': { description: 'items' }, ...errorResponses(400, 401) },
        },
      },
      '/orders/{id}': {
        get: {
          summary: "Get one of the caller's orders",
          parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
          responses: { '200': { description: 'order' }, ...errorResponses(401, 404) },
        },
      },
    },
    { bearer: true },
  );
}
