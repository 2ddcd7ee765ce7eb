/**
 * List-and-watch of the Events of one (context, namespace), one watch for every pod there: a
 * namespace of 2,000 pods is one stream, not 2,000. With --events (Warning only) the server
 * filters on `type=Warning`; which objects an Event is about is checked here (event-objects.ts).
 * The loop is the pod watch's (watch-loop.ts): watches from the list's resourceVersion, again
 * after every end, lists again after 410 Gone (the Events seen are remembered, so none is shown
 * twice: event-repeats.ts), waits out a 429 as the server says, backs off 1 s → 30 s on other
 * errors and never stops silently.
 */
import { api, type ApiRequest, type EventsApi, type WatchFrom } from '../kube/api.js';
import type { Transport } from '../kube/transport.js';
import { readEvent, type KubeEvent } from './kube-event.js';
import { WatchLoop, type WatchChange, type WatchLoopHooks, type WatchTimings } from './watch-loop.js';

export interface EventWatchHooks extends WatchLoopHooks {
  /** the Events of a list: the first (`first`), or a re-list after 410 or trouble */
  onListed(events: readonly KubeEvent[], first: boolean): void;
  /** an Event added or changed, from the watch */
  onEvent(event: KubeEvent): void;
  /** the Event was deleted (its time to live is over) */
  onDeleted(uid: string): void;
}

/** An Event as watched: read by kube-event.ts; its uid says which was deleted. */
interface WatchedEvent {
  metadata?: { uid?: string };
}

export class EventWatch extends WatchLoop<WatchedEvent, EventWatchHooks> {
  constructor(
    transport: Transport,
    private readonly which: EventsApi,
    private readonly namespace: string | undefined,
    /** `type=Warning`, or undefined for every type */
    private readonly fieldSelector: string | undefined,
    hooks: EventWatchHooks,
    timings: WatchTimings,
  ) {
    super(transport, { name: 'event watch', plural: 'events', namespace }, hooks, timings);
  }

  protected async listObjects(signal: AbortSignal, first: boolean): Promise<string> {
    const list = await this.transport.json(api.events(this.which, this.namespace, { fieldSelector: this.fieldSelector }), {
      signal,
      idleTimeoutMs: this.timings.idleTimeoutMs,
    });
    const events: KubeEvent[] = [];
    for (const item of list.items ?? []) {
      const e = readEvent(item);
      if (e) events.push(e);
    }
    this.hooks.onListed(events, first);
    return list.metadata?.resourceVersion ?? '';
  }

  protected watchRequest(from: WatchFrom): ApiRequest<never> {
    return api.watchEvents(this.which, this.namespace, { fieldSelector: this.fieldSelector }, from);
  }

  protected change(type: WatchChange, event: WatchedEvent): void {
    if (type === 'DELETED') {
      const uid = event.metadata?.uid;
      if (uid !== undefined) this.hooks.onDeleted(uid);
      return;
    }
    const e = readEvent(event);
    if (e) this.hooks.onEvent(e);
  }
}
