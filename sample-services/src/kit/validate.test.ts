import { describe, expect, it } from 'vitest';
import { findProblem, type Schema } from './validate.ts';

const ORDER = {
  type: 'object',
  properties: {
    name: { type: 'string', minLength: 2, maxLength: 5, pattern: '^[a-z]+$' },
    kind: { type: 'string', enum: ['a', 'b'] },
    count: { type: 'integer', minimum: 1, maximum: 3 },
    flag: { type: 'boolean' },
    tags: { type: 'array', minItems: 1, maxItems: 2, items: { type: 'string' } },
  },
  required: ['name'],
  additionalProperties: false,
} as const satisfies Schema;

describe('findProblem', () => {
  it.each([
    [{ name: 'ok' }, undefined],
    [{ name: 'ok', kind: 'a', count: 3, flag: true, tags: ['x'] }, undefined],
    [null, 'body must be an object, got null'],
    [[], 'body must be an object, got an array'],
    ['x', 'body must be an object, got string "x"'],
    [{}, 'body.name is required'],
    [{ name: 1 }, 'body.name must be a string, got number 1'],
    [{ name: 'a' }, 'body.name must be at least 2 characters long'],
    [{ name: 'abcdef' }, 'body.name must be at most 5 characters long'],
    [{ name: 'AB' }, 'body.name must match ^[a-z]+$'],
    [{ name: 'ok', kind: 'c' }, 'body.kind must be one of a, b'],
    [{ name: 'ok', count: 1.5 }, 'body.count must be an integer, got number 1.5'],
    [{ name: 'ok', count: '2' }, 'body.count must be an integer, got string "2"'],
    [{ name: 'ok', count: 0 }, 'body.count must be >= 1'],
    [{ name: 'ok', count: 4 }, 'body.count must be <= 3'],
    [{ name: 'ok', flag: 'yes' }, 'body.flag must be a boolean, got string "yes"'],
    [{ name: 'ok', tags: 'x' }, 'body.tags must be an array, got string "x"'],
    [{ name: 'ok', tags: [] }, 'body.tags must have at least 1 item(s)'],
    [{ name: 'ok', tags: ['a', 'b', 'c'] }, 'body.tags must have at most 2 item(s)'],
    [{ name: 'ok', tags: ['a', 2] }, 'body.tags[1] must be a string, got number 2'],
    [{ name: 'ok', extra: 1 }, 'body.extra is not an allowed field'],
  ])('given %j it reports %s', (value, expected) => {
    expect(findProblem(ORDER, value)).toBe(expected);
  });
});
