import { LOGIN_SCHEMA, VERIFY_SCHEMA } from './schemas.ts';
import { errorResponses, openapiDocument } from '../kit/openapi.ts';

export const authOpenapi = openapiDocument('auth', 'Issues and verifies signed JWTs (ES256).', {
  '/login': {
    post: {
      summary: 'Exchange username and password for a bearer token',
      requestBody: { required: true, content: { 'application/json': { schema: LOGIN_SCHEMA } } },
      responses: { '200': { description: 'token issued' }, ...errorResponses(400, 401, 413, 415) },
    },
  },
  '/verify': {
    post: {
      summary: 'Check a token (Authorization: Bearer, or {"token": ...} in the body)',
      requestBody: { required: false, content: { 'application/json': { schema: VERIFY_SCHEMA } } },
      responses: { '200': { description: 'token valid; claims returned' }, ...errorResponses(400, 401) },
    },
  },
  '/.well-known/jwks.json': {
    get: {
      summary: 'Public keys for local verification by other services',
      responses: { '200': { description: 'JWK set' } },
    },
  },
});
