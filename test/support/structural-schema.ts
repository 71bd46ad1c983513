// A checker for the subset of OpenAPI v3 that CRD structural schemas use, strict where the API
// server is silent: a field the schema does not declare is reported (the API server would prune
// it without a word), next to the errors the API server would reject a write for (type, enum,
// required, pattern, maxLength, minimum, date-time format). Used to hold the CRD's status schema
// against every status the planner produces.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

export interface Schema {
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-int-or-string'?: boolean;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** The openAPIV3Schema of the storage version of crds/bluegreenservices.yaml. */
export function crdSchema(): Schema {
  const crd = parse(readFileSync(path.join(root, 'crds/bluegreenservices.yaml'), 'utf8'));
  return crd.spec.versions.find((v: { storage: boolean }) => v.storage).schema.openAPIV3Schema;
}

// RFC 3339 as the API server's date-time format accepts it.
const DATE_TIME = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

function typeError(schema: Schema, value: unknown): string | undefined {
  if (schema['x-kubernetes-int-or-string'])
    return Number.isInteger(value) || typeof value === 'string' ? undefined : 'must be an integer or a string';
  switch (schema.type) {
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? undefined : 'must be an object';
    case 'array':
      return Array.isArray(value) ? undefined : 'must be an array';
    case 'integer':
      return Number.isInteger(value) ? undefined : 'must be an integer';
    case 'number':
      return typeof value === 'number' && Number.isFinite(value) ? undefined : 'must be a finite number';
    case 'string':
    case 'boolean':
      return typeof value === schema.type ? undefined : `must be a ${schema.type}`;
    default:
      return undefined;
  }
}

function scalarErrors(schema: Schema, value: unknown): string[] {
  const errors: string[] = [];
  if (schema.enum && !schema.enum.includes(value)) errors.push(`must be one of ${JSON.stringify(schema.enum)}`);
  if (typeof value === 'string') {
    if (schema.pattern && !new RegExp(schema.pattern, 'u').test(value))
      errors.push(`must match ${schema.pattern}, got ${JSON.stringify(value)}`);
    if (schema.maxLength !== undefined && value.length > schema.maxLength)
      errors.push(`longer than ${schema.maxLength}`);
    if (schema.minLength !== undefined && value.length < schema.minLength)
      errors.push(`shorter than ${schema.minLength}`);
    if (schema.format === 'date-time' && !DATE_TIME.test(value))
      errors.push(`not an RFC 3339 date-time: ${JSON.stringify(value)}`);
  }
  if (typeof value === 'number' && schema.minimum !== undefined && value < schema.minimum)
    errors.push(`below ${schema.minimum}`);
  return errors;
}

/**
 * Every problem with value under schema, one "path: problem" line each. Undeclared fields are
 * problems ("not in the schema: the API server prunes it") unless the schema preserves unknown
 * fields there.
 */
export function schemaErrors(schema: Schema, value: unknown, at: string): string[] {
  if (value === undefined) return [];
  const wrongType = typeError(schema, value);
  if (wrongType) return [`${at}: ${wrongType}`];
  const errors = scalarErrors(schema, value).map((e) => `${at}: ${e}`);
  if (Array.isArray(value) && schema.items)
    value.forEach((v, i) => errors.push(...schemaErrors(schema.items!, v, `${at}[${i}]`)));
  if (schema.type === 'object' && value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const obj = value as Record<string, unknown>;
    for (const key of schema.required ?? [])
      if (obj[key] === undefined) errors.push(`${at}.${key}: required by the schema but missing`);
    for (const [key, v] of Object.entries(obj)) {
      const child =
        schema.properties?.[key] ??
        (typeof schema.additionalProperties === 'object' ? schema.additionalProperties : undefined);
      if (child) errors.push(...schemaErrors(child, v, `${at}.${key}`));
      else if (!schema['x-kubernetes-preserve-unknown-fields'] && schema.additionalProperties !== true)
        errors.push(`${at}.${key}: not in the schema (the API server would prune it silently)`);
    }
  }
  return errors;
}

/** Object paths the schema declares that value leaves out (first array element only). */
export function unexercisedPaths(schema: Schema, value: unknown, at: string): string[] {
  if (Array.isArray(value))
    return schema.items && value.length > 0 ? unexercisedPaths(schema.items, value[0], `${at}[0]`) : [];
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(schema.properties ?? {}).flatMap(([key, child]) => {
    const v = (value as Record<string, unknown>)[key];
    return v === undefined ? [`${at}.${key}`] : unexercisedPaths(child, v, `${at}.${key}`);
  });
}
