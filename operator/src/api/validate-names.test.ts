// The names the operator derives from metadata.name, checked again by the operator for objects
// admitted before the CRD's rules existed (issue 18 item 12: a readiness Service used as the
// active one made the operator flip its selector about 30 times a second).
import { describe, expect, it } from 'vitest';
import type { BlueGreenService } from './types.ts';
import { validateSpec } from './validate.ts';

function bgs(name: string, service?: string, preview?: string): BlueGreenService {
  return {
    apiVersion: 'bluegreen.dev/v1alpha1',
    kind: 'BlueGreenService',
    metadata: { name, namespace: 'shop' },
    spec: {
      template: { spec: { containers: [{ name: 'app', image: 'app:1' }] } },
      service: { ports: [{ port: 80 }], ...(service ? { name: service } : {}) },
      ...(preview ? { previewService: { name: preview } } : {}),
    },
  };
}
const fields = (b: BlueGreenService) => validateSpec(b).map((e) => e.field);

describe('validateSpec: names derived from metadata.name', () => {
  it.each([
    ['the active Service named like a readiness Service', bgs('orders', 'orders-blue-endpoints'), 'spec.service.name'],
    [
      'the preview named like a readiness Service',
      bgs('orders', undefined, 'orders-green-endpoints'),
      'spec.previewService.name',
    ],
    ['a 48-character name', bgs(`o${'x'.repeat(47)}`), 'metadata.name'],
    ['a name starting with a digit', bgs('1orders'), 'metadata.name'],
  ])('Given %s, Then the spec is invalid naming the field', (_name, b, field) => {
    expect(fields(b)).toContain(field);
  });

  it('Given ordinary names, Then nothing is reported', () => {
    expect(fields(bgs('orders', 'orders-api', 'orders-api-canary'))).toEqual([]);
  });
});
