// Request validation from the JSON Schemas the services already publish in /openapi.json:
// ajv compiles each schema once at startup, and json-schema-to-ts derives the TypeScript type
// from the same `as const` object, so documentation, checks and types cannot drift apart
// (docs/adr/0006-samples-schema-derived-validation.md). A problem becomes a 400 whose message
// names the field: "body.items[0].sku must match ^[A-Z0-9-]{3,32}$".
import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv';
import type { FromSchema, JSONSchema } from 'json-schema-to-ts';
import { HttpError } from './errors.ts';

/** The JSON Schema subset the samples use; `as const satisfies Schema` keeps literal types for FromSchema. */
export type Schema = JSONSchema & object;

/** A compiled check of one schema; call it per request. */
export type BodyValidator<S extends Schema> = (value: unknown) => FromSchema<S>;

// allErrors off: the first problem is enough and cheaper. verbose: the error carries the value,
// so the message can say what was sent.
const ajv = new Ajv({ allErrors: false, verbose: true, strict: true });

/** Compiles schema once; the returned function throws HttpError 400 naming the field. */
export function bodyValidator<const S extends Schema>(schema: S): BodyValidator<S>;
// The implementation is untyped on purpose: FromSchema of a generic S cannot be evaluated.
export function bodyValidator(schema: Schema): (value: unknown) => unknown {
  const check = ajv.compile(schema as object);
  return (value) => {
    if (check(value)) return value;
    throw new HttpError(400, 'invalid_body', firstProblem(check));
  };
}

/** The first problem found, as a sentence naming the field, or undefined when valid. */
export function findProblem(schema: Schema, value: unknown): string | undefined {
  const check = ajv.compile(schema as object);
  return check(value) ? undefined : firstProblem(check);
}

function firstProblem(check: ValidateFunction): string {
  const error = check.errors?.[0];
  return error === undefined ? 'body is invalid' : sentence(error);
}

function sentence(e: ErrorObject): string {
  const at = fieldPath(e.instancePath);
  const p = e.params as Record<string, unknown>;
  switch (e.keyword) {
    case 'type': {
      const type = String(p['type']);
      return `${at} must be ${type === 'integer' || type === 'array' || type === 'object' ? 'an' : 'a'} ${type}, got ${describe(e.data)}`;
    }
    case 'required':
      return `${at}.${String(p['missingProperty'])} is required`;
    case 'additionalProperties':
      return `${at}.${String(p['additionalProperty'])} is not an allowed field`;
    case 'minLength':
      return `${at} must be at least ${String(p['limit'])} characters long`;
    case 'maxLength':
      return `${at} must be at most ${String(p['limit'])} characters long`;
    case 'pattern':
      return `${at} must match ${String(p['pattern'])}`;
    case 'enum':
      return `${at} must be one of ${(p['allowedValues'] as unknown[]).join(', ')}`;
    case 'minimum':
    case 'maximum':
      return `${at} must be ${String(p['comparison'])} ${String(p['limit'])}`;
    case 'minItems':
      return `${at} must have at least ${String(p['limit'])} item(s)`;
    case 'maxItems':
      return `${at} must have at most ${String(p['limit'])} item(s)`;
    default:
      return `${at} ${e.message ?? 'is invalid'}`;
  }
}

/** "/items/0/sku" -> "body.items[0].sku" */
function fieldPath(instancePath: string): string {
  let out = 'body';
  for (const raw of instancePath.split('/').slice(1)) {
    const segment = raw.replaceAll('~1', '/').replaceAll('~0', '~');
    out += /^\d+$/.test(segment) ? `[${segment}]` : `.${segment}`;
  }
  return out;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`.slice(0, 60);
}
