import type { V1Pod } from '@kubernetes/client-node';
import { describe, expect, it } from 'vitest';
import { EventObjects } from '../../src/follow/event-objects.js';

const pod = (name: string, owners: { kind: string; name: string }[] = []): V1Pod => ({
  metadata: { name, namespace: 'shop', ownerReferences: owners.map((o) => ({ ...o, apiVersion: 'apps/v1', uid: `${o.name}-uid` })) },
});
const about = (kind: string, name: string) => ({ kind, namespace: 'shop', name, uid: undefined });

describe('EventObjects: the followed pods and their owners', () => {
  it('a selected pod and its controlling owners count; other pods, other namespaces and other kinds do not', () => {
    const o = new EventObjects();
    const added = o.podSeen(pod('web-1', [{ kind: 'ReplicaSet', name: 'web-7d9' }]), true, 0);
    expect(added).toEqual([{ kind: 'ReplicaSet', namespace: 'shop', name: 'web-7d9', uid: 'web-7d9-uid' }]);
    o.podSeen(pod('db-0', [{ kind: 'StatefulSet', name: 'db' }]), true, 0);
    o.podSeen(pod('other', [{ kind: 'DaemonSet', name: 'agent' }]), false, 0);
    o.podSeen(pod('owned-by-a-node', [{ kind: 'Node', name: 'n1' }]), true, 0);
    expect(o.subject(about('Pod', 'web-1'), 0)).toEqual({ kind: 'pod', pod: 'web-1' });
    expect(o.subject(about('ReplicaSet', 'web-7d9'), 0)).toEqual({ kind: 'owner', text: 'replicaset/web-7d9' });
    expect(o.subject(about('StatefulSet', 'db'), 0)).toEqual({ kind: 'owner', text: 'statefulset/db' });
    expect(o.subject(about('Pod', 'other'), 0)).toBeUndefined();
    expect(o.subject(about('DaemonSet', 'agent'), 0)).toBeUndefined();
    expect(o.subject(about('Node', 'n1'), 0)).toBeUndefined();
    expect(o.subject({ kind: 'Pod', namespace: 'elsewhere', name: 'web-1', uid: undefined }, 0)).toBeUndefined();
  });

  it("a ReplicaSet's Deployment counts while the ReplicaSet does; an owner held by two pods stays until both are gone", () => {
    const o = new EventObjects(1000);
    const rs = { kind: 'ReplicaSet', namespace: 'shop', name: 'web-7d9', uid: undefined };
    o.podSeen(pod('web-1', [{ kind: 'ReplicaSet', name: 'web-7d9' }]), true, 0);
    expect(o.podSeen(pod('web-2', [{ kind: 'ReplicaSet', name: 'web-7d9' }]), true, 0)).toEqual([]); // already held
    expect(o.addParent(rs, { kind: 'Deployment', namespace: 'shop', name: 'web', uid: undefined })).toBe(true);
    expect(o.addParent(rs, { kind: 'Deployment', namespace: 'shop', name: 'web', uid: undefined })).toBe(false);
    expect(o.subject(about('Deployment', 'web'), 0)).toEqual({ kind: 'owner', text: 'deployment/web' });

    o.podGone(pod('web-1'), 0);
    o.podSeen(pod('unrelated'), true, 5000); // expiry happens as pods come and go
    expect(o.subject(about('Pod', 'web-1'), 5000)).toBeUndefined();
    expect(o.subject(about('Deployment', 'web'), 5000)).toBeDefined();
    o.podGone(pod('web-2'), 5000);
    o.podSeen(pod('unrelated-2'), true, 10_000);
    expect(o.subject(about('ReplicaSet', 'web-7d9'), 10_000)).toBeUndefined();
    expect(o.subject(about('Deployment', 'web'), 10_000)).toBeUndefined();
    expect(o.size).toEqual({ pods: 2, owners: 0 });
  });

  it('a deleted pod still counts for lingerMs (its Killing may come after the pod watch said it is gone)', () => {
    const o = new EventObjects(30_000);
    o.podSeen(pod('web-1'), true, 0);
    o.podGone(pod('web-1'), 1000);
    expect(o.subject(about('Pod', 'web-1'), 30_000)).toBeDefined();
    expect(o.subject(about('Pod', 'web-1'), 31_001)).toBeUndefined();
  });

  it('a pod no longer selected (--condition) stops counting at once, and one seen again after its deletion counts again', () => {
    const o = new EventObjects(30_000);
    o.podSeen(pod('web-1'), true, 0);
    o.podSeen(pod('web-1'), false, 1);
    expect(o.subject(about('Pod', 'web-1'), 1)).toBeUndefined();
    o.podSeen(pod('web-1'), true, 2);
    o.podGone(pod('web-1'), 3);
    o.podSeen(pod('web-1'), true, 4);
    expect(o.subject(about('Pod', 'web-1'), 100_000)).toBeDefined();
  });
});
