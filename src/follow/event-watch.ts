/**
 * List-and-watch of the Events of one (context, namespace), one watch for every pod there: a
 * namespace of 2,000 pods is one stream, not 2,000. With --events (Warning only) the server
 * filters on `type=Warning`; which objects an Event is about is checked here (event-objects.ts).
 * As the pod watch: watches from the list's resourceVersion, again after every end, lists again
 * after 410 Gone (the Events seen are remembered, so none is shown twice: event-repeats.ts),
 * backs off 1 s → 30 s on errors and never stops silently.
 */
import { Backoff, sleep } from '../common/backoff.js';
import { api, type EventsApi } from '../kube/api.js';
import { ApiError, errorText, GoneError, isApiError, isGone } from '../kube/errors.js';
import type { Transport } from '../kube/transport.js';
import { readEvent, type KubeEvent } from './kube-event.js';
import type { WatchTimings } from './watch.js';
import { readWatchStream } from './watch-stream.js';

export interface EventWatchHooks {
  /** the Events of a list: the first (`first`), or a re-list after 410 or trouble */
  onListed(events: readonly KubeEvent[], first: boolean): void;
  /** an Event added or changed, from the watch */
  onEvent(event: KubeEvent): void;
  /** the Event was deleted (its time to live is over) */
  onDeleted(uid: string): void;
  onTrouble(message: string, retryInMs: number): void;
  onRecovered(): void;
  verbose(message: string): void;
}

interface WatchLine {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: { metadata?: { resourceVersion?: string; uid?: string }; code?: number; message?: string; reason?: string };
}

export class EventWatch {
  private resourceVersion = '';
  private readonly abort = new AbortController();
  private listedOnce = false;

  private stopped(): boolean {
    return this.abort.signal.aborted;
  }

  constructor(
    private readonly transport: Transport,
    private readonly which: EventsApi,
    private readonly namespace: string | undefined,
    /** `type=Warning`, or undefined for every type */
    private readonly fieldSelector: string | undefined,
    private readonly hooks: EventWatchHooks,
    private readonly timings: WatchTimings,
  ) {}

  /** The first list (its errors are the caller's), and each re-list. */
  async list(): Promise<void> {
    const list = await this.transport.json(api.events(this.which, this.namespace, { fieldSelector: this.fieldSelector }), {
      signal: this.abort.signal,
      idleTimeoutMs: this.timings.idleTimeoutMs,
    });
    const first = !this.listedOnce;
    this.listedOnce = true;
    this.resourceVersion = list.metadata?.resourceVersion ?? '';
    const events: KubeEvent[] = [];
    for (const item of list.items ?? []) {
      const e = readEvent(item);
      if (e) events.push(e);
    }
    this.hooks.onListed(events, first);
  }

  /** Watches until stop(); lists first when the list at start failed. */
  async run(): Promise<void> {
    const backoff = new Backoff(this.timings.backoff?.initialMs, this.timings.backoff?.maxMs);
    let troubled = false;
    let needList = !this.listedOnce;
    while (!this.stopped()) {
      try {
        if (needList) {
          await this.list();
          needList = false;
        }
        await this.watchOnce(() => {
          if (troubled) {
            troubled = false;
            this.hooks.onRecovered();
          }
          backoff.reset();
        });
      } catch (err) {
        if (this.stopped()) return;
        if (isGone(err)) {
          this.hooks.verbose(`event watch ${this.where()}: resourceVersion ${this.resourceVersion} expired (410), listing again`);
          needList = true;
          continue;
        }
        const delay = isApiError(err, 429) ? (err.retryAfterMs ?? backoff.take()) : backoff.take();
        troubled = true;
        needList = true;
        this.hooks.onTrouble(errorText(err, `watching events ${this.where()}`), delay);
        await sleep(delay, this.abort.signal);
      }
    }
  }

  stop(): void {
    this.abort.abort();
  }

  private where(): string {
    return this.namespace === undefined ? 'in all namespaces' : `in namespace "${this.namespace}"`;
  }

  private async watchOnce(onOpen: () => void): Promise<void> {
    const res = await this.transport.open(
      api.watchEvents(
        this.which,
        this.namespace,
        { fieldSelector: this.fieldSelector },
        {
          resourceVersion: this.resourceVersion,
          timeoutSeconds: this.timings.timeoutSeconds,
        },
      ),
      { signal: this.abort.signal, idleTimeoutMs: this.timings.idleTimeoutMs },
    );
    onOpen();
    this.hooks.verbose(`event watch ${this.where()} open from resourceVersion ${this.resourceVersion}`);
    await readWatchStream(res, this.transport.server, (line: WatchLine) => this.apply(line));
  }

  private apply(line: WatchLine): void {
    const obj = line.object;
    if (line.type === 'ERROR') {
      if (obj.code === 410) throw new GoneError(obj.message ?? 'resourceVersion expired', obj.reason);
      throw new ApiError(obj.code ?? 500, obj.reason ?? '', obj.message ?? 'watch error');
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (line.type === 'BOOKMARK') return;
    if (line.type === 'DELETED') {
      const uid = obj.metadata?.uid;
      if (uid !== undefined) this.hooks.onDeleted(uid);
      return;
    }
    const e = readEvent(obj);
    if (e) this.hooks.onEvent(e);
  }
}
