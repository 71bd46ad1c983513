// Reading the user's HTTPRoute (docs/adr/0017): which backendRefs are ours, what share the
// canary has, and the patch that changes only their weights.
import { describe, expect, it } from 'vitest';
import { readRoute, routeAt, weightPatch, type HTTPBackendRefLike, type HTTPRouteLike } from './route.ts';

const route = (...rules: HTTPBackendRefLike[][]): HTTPRouteLike => ({
  metadata: { name: 'web', namespace: 'shop' },
  spec: { rules: rules.map((backendRefs) => ({ backendRefs })) },
});
const read = (r: HTTPRouteLike | undefined) => readRoute(r, 'web', 'shop', 'orders', 'orders-preview');

describe('readRoute', () => {
  it('finds the pair in every rule that names it, skipping rules that name neither', () => {
    const r = read(
      route(
        [
          { name: 'orders', weight: 90 },
          { name: 'orders-preview', weight: 10 },
        ],
        [{ name: 'static-files' }],
        [
          { name: 'orders-preview', weight: 0 },
          { name: 'orders', weight: 100 },
        ],
      ),
    );
    expect(r).toMatchObject({
      ok: true,
      canaryShare: 10, // the highest over the rules: what some requests get
      pairs: [
        { rule: 0, stable: 0, canary: 1, stableWeight: 90, canaryWeight: 10 },
        { rule: 2, stable: 1, canary: 0, stableWeight: 100, canaryWeight: 0 },
      ],
    });
    expect(routeAt(r, 10)).toBe(false); // rule 2 is still at 0
  });

  it('counts unset weights as 1 and weights that are not percent by their ratio', () => {
    expect(read(route([{ name: 'orders' }, { name: 'orders-preview' }]))).toMatchObject({ ok: true, canaryShare: 50 });
    expect(
      read(
        route([
          { name: 'orders', weight: 2 },
          { name: 'orders-preview', weight: 1 },
        ]),
      ),
    ).toMatchObject({
      canaryShare: 33.3,
    });
    expect(
      read(
        route([
          { name: 'orders', weight: 0 },
          { name: 'orders-preview', weight: 0 },
        ]),
      ),
    ).toMatchObject({
      canaryShare: 0,
    });
  });

  it.each<[string, HTTPRouteLike | undefined, string]>([
    ['no route', undefined, 'HTTPRoute shop/web not found'],
    ['no rules', { metadata: { name: 'web' }, spec: {} }, 'has no rule whose backendRefs are'],
    [
      'another namespace is not ours',
      route([{ name: 'orders', namespace: 'other' }, { name: 'orders-preview' }]),
      'spec.rules[0] must list Service orders (stable) and Service orders-preview (canary) once each',
    ],
    [
      'another kind is not ours',
      route([{ name: 'orders' }, { name: 'orders-preview', kind: 'ServiceImport', group: 'multicluster.x-k8s.io' }]),
      'spec.rules[0] must list',
    ],
    [
      'a duplicate entry is ambiguous',
      route([{ name: 'orders' }, { name: 'orders-preview' }, { name: 'orders' }]),
      'once each',
    ],
  ])('%s: a problem naming it', (_name, r, problem) => {
    const reading = read(r);
    expect(reading.ok).toBe(false);
    expect(!reading.ok && reading.problem).toContain(problem);
  });
});

describe('weightPatch', () => {
  it('tests each entry by name and sets both weights of every pair, nothing else', () => {
    const r = read(
      route(
        [
          { name: 'orders-preview', weight: 0 },
          { name: 'orders', weight: 100 },
        ],
        [{ name: 'orders' }, { name: 'orders-preview' }],
      ),
    );
    if (!r.ok) throw new Error(r.problem);
    expect(weightPatch(r, 25)).toEqual([
      { op: 'test', path: '/spec/rules/0/backendRefs/1/name', value: 'orders' },
      { op: 'add', path: '/spec/rules/0/backendRefs/1/weight', value: 75 },
      { op: 'test', path: '/spec/rules/0/backendRefs/0/name', value: 'orders-preview' },
      { op: 'add', path: '/spec/rules/0/backendRefs/0/weight', value: 25 },
      { op: 'test', path: '/spec/rules/1/backendRefs/0/name', value: 'orders' },
      { op: 'add', path: '/spec/rules/1/backendRefs/0/weight', value: 75 },
      { op: 'test', path: '/spec/rules/1/backendRefs/1/name', value: 'orders-preview' },
      { op: 'add', path: '/spec/rules/1/backendRefs/1/weight', value: 25 },
    ]);
  });
});
