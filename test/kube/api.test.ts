import { describe, expect, it } from 'vitest';
import { api, toQueryString, type ApiRequest, type Query } from '../../src/kube/api.js';

const DEPLOYMENTS = { group: 'apps', plural: 'deployments' };
const SERVICES = { group: '', plural: 'services' };

/** what goes on the wire: path and query string */
const wire = (req: ApiRequest): string => `${req.path}${toQueryString(req.query)}`;

describe('api: every request ktail sends', () => {
  it.each<[string, ApiRequest, string]>([
    // pods: list, watch, get
    ['pods of a namespace', api.pods('payments'), '/api/v1/namespaces/payments/pods'],
    ['pods of every namespace', api.pods(undefined), '/api/v1/pods'],
    [
      'pods with selectors',
      api.pods('payments', { labelSelector: 'app in (a,b)', fieldSelector: 'spec.nodeName=n1' }),
      '/api/v1/namespaces/payments/pods?labelSelector=app+in+%28a%2Cb%29&fieldSelector=spec.nodeName%3Dn1',
    ],
    ['a namespace name is escaped', api.pods('a/b'), '/api/v1/namespaces/a%2Fb/pods'],
    [
      'a watch from a resourceVersion',
      api.watchPods('payments', { labelSelector: 'app=web' }, { resourceVersion: '42', timeoutSeconds: 300 }),
      '/api/v1/namespaces/payments/pods?labelSelector=app%3Dweb&watch=1&allowWatchBookmarks=true&resourceVersion=42&timeoutSeconds=300',
    ],
    [
      'a watch with no resourceVersion yet (empty) leaves it out',
      api.watchPods(undefined, {}, { resourceVersion: '', timeoutSeconds: 30 }),
      '/api/v1/pods?watch=1&allowWatchBookmarks=true&timeoutSeconds=30',
    ],
    ['one pod', api.pod('payments', 'web-1'), '/api/v1/namespaces/payments/pods/web-1'],
    // logs
    [
      'a log, following, with timestamps and a start window',
      api.podLog('payments', 'web-1', { container: 'app', follow: true, timestamps: true, sinceSeconds: 600, tailLines: 10 }),
      '/api/v1/namespaces/payments/pods/web-1/log?container=app&follow=true&timestamps=true&sinceSeconds=600&tailLines=10',
    ],
    [
      'tailLines 0 and sinceSeconds 0 are sent (client-node drops them)',
      api.podLog('p', 'w', { container: 'app', tailLines: 0, sinceSeconds: 0 }),
      '/api/v1/namespaces/p/pods/w/log?container=app&sinceSeconds=0&tailLines=0',
    ],
    [
      'false flags are left out',
      api.podLog('p', 'w', { container: 'app', follow: false, previous: false, timestamps: false }),
      '/api/v1/namespaces/p/pods/w/log?container=app',
    ],
    [
      'the previous instance from a time',
      api.podLog('p', 'w', { container: 'app', previous: true, sinceTime: '2026-11-22T10:00:00.5Z' }),
      '/api/v1/namespaces/p/pods/w/log?container=app&previous=true&sinceTime=2026-11-22T10%3A00%3A00.5Z',
    ],
    // workloads
    ['a workload of a group', api.get(DEPLOYMENTS, 'shop', 'web'), '/apis/apps/v1/namespaces/shop/deployments/web'],
    ['a workload of the core group', api.get(SERVICES, 'shop', 'www'), '/api/v1/namespaces/shop/services/www'],
    [
      'workloads by name in every namespace',
      api.list(DEPLOYMENTS, undefined, { fieldSelector: 'metadata.name=web' }),
      '/apis/apps/v1/deployments?fieldSelector=metadata.name%3Dweb',
    ],
    ['workloads of a namespace', api.list(SERVICES, 'shop'), '/api/v1/namespaces/shop/services'],
    ['a Job', api.job('batch-ns', 'nightly-29000000'), '/apis/batch/v1/namespaces/batch-ns/jobs/nightly-29000000'],
    // completion
    ['namespaces', api.namespaces(), '/api/v1/namespaces'],
    ['nodes', api.nodes(), '/api/v1/nodes'],
  ])('%s', (_name, req, expected) => {
    expect(wire(req)).toBe(expected);
  });
});

describe('lanes: which connections a request goes on', () => {
  it('a log goes on the log lane, every other request on the control lane', () => {
    expect(api.podLog('p', 'w', { container: 'app', follow: true }).lane).toBe('logs');
    for (const req of [api.pod('p', 'w'), api.pods('p'), api.watchPods('p', {}, { resourceVersion: '1' }), api.list(DEPLOYMENTS, 'p')])
      expect(req.lane).toBe('control');
  });
});

describe('toQueryString', () => {
  it.each<[Query, string]>([
    [{}, ''],
    [{ a: undefined }, ''],
    [{ container: 'app', follow: true, tailLines: 0, previous: undefined }, '?container=app&follow=true&tailLines=0'],
    [{ labelSelector: 'app in (a,b)' }, '?labelSelector=app+in+%28a%2Cb%29'],
  ])('%j → %s', (query, expected) => {
    expect(toQueryString(query)).toBe(expected);
  });
});
