/**
 * The loop under every list-and-watch (pods: watch.ts; Events: event-watch.ts). It holds the
 * resourceVersion, watches from it, watches again after every end, waits out a 429 as the server
 * says, lists again after 410 Gone and after any other error, backs off 1 s → 30 s on those and
 * never stops silently. What is listed, which request watches, and what a watched object means
 * are each watch's own: the methods its class fills in.
 */
import { Backoff, sleep } from '../common/backoff.js';
import type { ApiRequest, WatchFrom } from '../kube/api.js';
import { ApiError, errorText, GoneError, isApiError, isGone, namespaceText } from '../kube/errors.js';
import type { Transport } from '../kube/transport.js';
import { readWatchStream } from './watch-stream.js';

export interface WatchTimings {
  /** a watch with no byte (not even a bookmark) for this long is considered stalled */
  readonly idleTimeoutMs: number;
  /** asked of the server, so that watches are renewed regularly */
  readonly timeoutSeconds: number;
  /** the backoff on errors (default 1 s doubling to 30 s; tests shorten it) */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

export interface WatchLoopHooks {
  /** a failure after start: reported, retried */
  onTrouble(message: string, retryInMs: number): void;
  /** back to normal after trouble */
  onRecovered(): void;
  verbose(message: string): void;
}

export type WatchChange = 'ADDED' | 'MODIFIED' | 'DELETED';

/** How one kind's watch is named and treated by the loop. */
export interface WatchedKind {
  /** how the loop's verbose lines name it: `watch`, `event watch` */
  readonly name: string;
  /** what is watched, in its error lines: `pods`, `events` */
  readonly plural: string;
  /** undefined: every namespace */
  readonly namespace: string | undefined;
}

/** A line of a watch: the kind's object, or with ERROR a Status. */
interface WatchLine<T> {
  type: WatchChange | 'BOOKMARK' | 'ERROR';
  object: T & { metadata?: { resourceVersion?: string }; code?: number; message?: string; reason?: string };
}

/** A throttling wait this long or longer is said on stderr; a shorter one only with --verbose. */
const LONG_THROTTLE_MS = 5000;

/** Says that the API server throttles (`text`: what was asked); true when said as trouble. */
export function sayThrottled(hooks: WatchLoopHooks, text: string, waitMs: number): boolean {
  const said = `${text} (the API server is throttling)`;
  if (waitMs < LONG_THROTTLE_MS) {
    hooks.verbose(`${said}; waiting ${waitMs}ms`);
    return false;
  }
  hooks.onTrouble(said, waitMs);
  return true;
}

export abstract class WatchLoop<T, H extends WatchLoopHooks> {
  private resourceVersion = '';
  private readonly abort = new AbortController();
  private listedOnce = false;

  /** a method, not a property: its value changes across the awaits that precede each look */
  private stopped(): boolean {
    return this.abort.signal.aborted;
  }

  constructor(
    protected readonly transport: Transport,
    private readonly kind: WatchedKind,
    protected readonly hooks: H,
    protected readonly timings: WatchTimings,
  ) {}

  /** Lists, handing the objects on; resolves with the list's resourceVersion. */
  protected abstract listObjects(signal: AbortSignal, first: boolean): Promise<string>;

  protected abstract watchRequest(from: WatchFrom): ApiRequest<never>;

  /** An object of the watch, in its order (bookmarks and errors are the loop's). */
  protected abstract change(type: WatchChange, object: T): void;

  /** The first list (its errors are the caller's), and each re-list. */
  async list(): Promise<void> {
    this.resourceVersion = await this.listObjects(this.abort.signal, !this.listedOnce);
    this.listedOnce = true;
  }

  /** Watches until stop(); lists first when no list has succeeded yet. */
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
        // a clean end (timeoutSeconds, a load balancer): watch again from where we are
      } catch (err) {
        if (this.stopped()) return;
        if (isGone(err)) {
          this.hooks.verbose(`${this.kind.name} ${this.where()}: resourceVersion ${this.resourceVersion} expired (410), listing again`);
          needList = true;
          continue;
        }
        if (isApiError(err, 429)) {
          // API Priority and Fairness: not a failure, and nothing was missed; wait as the server
          // says (else the backoff) and go on from where we were, without a re-list that would
          // only add to the load it is shedding
          const wait = err.retryAfterMs ?? backoff.take();
          troubled ||= sayThrottled(this.hooks, errorText(err, this.watching()), wait);
          await sleep(wait, this.abort.signal);
          continue;
        }
        const delay = backoff.take();
        troubled = true;
        needList = true; // we may have missed changes: a fresh list is the only safe ground
        this.hooks.onTrouble(errorText(err, this.watching()), delay);
        await sleep(delay, this.abort.signal);
      }
    }
  }

  stop(): void {
    this.abort.abort();
  }

  /** `in namespace "x"` / `in all namespaces`, for messages */
  protected where(): string {
    return namespaceText(this.kind.namespace);
  }

  private watching(): string {
    return `watching ${this.kind.plural} ${this.where()}`;
  }

  private async watchOnce(onOpen: () => void): Promise<void> {
    const res = await this.transport.open(
      this.watchRequest({ resourceVersion: this.resourceVersion, timeoutSeconds: this.timings.timeoutSeconds }),
      { signal: this.abort.signal, idleTimeoutMs: this.timings.idleTimeoutMs },
    );
    onOpen();
    this.hooks.verbose(`${this.kind.name} ${this.where()} open from resourceVersion ${this.resourceVersion}`);
    await readWatchStream(res, this.transport.server, (line: WatchLine<T>) => this.apply(line));
  }

  private apply(line: WatchLine<T>): void {
    const obj = line.object;
    if (line.type === 'ERROR') {
      if (obj.code === 410) throw new GoneError(obj.message ?? 'resourceVersion expired', obj.reason);
      throw new ApiError(obj.code ?? 500, obj.reason ?? '', obj.message ?? 'watch error');
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (line.type === 'BOOKMARK') return;
    this.change(line.type, obj);
  }
}
