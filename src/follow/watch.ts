/**
 * List-and-watch of pods for one (context, namespace): lists, watches from the list's
 * resourceVersion, re-watches after every end, re-lists after 410 Gone, backs off 1 s → 30 s
 * on errors and never stops silently.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { Backoff, sleep } from '../common/backoff.js';
import { api } from '../kube/api.js';
import { listInPages } from '../kube/pager.js';
import { ApiError, errorText, GoneError, isApiError, isGone } from '../kube/errors.js';
import type { Transport } from '../kube/transport.js';
import { readWatchStream } from './watch-stream.js';

export type PodEvent =
  | { readonly kind: 'upsert'; readonly pod: V1Pod; /** from the very first list: existed when ktail started */ readonly initial: boolean }
  | { readonly kind: 'delete'; readonly pod: V1Pod };

export interface WatchScope {
  /** undefined: every namespace */
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
}

export interface WatchHooks {
  onEvent(event: PodEvent): void;
  /** a failure after start: reported, retried */
  onTrouble(message: string, retryInMs: number): void;
  /** back to normal after trouble */
  onRecovered(): void;
  verbose(message: string): void;
}

export interface WatchTimings {
  /** a watch with no byte (not even a bookmark) for this long is considered stalled */
  readonly idleTimeoutMs: number;
  /** asked of the server, so that watches are renewed regularly */
  readonly timeoutSeconds: number;
  /** the backoff on errors (default 1 s doubling to 30 s; tests shorten it) */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

interface WatchEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK' | 'ERROR';
  object: V1Pod & { code?: number; message?: string; reason?: string };
}

function podKey(pod: V1Pod): string {
  return `${pod.metadata?.namespace ?? ''}/${pod.metadata?.name ?? ''}`;
}

/**
 * What is kept of every pod in view, to say which were deleted while not watching: a
 * delete event needs no more (5,000 whole pods would be tens of MB).
 */
function slim(pod: V1Pod): V1Pod {
  const m = pod.metadata;
  return { metadata: { namespace: m?.namespace, name: m?.name, uid: m?.uid, deletionTimestamp: m?.deletionTimestamp } };
}

/** A throttling wait this long or longer is said on stderr; a shorter one only with --verbose. */
const LONG_THROTTLE_MS = 5000;

export class PodWatch {
  private readonly known = new Map<string, V1Pod>();
  private resourceVersion = '';
  private readonly abort = new AbortController();
  private listedOnce = false;

  /** a method, not a property: its value changes across the awaits that precede each look */
  private stopped(): boolean {
    return this.abort.signal.aborted;
  }

  constructor(
    private readonly transport: Transport,
    private readonly scope: WatchScope,
    private readonly hooks: WatchHooks,
    private readonly timings: WatchTimings,
  ) {}

  /**
   * A list, in pages (kube/pager.ts): each page's pods go to onEvent as it arrives, so neither
   * the first line waits for the whole namespace nor memory holds it. The first list's errors
   * are the caller's (fatal at start); a 429 is waited out, said only when the wait is long.
   */
  async list(): Promise<void> {
    const initial = !this.listedOnce;
    let seen = new Set<string>();
    /** said on stderr: a long wait, whose end is said too */
    const trouble = { said: false };
    this.resourceVersion = await listInPages(
      this.transport,
      api.pods(this.scope.namespace, this.scope),
      { signal: this.abort.signal, idleTimeoutMs: this.timings.idleTimeoutMs },
      {
        page: (items) => {
          for (const pod of items) {
            const key = podKey(pod);
            seen.add(key);
            this.known.set(key, slim(pod));
            this.hooks.onEvent({ kind: 'upsert', pod, initial });
          }
        },
        restart: () => {
          this.hooks.verbose(`listing pods ${this.where()}: the continue token expired (410), listing again whole`);
          seen = new Set();
        },
        throttled: (wait, err) => {
          const text = `${errorText(err, `listing pods ${this.where()}`)} (the API server is throttling)`;
          if (wait >= LONG_THROTTLE_MS) {
            trouble.said = true;
            this.hooks.onTrouble(text, wait);
          } else this.hooks.verbose(`${text}; waiting ${wait}ms`);
        },
      },
    );
    this.listedOnce = true;
    if (trouble.said) this.hooks.onRecovered();
    // pods deleted while we were not watching
    for (const [key, pod] of this.known) {
      if (!seen.has(key)) {
        this.known.delete(key);
        this.hooks.onEvent({ kind: 'delete', pod });
      }
    }
  }

  /** Watches until stop(); call after a successful list(). */
  async run(): Promise<void> {
    const backoff = new Backoff(this.timings.backoff?.initialMs, this.timings.backoff?.maxMs);
    let troubled = false;
    let needList = false;
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
          this.hooks.verbose(`watch ${this.where()}: resourceVersion ${this.resourceVersion} expired (410), listing again`);
          needList = true;
          continue;
        }
        if (isApiError(err, 429)) {
          // API Priority and Fairness: not a failure; wait as the server says (else the backoff)
          // and go on from where we were. Said only when the wait is long.
          const wait = err.retryAfterMs ?? backoff.take();
          const text = `${errorText(err, `watching pods ${this.where()}`)} (the API server is throttling)`;
          if (wait >= LONG_THROTTLE_MS) this.hooks.onTrouble(text, wait);
          else this.hooks.verbose(`${text}; waiting ${wait}ms`);
          troubled ||= wait >= LONG_THROTTLE_MS;
          await sleep(wait, this.abort.signal);
          continue;
        }
        const delay = backoff.take();
        troubled = true;
        needList = true; // we may have missed events: a fresh list is the only safe ground
        this.hooks.onTrouble(errorText(err, `watching pods ${this.where()}`), delay);
        await sleep(delay, this.abort.signal);
      }
    }
  }

  private where(): string {
    return this.scope.namespace === undefined ? 'in all namespaces' : `in namespace "${this.scope.namespace}"`;
  }

  private async watchOnce(onOpen: () => void): Promise<void> {
    const res = await this.transport.open(
      api.watchPods(this.scope.namespace, this.scope, {
        resourceVersion: this.resourceVersion,
        timeoutSeconds: this.timings.timeoutSeconds,
      }),
      { signal: this.abort.signal, idleTimeoutMs: this.timings.idleTimeoutMs },
    );
    onOpen();
    this.hooks.verbose(`watch ${this.where()} open from resourceVersion ${this.resourceVersion}`);
    await readWatchStream(res, this.transport.server, (line: WatchEvent) => this.apply(line));
  }

  private apply(event: WatchEvent): void {
    const obj = event.object;
    if (event.type === 'ERROR') {
      if (obj.code === 410) throw new GoneError(obj.message ?? 'resourceVersion expired', obj.reason);
      throw new ApiError(obj.code ?? 500, obj.reason ?? '', obj.message ?? 'watch error');
    }
    const rv = obj.metadata?.resourceVersion;
    if (rv) this.resourceVersion = rv;
    if (event.type === 'BOOKMARK') return;
    const key = podKey(obj);
    if (event.type === 'DELETED') {
      this.known.delete(key);
      this.hooks.onEvent({ kind: 'delete', pod: obj });
    } else {
      this.known.set(key, slim(obj));
      this.hooks.onEvent({ kind: 'upsert', pod: obj, initial: false });
    }
  }

  stop(): void {
    this.abort.abort();
  }
}
