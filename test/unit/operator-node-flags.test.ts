import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { OPERATOR_NODE_FLAGS } from '../../operator/build/node-flags.ts';

const root = path.resolve(import.meta.dirname, '../..');

describe('the Node flags of the operator', () => {
  it('are the image ENTRYPOINT exactly (the image runs what the tests run)', () => {
    const dockerfile = readFileSync(path.join(root, 'Dockerfile'), 'utf8');
    const line = dockerfile.split('\n').find((l) => l.startsWith('ENTRYPOINT '));
    expect(JSON.parse(line!.slice('ENTRYPOINT '.length))).toEqual(['node', ...OPERATOR_NODE_FLAGS, '/app/main.mjs']);
  });
});
