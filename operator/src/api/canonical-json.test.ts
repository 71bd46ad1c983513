import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonical-json.ts';
import { revisionOf } from './revision.ts';

describe('canonicalJson', () => {
  it('Given two values that differ only in key order (at any depth), Then they serialize the same', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 1, x: 2 }], c: 2 } })).toBe(
      canonicalJson({ a: { c: 2, d: [1, { x: 2, y: 1 }] }, b: 1 }),
    );
    expect(canonicalJson({ a: 1 })).not.toBe(canonicalJson({ a: 2 }));
  });

  it('sorts keys by code unit (upper case before lower case) and drops undefined fields', () => {
    expect(canonicalJson({ b: 1, a: undefined, B: [undefined, null] })).toBe('{"B":[null,null],"b":1}');
  });
});

describe('revisionOf', () => {
  // Pinned: every revision already written to a status depends on this exact serialization.
  // A change here restarts a release for every existing BlueGreenService.
  it('is stable across releases of the operator (pinned hash)', () => {
    const template = {
      metadata: { labels: { app: 'orders', Tier: 'web' } },
      spec: {
        containers: [{ name: 'orders', image: 'bluegreen/sample-services:1.1.0', ports: [{ containerPort: 8080 }] }],
      },
    };
    expect(revisionOf(template)).toBe('f6b0dfffac');
    const reordered = {
      spec: {
        containers: [{ ports: [{ containerPort: 8080 }], image: 'bluegreen/sample-services:1.1.0', name: 'orders' }],
      },
      metadata: { labels: { Tier: 'web', app: 'orders' } },
    };
    expect(revisionOf(reordered)).toBe(revisionOf(template));
  });
});
