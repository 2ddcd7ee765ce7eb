/**
 * Pure: a Kubernetes Event, as core/v1 or events.k8s.io/v1 writes it, read into one shape. The
 * two APIs serve the same objects under different names (message/note,
 * involvedObject/regarding, count/deprecatedCount); an event written by an events.k8s.io
 * reporter (the scheduler) counts its repeats in `series`, one written through core/v1 (the
 * kubelet, the controllers) in `count`.
 */

/** The object an Event is about. */
export interface EventObject {
  readonly kind: string;
  readonly namespace: string;
  readonly name: string;
  readonly uid: string | undefined;
}

export interface KubeEvent {
  /** the Event object's own uid (its name when it has none) */
  readonly uid: string;
  readonly namespace: string;
  readonly regarding: EventObject;
  readonly reason: string;
  readonly message: string;
  /** Warning or Normal */
  readonly type: string;
  /** how many times it happened (1 when not counted) */
  readonly count: number;
  /** when it last happened (RFC 3339), or undefined when the Event does not say */
  readonly lastSeen: string | undefined;
  /** the Event object's resourceVersion */
  readonly resourceVersion: string | undefined;
}

type Json = Record<string, unknown>;

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : undefined);
const obj = (v: unknown): Json => (v !== null && typeof v === 'object' ? (v as Json) : {});

/** An Event from either API; undefined when it names no object (nothing to match it to). */
export function readEvent(raw: unknown): KubeEvent | undefined {
  const e = obj(raw);
  const meta = obj(e.metadata);
  const about = obj(e.regarding ?? e.involvedObject);
  const kind = str(about.kind);
  const name = str(about.name);
  if (kind === undefined || name === undefined) return undefined;
  const namespace = str(meta.namespace) ?? str(about.namespace) ?? '';
  const series = obj(e.series);
  return {
    uid: str(meta.uid) ?? `${namespace}/${str(meta.name) ?? ''}`,
    namespace,
    regarding: { kind, name, namespace: str(about.namespace) ?? namespace, uid: str(about.uid) },
    reason: str(e.reason) ?? '',
    message: str(e.note) ?? str(e.message) ?? '',
    type: str(e.type) ?? 'Normal',
    count: num(series.count) ?? num(e.count) ?? num(e.deprecatedCount) ?? 1,
    lastSeen:
      str(series.lastObservedTime) ??
      str(e.lastTimestamp) ??
      str(e.deprecatedLastTimestamp) ??
      str(e.eventTime) ??
      str(e.firstTimestamp) ??
      str(e.deprecatedFirstTimestamp) ??
      str(meta.creationTimestamp),
    resourceVersion: str(meta.resourceVersion),
  };
}

/** `Pod/default/web-1`: how followed objects and Events meet. */
export function objectKey(o: { readonly kind: string; readonly namespace: string; readonly name: string }): string {
  return `${o.kind}/${o.namespace}/${o.name}`;
}
