/**
 * --events: how a Kubernetes Event is shown. The JSON formats write it on stdout as an object of
 * its own, `{"type":"event",…}` (a log line's object has no `type` key, so `jq
 * 'select(.type == "event")'` parts them); every other format shows it on stderr as a notice,
 * `! POD reason: message (×count)` in the pod's colour, since stdout carries log lines only
 * (raw, templates and the default layout have no place for an Event in their lines). Decided
 * once per run.
 */
import type { OutputFormat } from './choices.js';
import type { ColorPair } from './colors.js';
import { sourceLabel, type LabelDisplay } from './label.js';
import type { Notices } from './notices.js';
import type { Sink } from './sink.js';

/** An Event to show, about a followed pod or one of its owners. */
export interface ShownEvent {
  readonly context: string;
  readonly namespace: string;
  /** the object it is about: Pod, ReplicaSet, Deployment… */
  readonly kind: string;
  readonly name: string;
  /** the followed pod's key (context/namespace/pod) when the Event is about one: its colour */
  readonly podKey: string | undefined;
  readonly reason: string;
  readonly message: string;
  readonly count: number;
  /** Warning or Normal */
  readonly eventType: string;
  /** when it last happened (RFC 3339), when the Event says */
  readonly time: string | undefined;
}

export type EventOutput = (e: ShownEvent) => void;

const EMPTY = Buffer.alloc(0);

export interface EventOutputDeps {
  readonly format: OutputFormat;
  /** a template replaces the format: the notice */
  readonly template: boolean;
  readonly display: LabelDisplay;
  /** the pod's colours (undefined: no colour) */
  readonly colors: (podKey: string) => ColorPair | undefined;
  readonly sink: Sink;
  readonly notices: Notices;
}

/** The object of -o json (extjson, ppextjson: the same, ppextjson indented). */
function eventJson(e: ShownEvent, withContext: boolean): Record<string, unknown> {
  return {
    type: 'event',
    ...(withContext ? { context: e.context } : {}),
    timestamp: e.time ?? null,
    namespace: e.namespace,
    kind: e.kind,
    name: e.name,
    ...(e.kind === 'Pod' ? { podName: e.name } : {}),
    eventType: e.eventType,
    reason: e.reason,
    message: e.message,
    count: e.count,
  };
}

export function makeEventOutput(deps: EventOutputDeps): EventOutput {
  const { format, display, sink, notices } = deps;
  if (!deps.template && (format === 'json' || format === 'extjson' || format === 'ppextjson')) {
    const indent = format === 'ppextjson' ? 2 : undefined;
    return (e) => {
      const text = Buffer.from(JSON.stringify(eventJson(e, display.showContext), null, indent));
      sink.writeLine(EMPTY, text, 0, text.length, EMPTY);
    };
  }
  return (e) => {
    const subject = e.podKey === undefined ? `${e.kind.toLowerCase()}/${e.name}` : e.name;
    const colors = e.podKey === undefined ? undefined : deps.colors(e.podKey);
    const label = sourceLabel({ context: e.context, namespace: e.namespace, pod: subject, container: '' }, display, { colors });
    notices.emit({ kind: 'event', label, reason: e.reason, message: e.message, count: e.count });
  };
}
