/**
 * List-and-watch of pods for one (context, namespace): the list in pages, what is kept of each
 * pod to say which were deleted while not watching, and pod events. The loop (watch-loop.ts)
 * watches from the list's resourceVersion, re-watches after every end, re-lists after 410 Gone,
 * waits out throttling, backs off 1 s → 30 s on errors and never stops silently.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { api, type ApiRequest, type WatchFrom } from '../kube/api.js';
import { listInPages } from '../kube/pager.js';
import { errorText } from '../kube/errors.js';
import type { Transport } from '../kube/transport.js';
import { sayThrottled, WatchLoop, type WatchChange, type WatchLoopHooks, type WatchTimings } from './watch-loop.js';

export type { WatchTimings } from './watch-loop.js';

export type PodEvent =
  | { readonly kind: 'upsert'; readonly pod: V1Pod; /** from the very first list: existed when ktail started */ readonly initial: boolean }
  | { readonly kind: 'delete'; readonly pod: V1Pod };

export interface WatchScope {
  /** undefined: every namespace */
  readonly namespace: string | undefined;
  readonly labelSelector: string | undefined;
  readonly fieldSelector: string | undefined;
}

export interface WatchHooks extends WatchLoopHooks {
  onEvent(event: PodEvent): void;
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

export class PodWatch extends WatchLoop<V1Pod, WatchHooks> {
  private readonly known = new Map<string, V1Pod>();

  constructor(
    transport: Transport,
    private readonly scope: WatchScope,
    hooks: WatchHooks,
    timings: WatchTimings,
  ) {
    super(transport, { name: 'watch', plural: 'pods', namespace: scope.namespace }, hooks, timings);
  }

  /**
   * A list, in pages (kube/pager.ts): each page's pods go to onEvent as it arrives, so neither
   * the first line waits for the whole namespace nor memory holds it. A 429 is waited out, said
   * only when the wait is long. Resolves with the list's resourceVersion.
   */
  protected async listObjects(signal: AbortSignal, initial: boolean): Promise<string> {
    const where = this.where();
    let seen = new Set<string>();
    /** said on stderr: a long wait, whose end is said too */
    const trouble = { said: false };
    const resourceVersion = await listInPages(
      this.transport,
      api.pods(this.scope.namespace, this.scope),
      { signal, idleTimeoutMs: this.timings.idleTimeoutMs },
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
          this.hooks.verbose(`listing pods ${where}: the continue token expired (410), listing again whole`);
          seen = new Set();
        },
        throttled: (wait, err) => {
          if (sayThrottled(this.hooks, errorText(err, `listing pods ${where}`), wait)) trouble.said = true;
        },
      },
    );
    if (trouble.said) this.hooks.onRecovered();
    // pods deleted while we were not watching
    for (const [key, pod] of this.known) {
      if (!seen.has(key)) {
        this.known.delete(key);
        this.hooks.onEvent({ kind: 'delete', pod });
      }
    }
    return resourceVersion;
  }

  protected watchRequest(from: WatchFrom): ApiRequest<never> {
    return api.watchPods(this.scope.namespace, this.scope, from);
  }

  protected change(type: WatchChange, pod: V1Pod): void {
    const key = podKey(pod);
    if (type === 'DELETED') {
      this.known.delete(key);
      this.hooks.onEvent({ kind: 'delete', pod });
    } else {
      this.known.set(key, slim(pod));
      this.hooks.onEvent({ kind: 'upsert', pod, initial: false });
    }
  }
}
