import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/common/errors.js';
import { andSelectors, findKind, kindList, parseWorkloadQuery, selectorText, type LabelSelectorObject } from '../../src/follow/query.js';

describe('parseWorkloadQuery', () => {
  it.each<[string, unknown]>([
    ['web', undefined],
    ['^api-.*-v2', undefined],
    ['pod/web-7d9', { kind: 'pod', name: 'web-7d9' }],
    ['po/web-7d9', { kind: 'pod', name: 'web-7d9' }],
    ['pods/web-7d9', { kind: 'pod', name: 'web-7d9' }],
    ['deployment/checkout', { kind: 'deployment', name: 'checkout' }],
    ['deploy/checkout', { kind: 'deployment', name: 'checkout' }],
    ['deployments/checkout', { kind: 'deployment', name: 'checkout' }],
    ['deployment.apps/checkout', { kind: 'deployment', name: 'checkout' }],
    ['Deployment/checkout', { kind: 'deployment', name: 'checkout' }],
    ['statefulset/db', { kind: 'statefulset', name: 'db' }],
    ['sts/db', { kind: 'statefulset', name: 'db' }],
    ['daemonset/agent', { kind: 'daemonset', name: 'agent' }],
    ['ds/agent', { kind: 'daemonset', name: 'agent' }],
    ['replicaset/web-7d9c5b8f6', { kind: 'replicaset', name: 'web-7d9c5b8f6' }],
    ['rs/web-7d9c5b8f6', { kind: 'replicaset', name: 'web-7d9c5b8f6' }],
    ['job/migrate', { kind: 'job', name: 'migrate' }],
    ['jobs.batch/migrate', { kind: 'job', name: 'migrate' }],
    ['cronjob/nightly', { kind: 'cronjob', name: 'nightly' }],
    ['cj/nightly', { kind: 'cronjob', name: 'nightly' }],
    ['service/www', { kind: 'service', name: 'www' }],
    ['svc/www', { kind: 'service', name: 'www' }],
    ['services/www', { kind: 'service', name: 'www' }],
    ['replicationcontroller/legacy', { kind: 'replicationcontroller', name: 'legacy' }],
    ['rc/legacy', { kind: 'replicationcontroller', name: 'legacy' }],
    ['svc/name.with.dots', { kind: 'service', name: 'name.with.dots' }],
  ])('%s', (query, expected) => {
    expect(parseWorkloadQuery(query)).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    [
      'foo/web',
      /^unknown kind "foo" in "foo\/web": expected KIND\/NAME with KIND one of pod \(po\), deployment \(deploy\), statefulset \(sts\), daemonset \(ds\), replicaset \(rs\), job, cronjob \(cj\), service \(svc\), replicationcontroller \(rc\), ingress \(ing\)$/,
    ],
    ['^web.*/', /^unknown kind "\^web\.\*"/],
    ['deployment.batch/x', /^unknown kind "deployment\.batch"/],
    ['deploy/', /^missing name in "deploy\/": expected KIND\/NAME, like deployment\/web$/],
    ['deploy/web/x', /^invalid deployment name "web\/x"/],
    ['deploy/Web', /^invalid deployment name "Web"/],
    ['deploy/web.*', /^invalid deployment name "web\.\*"/],
  ])('%s is a command-line error', (query, message) => {
    let err: unknown;
    try {
      parseWorkloadQuery(query);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(UsageError);
    expect((err as UsageError).exitCode).toBe(2);
    expect((err as UsageError).message).toMatch(message);
  });

  it('kinds: every kind and short name, core group spelled either way', () => {
    expect(kindList()).toBe(
      'pod (po), deployment (deploy), statefulset (sts), daemonset (ds), replicaset (rs), job, cronjob (cj), service (svc), replicationcontroller (rc), ingress (ing)',
    );
    expect(findKind('pods.core')?.kind).toBe('pod');
    expect(findKind('svc')?.plural).toBe('services');
    expect(findKind('cronjobs.batch')?.group).toBe('batch');
    expect(findKind('ing')?.kind).toBe('ingress');
    expect(findKind('ingresses.networking.k8s.io')?.plural).toBe('ingresses');
    expect(findKind('ingress.apps')).toBeUndefined();
    expect(findKind('endpoints')).toBeUndefined();
  });
});

describe('selectorText', () => {
  it.each<[string, LabelSelectorObject, string]>([
    ['matchLabels, sorted by key', { matchLabels: { tier: 'web', app: 'shop' } }, 'app=shop,tier=web'],
    ['In', { matchExpressions: [{ key: 'env', operator: 'In', values: ['prod', 'canary'] }] }, 'env in (canary,prod)'],
    ['NotIn', { matchExpressions: [{ key: 'env', operator: 'NotIn', values: ['dev'] }] }, 'env notin (dev)'],
    ['Exists', { matchExpressions: [{ key: 'gpu', operator: 'Exists' }] }, 'gpu'],
    ['DoesNotExist', { matchExpressions: [{ key: 'legacy', operator: 'DoesNotExist' }] }, '!legacy'],
    [
      'both kinds, sorted together',
      {
        matchLabels: { app: 'web' },
        matchExpressions: [
          { key: 'zone', operator: 'Exists' },
          { key: 'batch', operator: 'DoesNotExist' },
        ],
      },
      'app=web,!batch,zone',
    ],
    ['empty', {}, ''],
    [
      "a Job's controller-uid",
      { matchLabels: { 'batch.kubernetes.io/controller-uid': '9a1c' } },
      'batch.kubernetes.io/controller-uid=9a1c',
    ],
  ])('%s', (_name, sel, expected) => {
    expect(selectorText(sel)).toBe(expected);
  });

  it('an unknown operator is refused', () => {
    expect(() => selectorText({ matchExpressions: [{ key: 'a', operator: 'Gt', values: ['1'] }] })).toThrow(/operator "Gt"/);
  });
});

describe('andSelectors', () => {
  it.each<[(string | undefined)[], string | undefined]>([
    [[undefined, undefined], undefined],
    [['app=web', undefined], 'app=web'],
    [[undefined, 'spec.nodeName=n1'], 'spec.nodeName=n1'],
    [['app=web', 'tier!=db'], 'app=web,tier!=db'],
    [['', ' ', 'a=b'], 'a=b'],
  ])('%j → %s', (parts, expected) => {
    expect(andSelectors(...parts)).toBe(expected);
  });
});
