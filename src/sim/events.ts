// Kubernetes Events as the simulated cluster's components record them. One stored object per
// event, in the core/v1 shape; events.k8s.io/v1 serves the same objects renamed (toEventsV1), as
// the real API server does. A repeat of the same event (same object, reason, message, reporter)
// within ten minutes updates the stored one rather than adding another: the count and last
// timestamp for reporters that use the core API (the kubelet, controllers), `series` for those that
// use events.k8s.io (the scheduler).
import { formatRFC3339, nowNs, secondsPrefix, splitNs } from './clock.js';
import { newUid } from './ids.js';
import type { KubeObject, ResourceDef } from './resources.js';
import type { Store } from './store.js';
import type { EventInput } from './types.js';

/** client-go's aggregation window: a repeat after it is a new event. */
const REPEAT_WINDOW_MS = 10 * 60_000;

/** What a stored Event holds beyond its metadata (core/v1 names). */
interface CoreEventFields {
  involvedObject: Record<string, string>;
  reason: string;
  message: string;
  source: { component?: string; host?: string };
  firstTimestamp: string | null;
  lastTimestamp: string | null;
  count?: number;
  type: string;
  eventTime: string | null;
  series?: { count: number; lastObservedTime: string };
  action?: string;
  reportingComponent: string;
  reportingInstance: string;
}

type StoredEvent = KubeObject & CoreEventFields;

/** MicroTime, as eventTime and series.lastObservedTime carry it. */
function microTime(ns: bigint): string {
  const [sec, frac] = splitNs(ns);
  return `${secondsPrefix(sec)}.${String(Math.floor(frac / 1000)).padStart(6, '0')}Z`;
}

export class EventRecorder {
  /** aggregation key → the stored event's name and when it was last seen */
  private readonly recent = new Map<string, { name: string; namespace: string; lastMs: number }>();
  /** the last name suffix given: names are unique even within one nanosecond */
  private lastSuffix = 0n;

  constructor(
    private readonly store: Store,
    /** the oldest events are deleted past this many (the real cluster's TTL, by count) */
    private readonly maxEvents = 5000,
  ) {}

  record(input: EventInput): KubeObject {
    const namespace = input.regarding.namespace ?? 'default';
    const component = input.component;
    const { regarding } = input;
    const key = [namespace, regarding.kind, regarding.name, regarding.uid ?? '', input.reason, input.message, component, input.type].join(
      '\u0000',
    );
    const now = nowNs();
    const nowMs = Number(now / 1_000_000n);
    const seen = this.recent.get(key);
    if (seen && nowMs - seen.lastMs <= REPEAT_WINDOW_MS && this.store.get('events', seen.namespace, seen.name)) {
      seen.lastMs = nowMs;
      // the key is re-inserted so that the map's order stays oldest-first
      this.recent.delete(key);
      this.recent.set(key, seen);
      const cur = this.store.get('events', seen.namespace, seen.name) as StoredEvent;
      const next = structuredClone(cur);
      if (input.style === 'series') {
        next.series = { count: (cur.series?.count ?? 1) + 1, lastObservedTime: microTime(now) };
      } else {
        next.count = (cur.count ?? 1) + 1;
        next.lastTimestamp = formatRFC3339(now);
      }
      return this.store.put('events', next);
    }
    const involvedObject: Record<string, string> = { kind: regarding.kind, namespace, name: regarding.name };
    if (regarding.uid !== undefined) involvedObject.uid = regarding.uid;
    involvedObject.apiVersion = regarding.apiVersion ?? (regarding.kind === 'Pod' ? 'v1' : 'apps/v1');
    if (regarding.fieldPath !== undefined) involvedObject.fieldPath = regarding.fieldPath;
    // client-go names an Event after its object and the time, in hex nanoseconds
    this.lastSuffix = now > this.lastSuffix ? now : this.lastSuffix + 1n;
    const name = `${regarding.name}.${this.lastSuffix.toString(16)}`;
    const instance = input.host ?? component;
    const series = input.style === 'series';
    const fields: CoreEventFields = {
      involvedObject,
      reason: input.reason,
      message: input.message,
      source: series ? {} : input.host === undefined ? { component } : { component, host: input.host },
      firstTimestamp: series ? null : formatRFC3339(now),
      lastTimestamp: series ? null : formatRFC3339(now),
      ...(series ? {} : { count: 1 }),
      type: input.type,
      eventTime: series ? microTime(now) : null,
      ...(input.action === undefined ? {} : { action: input.action }),
      reportingComponent: component,
      reportingInstance: instance,
    };
    const event: StoredEvent = {
      kind: 'Event',
      apiVersion: 'v1',
      metadata: { name, namespace, uid: newUid(), creationTimestamp: formatRFC3339(now) },
      ...fields,
    };
    this.recent.set(key, { name, namespace, lastMs: nowMs });
    const stored = this.store.put('events', event);
    this.trim();
    return stored;
  }

  /** Past maxEvents, the events least recently seen are deleted (DELETED on watches). */
  private trim(): void {
    if (this.recent.size <= this.maxEvents) return;
    for (const [key, e] of this.recent) {
      if (this.recent.size <= this.maxEvents) break;
      this.recent.delete(key);
      this.store.remove('events', e.namespace, e.name);
    }
  }
}

/** A stored (core/v1) Event as events.k8s.io/v1 serves it. */
function toEventsV1(obj: KubeObject): KubeObject {
  const e = obj as StoredEvent;
  const out: KubeObject = {
    kind: 'Event',
    apiVersion: 'events.k8s.io/v1',
    metadata: e.metadata,
    eventTime: e.eventTime,
    reportingController: e.reportingComponent,
    reportingInstance: e.reportingInstance,
    reason: e.reason,
    regarding: e.involvedObject,
    note: e.message,
    type: e.type,
  };
  if (e.series) out.series = e.series;
  if (e.action !== undefined) out.action = e.action;
  if (e.source.component !== undefined) out.deprecatedSource = e.source;
  if (e.firstTimestamp !== null) out.deprecatedFirstTimestamp = e.firstTimestamp;
  if (e.lastTimestamp !== null) out.deprecatedLastTimestamp = e.lastTimestamp;
  if (e.count !== undefined) out.deprecatedCount = e.count;
  return out;
}

/** How a resource's stored objects are served: events.k8s.io's Events renamed, the rest as stored. */
export function presenter(def: ResourceDef): (obj: KubeObject) => KubeObject {
  return def.group === 'events.k8s.io' ? toEventsV1 : (obj) => obj;
}
