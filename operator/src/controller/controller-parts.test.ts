import { describe, expect, it } from 'vitest';
import { ownerKey } from './controller.ts';
import { OVERLAY_MAX_AGE_MS, WriteOverlay } from './overlay.ts';
import { readyEndpoints } from './snapshot.ts';

const obj = (rv: string, extra: Record<string, unknown> = {}) => ({
  kind: 'Service',
  metadata: { name: 's', namespace: 'n', resourceVersion: rv },
  ...extra,
});

describe('WriteOverlay (read your own writes)', () => {
  it('Given the cache is older than our write, Then our write wins until the cache catches up', () => {
    const o = new WriteOverlay();
    o.remember(obj('12', { spec: { mine: true } }));
    expect(o.pick('Service', 'n', 's', obj('11'))).toMatchObject({ spec: { mine: true } });
    expect(o.pick('Service', 'n', 's', undefined)).toMatchObject({ spec: { mine: true } });
    expect(o.pick('Service', 'n', 's', obj('13'))).toMatchObject({ metadata: { resourceVersion: '13' } });
    expect(o.size()).toBe(0);
  });

  it('Given the informer delivers our write, Then the entry is dropped without waiting for a reconcile', () => {
    const o = new WriteOverlay();
    o.remember(obj('12'));
    o.observe('Service', 'update', obj('11'));
    expect(o.size()).toBe(1);
    o.observe('Deployment', 'update', obj('12'));
    expect(o.size()).toBe(1);
    o.observe('Service', 'update', obj('12'));
    expect(o.size()).toBe(0);
  });

  it('Given an object we wrote is deleted by someone else, Then the snapshot stops seeing it (so it is recreated)', () => {
    const o = new WriteOverlay();
    o.remember(obj('12'));
    o.observe('Service', 'delete', obj('12'));
    expect(o.pick('Service', 'n', 's', undefined)).toBeUndefined();
  });

  it('remembers the object without managedFields or last-applied, like the cache', () => {
    const o = new WriteOverlay();
    o.remember(
      obj('12', {
        metadata: {
          name: 's',
          namespace: 'n',
          resourceVersion: '12',
          managedFields: [{ manager: 'x' }],
          annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' },
        },
      }),
    );
    expect(o.pick('Service', 'n', 's', undefined)?.metadata).toEqual({
      name: 's',
      namespace: 'n',
      resourceVersion: '12',
      annotations: { keep: 'me' },
    });
  });

  it('Given a write the informer never delivers (created and deleted while the watch was down), Then it expires', () => {
    let now = 0;
    const o = new WriteOverlay(() => now);
    o.remember(obj('5'));
    expect(o.pick('Service', 'n', 's', undefined)?.metadata?.resourceVersion).toBe('5');
    now = OVERLAY_MAX_AGE_MS + 1;
    expect(o.pick('Service', 'n', 's', undefined)).toBeUndefined();
    expect(o.size()).toBe(0);
  });

  it('Given resourceVersions that are not integers, Then the cache is trusted', () => {
    const o = new WriteOverlay();
    o.remember(obj('b'));
    expect(o.pick('Service', 'n', 's', obj('a'))?.metadata?.resourceVersion).toBe('a');
  });
});

describe('readyEndpoints', () => {
  it('counts ready and unspecified endpoints, not unready or terminating ones', () => {
    const slices = [
      {
        endpoints: [
          { addresses: ['a'], conditions: { ready: true } },
          { addresses: ['b'], conditions: { ready: false, terminating: true } },
        ],
      },
      { endpoints: [{ addresses: ['c'] }] },
      {},
    ];
    expect(readyEndpoints(slices as never)).toBe(2);
  });
});

describe('ownerKey', () => {
  it('maps an owned object to its BlueGreenService by label, and ignores others', () => {
    expect(ownerKey({ metadata: { namespace: 'shop', labels: { 'bluegreen.dev/service': 'orders' } } })).toBe(
      'shop/orders',
    );
    expect(ownerKey({ metadata: { namespace: 'shop', labels: {} } })).toBeUndefined();
  });
});

describe('cache slimming', () => {
  it('drops managedFields and the last-applied annotation, keeps what the planner reads', async () => {
    const { slimMetadata, slimEndpointSlice } = await import('./informers.ts');
    const obj = {
      kind: 'Deployment',
      metadata: {
        name: 'd',
        labels: { a: 'b' },
        managedFields: [{ manager: 'x' }],
        annotations: { 'kubectl.kubernetes.io/last-applied-configuration': '{}', keep: 'me' },
      },
      spec: { replicas: 2 },
    };
    expect(slimMetadata(obj)).toEqual({
      kind: 'Deployment',
      metadata: { name: 'd', labels: { a: 'b' }, annotations: { keep: 'me' } },
      spec: { replicas: 2 },
    });
    const slice = {
      metadata: { name: 's', labels: { 'kubernetes.io/service-name': 'x' } },
      addressType: 'IPv4',
      endpoints: [
        { addresses: ['10.0.0.1'], conditions: { ready: false, serving: true } },
        { addresses: ['10.0.0.2'] },
      ],
    };
    const slim = slimEndpointSlice(slice);
    expect(readyEndpoints([slim])).toBe(1);
    expect(slim.metadata?.labels).toEqual({ 'kubernetes.io/service-name': 'x' });
  });
});
