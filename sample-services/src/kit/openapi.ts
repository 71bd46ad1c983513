// Helpers for the small hand-written OpenAPI 3.1 documents each service serves at /openapi.json.

const ERROR_SCHEMA = {
  type: 'object',
  properties: { error: { type: 'string' }, message: { type: 'string' } },
  required: ['error', 'message'],
};

const DESCRIPTIONS: Record<number, string> = {
  400: 'invalid input; message names the field',
  401: 'missing, malformed, tampered or expired token / bad credentials',
  404: 'not found',
  409: 'idempotency key reused with a different request',
  413: 'body larger than BODY_LIMIT_BYTES',
  415: 'Content-Type is not application/json',
  502: 'a dependency answered with an error',
  503: 'a dependency (e.g. auth keys) is unavailable',
  504: 'a dependency timed out',
};

export function errorResponses(...statuses: number[]): Record<string, unknown> {
  return Object.fromEntries(
    statuses.map((s) => [
      String(s),
      { description: DESCRIPTIONS[s] ?? 'error', content: { 'application/json': { schema: ERROR_SCHEMA } } },
    ]),
  );
}

export function openapiDocument(
  service: string,
  description: string,
  paths: Record<string, unknown>,
  opts: { bearer?: boolean } = {},
): Record<string, unknown> {
  return {
    openapi: '3.1.0',
    info: { title: `bluegreen sample: ${service}`, version: '0.1.0', description },
    paths,
    components: opts.bearer
      ? { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } }
      : {},
    ...(opts.bearer ? { security: [{ bearer: [] }] } : {}),
  };
}
