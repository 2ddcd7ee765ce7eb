// The object store: current objects per resource, one global increasing resourceVersion,
// and bounded histories of change events that watches replay from (like the watch cache).
// Events (the Kubernetes kind) keep a history of their own, as the API server's watch cache is
// per resource: a chatty kubelet must not push pod changes out of the history.
import type { KubeObject } from './resources.js';

type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  readonly type: EventType;
  readonly rv: number;
  readonly resource: string;
  /** the object after the change (for DELETED: the last state, with the deletion's RV) */
  readonly object: KubeObject;
  /** the object before the change (MODIFIED / DELETED) */
  readonly prev: KubeObject | undefined;
}

export type StoreListener = (e: StoreEvent) => void;

const keyOf = (ns: string | undefined, name: string) => (ns ? `${ns}/${name}` : name);

/** Resources with a history of their own; every other resource shares the main one. */
const OWN_HISTORY: ReadonlySet<string> = new Set(['events']);

/** A ring of the newest change events, oldest first. */
class History {
  private readonly ring: (StoreEvent | undefined)[];
  private start = 0; // index of the oldest event in ring
  private size = 0;

  constructor(capacity: number) {
    this.ring = new Array<StoreEvent | undefined>(Math.max(1, capacity));
  }

  add(e: StoreEvent): void {
    const cap = this.ring.length;
    if (this.size < cap) {
      this.ring[(this.start + this.size) % cap] = e;
      this.size++;
    } else {
      this.ring[this.start] = e;
      this.start = (this.start + 1) % cap;
    }
  }

  since(rv: number, current: number): StoreEvent[] | { expired: number } {
    const oldest = this.size > 0 ? this.at(0).rv : current + 1;
    if (rv < oldest - 1) return { expired: oldest - 1 };
    const out: StoreEvent[] = [];
    // binary search for the first event with rv > requested
    let lo = 0;
    let hi = this.size;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.at(mid).rv > rv) hi = mid;
      else lo = mid + 1;
    }
    for (let i = lo; i < this.size; i++) out.push(this.at(i));
    return out;
  }

  private at(i: number): StoreEvent {
    return this.ring[(this.start + i) % this.ring.length]!;
  }
}

export class Store {
  private rv: number;
  private readonly objects = new Map<string, Map<string, KubeObject>>();
  private readonly history: History;
  private readonly histories = new Map<string, History>();
  private readonly listeners = new Set<StoreListener>();

  constructor(
    readonly historySize: number,
    readonly initialRv = 1000,
  ) {
    this.rv = initialRv;
    this.history = new History(historySize);
    for (const r of OWN_HISTORY) this.histories.set(r, new History(historySize));
  }

  /** The current (latest) resourceVersion. */
  get resourceVersion(): number {
    return this.rv;
  }

  /**
   * A revision with no change here (etcd's revision is shared by every resource, and a real
   * cluster always writes something: leases, events). Returns it.
   */
  advance(): number {
    return ++this.rv;
  }

  /** Store a new version of an object (the caller must not mutate it afterwards). */
  put(resource: string, obj: KubeObject): KubeObject {
    const map = this.bucket(resource);
    const key = keyOf(obj.metadata.namespace, obj.metadata.name);
    const prev = map.get(key);
    const rv = ++this.rv;
    obj.metadata.resourceVersion = String(rv);
    map.set(key, obj);
    this.emit({ type: prev ? 'MODIFIED' : 'ADDED', rv, resource, object: obj, prev });
    return obj;
  }

  /** Remove an object; the DELETED event carries its last state (or `last`) with a new resourceVersion. */
  remove(resource: string, ns: string | undefined, name: string, last?: KubeObject): KubeObject | undefined {
    const map = this.bucket(resource);
    const key = keyOf(ns, name);
    const prev = map.get(key);
    if (!prev) return undefined;
    map.delete(key);
    const rv = ++this.rv;
    const base = last ?? prev;
    const object: KubeObject = { ...base, metadata: { ...base.metadata, resourceVersion: String(rv) } };
    this.emit({ type: 'DELETED', rv, resource, object, prev });
    return object;
  }

  get(resource: string, ns: string | undefined, name: string): KubeObject | undefined {
    return this.objects.get(resource)?.get(keyOf(ns, name));
  }

  /** Objects of a resource, in one namespace or all, sorted by namespace then name (etcd order). */
  list(resource: string, ns?: string): KubeObject[] {
    const map = this.objects.get(resource);
    if (!map) return [];
    const out: KubeObject[] = [];
    for (const obj of map.values()) {
      if (ns === undefined || obj.metadata.namespace === ns) out.push(obj);
    }
    out.sort((a, b) => {
      const ka = keyOf(a.metadata.namespace, a.metadata.name);
      const kb = keyOf(b.metadata.namespace, b.metadata.name);
      return ka < kb ? -1 : ka > kb ? 1 : 0;
    });
    return out;
  }

  /**
   * Change events of `resource` after `rv`, oldest first (those of other resources that share
   * its history may be among them); or `{ expired }` when `rv` is older than the history
   * (`expired` is what the real server reports in parentheses: the oldest RV minus one).
   */
  since(rv: number, resource: string): StoreEvent[] | { expired: number } {
    return this.historyOf(resource).since(rv, this.rv);
  }

  subscribe(fn: StoreListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private historyOf(resource: string): History {
    return this.histories.get(resource) ?? this.history;
  }

  private bucket(resource: string): Map<string, KubeObject> {
    let map = this.objects.get(resource);
    if (!map) {
      map = new Map();
      this.objects.set(resource, map);
    }
    return map;
  }

  private emit(e: StoreEvent): void {
    this.historyOf(e.resource).add(e);
    for (const fn of this.listeners) fn(e);
  }
}
