import { describe, expect, it } from 'vitest';
import { objectKey, readEvent } from '../../src/follow/kube-event.js';

const pod = { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'p-1', apiVersion: 'v1' };

describe('readEvent: one shape from either API', () => {
  it.each([
    [
      'core/v1, written by the kubelet (count, lastTimestamp)',
      {
        metadata: { name: 'web-1.a', namespace: 'shop', uid: 'e-1', resourceVersion: '17' },
        involvedObject: pod,
        reason: 'Unhealthy',
        message: 'Readiness probe failed: 503',
        type: 'Warning',
        count: 4,
        firstTimestamp: '2026-11-30T01:00:00Z',
        lastTimestamp: '2026-11-30T01:00:30Z',
        eventTime: null,
      },
      { uid: 'e-1', count: 4, lastSeen: '2026-11-30T01:00:30Z', message: 'Readiness probe failed: 503', resourceVersion: '17' },
    ],
    [
      'events.k8s.io/v1 of a core-written event (note, regarding, deprecatedCount)',
      {
        metadata: { name: 'web-1.a', namespace: 'shop', uid: 'e-1' },
        regarding: pod,
        reason: 'Unhealthy',
        note: 'Readiness probe failed: 503',
        type: 'Warning',
        deprecatedCount: 4,
        deprecatedLastTimestamp: '2026-11-30T01:00:30Z',
        eventTime: null,
      },
      { uid: 'e-1', count: 4, lastSeen: '2026-11-30T01:00:30Z', message: 'Readiness probe failed: 503' },
    ],
    [
      'events.k8s.io/v1 written by the scheduler (series)',
      {
        metadata: { name: 'web-1.b', namespace: 'shop', uid: 'e-2' },
        regarding: pod,
        reason: 'FailedScheduling',
        note: '0/2 nodes are available',
        type: 'Warning',
        eventTime: '2026-11-30T01:00:00.123456Z',
        series: { count: 7, lastObservedTime: '2026-11-30T01:05:00.000001Z' },
      },
      { uid: 'e-2', count: 7, lastSeen: '2026-11-30T01:05:00.000001Z' },
    ],
    [
      'a first occurrence by the scheduler: no series, eventTime only',
      {
        metadata: { name: 'web-1.c', namespace: 'shop', uid: 'e-3' },
        regarding: pod,
        reason: 'Scheduled',
        note: 'Successfully assigned',
        type: 'Normal',
        eventTime: '2026-11-30T01:00:00.123456Z',
      },
      { count: 1, lastSeen: '2026-11-30T01:00:00.123456Z', type: 'Normal' },
    ],
  ])('%s', (_name, raw, expected) => {
    const e = readEvent(raw);
    expect(e).toMatchObject({ namespace: 'shop', regarding: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'p-1' }, ...expected });
  });

  it('an event that names no object is left out; missing fields get defaults', () => {
    expect(readEvent({ metadata: { uid: 'x' }, reason: 'Nothing' })).toBeUndefined();
    expect(readEvent(null)).toBeUndefined();
    expect(readEvent({ metadata: { name: 'n', namespace: 'ns' }, involvedObject: { kind: 'Node', name: 'node-1' } })).toEqual({
      uid: 'ns/n',
      namespace: 'ns',
      regarding: { kind: 'Node', namespace: 'ns', name: 'node-1', uid: undefined },
      reason: '',
      message: '',
      type: 'Normal',
      count: 1,
      lastSeen: undefined,
      resourceVersion: undefined,
    });
  });

  it('objectKey names an object by kind, namespace and name', () => {
    expect(objectKey({ kind: 'ReplicaSet', namespace: 'shop', name: 'web-7d9' })).toBe('ReplicaSet/shop/web-7d9');
  });
});
