// bench/compare counts each controller's API requests by Kubernetes verb from method + path
// (the API server's own counters cannot tell clients apart on a shared cluster). A wrong
// classification would silently move requests between columns of the comparison table.
import { describe, expect, it } from 'vitest';
import { verbOf } from '../../bench/compare/api-proxy.ts';

describe('Given requests as client-go and client-node send them', () => {
  it.each([
    ['GET', '/api/v1/namespaces/a/services?limit=500&resourceVersion=0', 'list'],
    ['GET', '/api/v1/namespaces/a/services?allowWatchBookmarks=true&watch=true', 'watch'],
    ['GET', '/apis/apps/v1/namespaces/a/replicasets?watch=1&resourceVersion=7', 'watch'],
    ['GET', '/apis/apps/v1/watch/namespaces/a/replicasets', 'watch'],
    ['GET', '/api/v1/namespaces/a/services/s0001', 'get'],
    ['GET', '/api/v1/namespaces/a', 'get'],
    ['GET', '/api/v1/namespaces', 'list'],
    ['GET', '/apis/bluegreen.dev/v1alpha1/bluegreenservices', 'list'],
    ['POST', '/apis/argoproj.io/v1alpha1/namespaces/a/rollouts', 'create'],
    ['PUT', '/apis/argoproj.io/v1alpha1/namespaces/a/rollouts/s0001/status', 'update'],
    ['PATCH', '/apis/bluegreen.dev/v1alpha1/namespaces/a/bluegreenservices/s0001/status', 'patch'],
    ['DELETE', '/apis/apps/v1/namespaces/a/replicasets/x', 'delete'],
    ['DELETE', '/apis/apps/v1/namespaces/a/replicasets?labelSelector=x', 'deletecollection'],
    ['GET', '/version', 'other'],
    ['GET', '/apis/apps/v1', 'other'],
  ])('Then %s %s is a %s', (method, url, verb) => {
    expect(verbOf(method, url)).toBe(verb);
  });
});
