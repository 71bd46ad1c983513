import { errorResponses, openapiDocument } from '../kit/openapi.ts';
import { NOTIFY_SCHEMA } from './schemas.ts';

export const notificationsOpenapi = openapiDocument(
  'notifications',
  'A bounded in-memory outbox of notifications.',
  {
    '/notifications': {
      post: {
        summary: 'Queue a notification (optional Idempotency-Key)',
        parameters: [{ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string' } }],
        requestBody: { required: true, content: { 'application/json': { schema: NOTIFY_SCHEMA } } },
        responses: { '202': { description: 'queued' }, ...errorResponses(400, 401, 409, 413, 415, 503) },
      },
      get: {
        summary: "List the caller's notifications, newest first",
        parameters: [
          { name: 'limit', in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 500 } },
        ],
        responses: { '200': { description: 'items' }, ...errorResponses(400, 401) },
      },
    },
  },
  { bearer: true },
);
