import { HttpError } from './errors.ts';

// A small validator for the subset of JSON Schema the samples use. The same schema objects are
// embedded in /openapi.json, so the documentation and the checks cannot drift apart.
// Hand-written rather than ajv to keep the runtime dependencies to five packages.

export type Schema =
  | {
      type: 'string';
      minLength?: number;
      maxLength?: number;
      pattern?: string;
      enum?: readonly string[];
      description?: string;
    }
  | { type: 'integer'; minimum?: number; maximum?: number; description?: string }
  | { type: 'boolean'; description?: string }
  | { type: 'array'; items: Schema; minItems?: number; maxItems?: number; description?: string }
  | {
      type: 'object';
      properties: Readonly<Record<string, Schema>>;
      required?: readonly string[];
      additionalProperties?: false;
      description?: string;
    };

/** Returns the first problem found, as a sentence naming the field, or undefined when valid. */
export function findProblem(schema: Schema, value: unknown, path = 'body'): string | undefined {
  switch (schema.type) {
    case 'string': {
      if (typeof value !== 'string') return `${path} must be a string, got ${describe(value)}`;
      if (schema.minLength !== undefined && value.length < schema.minLength)
        return `${path} must be at least ${schema.minLength} characters long`;
      if (schema.maxLength !== undefined && value.length > schema.maxLength)
        return `${path} must be at most ${schema.maxLength} characters long`;
      if (schema.pattern !== undefined && !new RegExp(schema.pattern, 'u').test(value))
        return `${path} must match ${schema.pattern}`;
      if (schema.enum !== undefined && !schema.enum.includes(value))
        return `${path} must be one of ${schema.enum.join(', ')}`;
      return undefined;
    }
    case 'integer': {
      if (typeof value !== 'number' || !Number.isInteger(value))
        return `${path} must be an integer, got ${describe(value)}`;
      if (schema.minimum !== undefined && value < schema.minimum) return `${path} must be >= ${schema.minimum}`;
      if (schema.maximum !== undefined && value > schema.maximum) return `${path} must be <= ${schema.maximum}`;
      return undefined;
    }
    case 'boolean':
      return typeof value === 'boolean' ? undefined : `${path} must be a boolean, got ${describe(value)}`;
    case 'array': {
      if (!Array.isArray(value)) return `${path} must be an array, got ${describe(value)}`;
      if (schema.minItems !== undefined && value.length < schema.minItems)
        return `${path} must have at least ${schema.minItems} item(s)`;
      if (schema.maxItems !== undefined && value.length > schema.maxItems)
        return `${path} must have at most ${schema.maxItems} item(s)`;
      for (let i = 0; i < value.length; i++) {
        const problem = findProblem(schema.items, value[i], `${path}[${i}]`);
        if (problem) return problem;
      }
      return undefined;
    }
    case 'object': {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        return `${path} must be an object, got ${describe(value)}`;
      const record = value as Record<string, unknown>;
      for (const name of schema.required ?? []) {
        if (record[name] === undefined) return `${path}.${name} is required`;
      }
      for (const [name, v] of Object.entries(record)) {
        const child = schema.properties[name];
        if (child === undefined) {
          if (schema.additionalProperties === false) return `${path}.${name} is not an allowed field`;
          continue;
        }
        const problem = findProblem(child, v, `${path}.${name}`);
        if (problem) return problem;
      }
      return undefined;
    }
  }
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value} ${JSON.stringify(value)}`.slice(0, 60);
}

/** Validates a decoded body; a problem becomes a 400 whose message names the field. */
// The caller names T apart from the schema, so the two can drift: schema-derived types are the cure.
// eslint-disable-next-line @typescript-eslint/no-unnecessary-type-parameters
export function validBody<T>(schema: Schema, value: unknown): T {
  const problem = findProblem(schema, value);
  if (problem) throw new HttpError(400, 'invalid_body', problem);
  return value as T;
}
