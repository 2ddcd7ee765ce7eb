/**
 * Pure: which objects' Events are shown — the pods ktail follows in one context, and their
 * owners: the ReplicaSet, StatefulSet, DaemonSet, Job or ReplicationController that controls a
 * pod (its owner references), and a ReplicaSet's Deployment (found by the caller, who reads the
 * ReplicaSet, and added with `addParent`). An owner counts while a followed pod has it.
 *
 * A pod counts when its name is selected (the query, --exclude-pod, --condition), whether or not a
 * container of it is read yet: a pod that cannot be scheduled or pull its image has no container
 * to read, and its Events are the ones wanted. A deleted pod still counts for `lingerMs`: its last
 * Events (Killing) may arrive after the pod watch said it is gone.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { objectKey, type EventObject } from './kube-event.js';

/** Owner kinds whose Events are shown, as owner references name them. */
const OWNER_KINDS: ReadonlySet<string> = new Set(['ReplicaSet', 'StatefulSet', 'DaemonSet', 'Job', 'ReplicationController']);

/** An owner that may have an owner of its own to find (a ReplicaSet's Deployment). */
export interface OwnerRef {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | undefined;
}

/** Whom an Event concerns: a followed pod (its colour is the pod's) or an owner. */
export type EventSubject = { readonly kind: 'pod'; readonly pod: string } | { readonly kind: 'owner'; readonly text: string };

interface Owner {
  /** the keys of the followed pods (or owners) that hold it */
  readonly holders: Set<string>;
  readonly parents: Set<string>;
}

export class EventObjects {
  /** followed pods by key → the owner keys they hold; and when a deleted one stops counting */
  private readonly pods = new Map<string, { owners: string[]; goneAt: number | undefined }>();
  private readonly owners = new Map<string, Owner>();
  /** when deleted pods were last let go: at most once a second, not at every pod event */
  private expiredAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly lingerMs = 30_000) {}

  /**
   * A pod was added or changed. Returns the owners it newly holds (for the caller to find their
   * own owners: a ReplicaSet's Deployment).
   */
  podSeen(pod: V1Pod, selected: boolean, nowMs: number): OwnerRef[] {
    this.expire(nowMs);
    const namespace = pod.metadata?.namespace ?? '';
    const key = objectKey({ kind: 'Pod', namespace, name: pod.metadata?.name ?? '' });
    if (!selected) {
      this.dropPod(key);
      return [];
    }
    const known = this.pods.get(key);
    if (known) {
      known.goneAt = undefined;
      return [];
    }
    const refs = (pod.metadata?.ownerReferences ?? []).filter((o) => OWNER_KINDS.has(o.kind));
    const added: OwnerRef[] = [];
    const ownerKeys: string[] = [];
    for (const o of refs) {
      const ref = { kind: o.kind, namespace, name: o.name, uid: o.uid };
      const ownerKey = objectKey(ref);
      ownerKeys.push(ownerKey);
      if (this.hold(ownerKey, key)) added.push(ref);
    }
    this.pods.set(key, { owners: ownerKeys, goneAt: undefined });
    return added;
  }

  /** A pod was deleted: it counts for a while longer (its Killing may still come). */
  podGone(pod: V1Pod, nowMs: number): void {
    const key = objectKey({ kind: 'Pod', namespace: pod.metadata?.namespace ?? '', name: pod.metadata?.name ?? '' });
    const known = this.pods.get(key);
    if (known && known.goneAt === undefined) known.goneAt = nowMs + this.lingerMs;
  }

  /** The owner's own owner (a ReplicaSet's Deployment), held while the owner is. */
  addParent(child: OwnerRef, parent: OwnerRef): boolean {
    const childKey = objectKey(child);
    const owner = this.owners.get(childKey);
    if (!owner) return false;
    const parentKey = objectKey(parent);
    if (owner.parents.has(parentKey)) return false;
    owner.parents.add(parentKey);
    return this.hold(parentKey, childKey);
  }

  /** Whom an Event about this object concerns, or undefined when it is not followed. */
  subject(o: EventObject, nowMs: number): EventSubject | undefined {
    const key = objectKey(o);
    if (o.kind === 'Pod') {
      const pod = this.pods.get(key);
      return pod && (pod.goneAt === undefined || pod.goneAt > nowMs) ? { kind: 'pod', pod: o.name } : undefined;
    }
    return this.owners.has(key) ? { kind: 'owner', text: `${o.kind.toLowerCase()}/${o.name}` } : undefined;
  }

  /** How many pods and owners are remembered (it must not grow with pods that came and went). */
  get size(): { readonly pods: number; readonly owners: number } {
    return { pods: this.pods.size, owners: this.owners.size };
  }

  /** Pods deleted longer than lingerMs ago stop counting, and so do the owners only they held. */
  private expire(nowMs: number): void {
    if (nowMs - this.expiredAt < 1000) return;
    this.expiredAt = nowMs;
    for (const [key, pod] of this.pods) if (pod.goneAt !== undefined && pod.goneAt <= nowMs) this.dropPod(key);
  }

  private dropPod(key: string): void {
    const pod = this.pods.get(key);
    if (!pod) return;
    this.pods.delete(key);
    for (const ownerKey of pod.owners) this.release(ownerKey, key);
  }

  /** Returns true when the owner is new. */
  private hold(ownerKey: string, holder: string): boolean {
    const owner = this.owners.get(ownerKey);
    if (owner) {
      owner.holders.add(holder);
      return false;
    }
    this.owners.set(ownerKey, { holders: new Set([holder]), parents: new Set() });
    return true;
  }

  private release(ownerKey: string, holder: string): void {
    const owner = this.owners.get(ownerKey);
    if (!owner) return;
    owner.holders.delete(holder);
    if (owner.holders.size > 0) return;
    this.owners.delete(ownerKey);
    for (const parent of owner.parents) this.release(parent, ownerKey);
  }
}
