// ?watch=true: a stream of newline-delimited watch events, resumable from a resourceVersion
// within the history, with bookmarks, timeoutSeconds and 410 Expired as a real server sends.
import { presenter } from './events.js';
import { OpenStream, type StreamRegistry } from './faults.js';
import { type Res, write } from './http.js';
import { apiVersionOf, fieldValue, type KubeObject, type ResourceDef } from './resources.js';
import { type FieldSelector, type LabelSelector, matchFields, matchLabels } from './selectors.js';
import type { Counters } from './state.js';
import { expired } from './status.js';
import { toTable } from './tables.js';
import type { Store, StoreEvent } from './store.js';

export interface WatchContext {
  store: Store;
  registry: StreamRegistry;
  counters: Counters;
  bookmarkIntervalMs: number;
  /** kube-apiserver's --min-request-timeout: the base of a watch's lifetime when the client sets none */
  minRequestTimeoutSeconds: number;
}

export interface WatchRequest {
  def: ResourceDef;
  namespace: string | undefined;
  labels: LabelSelector;
  fields: FieldSelector;
  resourceVersion: string | null;
  bookmarks: boolean;
  timeoutSeconds: number | undefined;
  /** send each object as a one-row Table (column definitions in the first event only) */
  table: boolean;
}

export function serveWatch(ctx: WatchContext, res: Res, w: WatchRequest): void {
  new WatchStream(ctx, res, w).start();
}

class WatchStream extends OpenStream {
  readonly kind = 'watch';
  readonly pod = undefined;
  readonly container = undefined;
  readonly namespace: string | undefined;
  private tableHeadersSent = false;
  /** events.k8s.io serves the stored core Events renamed */
  private readonly present: (obj: KubeObject) => KubeObject;
  /** what a stall held back */
  private queue: string[] = [];
  private readonly timers: NodeJS.Timeout[] = [];
  private unsubscribe: (() => void) | undefined;

  constructor(
    private readonly ctx: WatchContext,
    res: Res,
    private readonly w: WatchRequest,
  ) {
    super(res, ctx.registry);
    this.namespace = w.namespace;
    this.present = presenter(w.def);
  }

  start(): void {
    const { counters, registry, store } = this.ctx;
    counters.watchesOpened++;
    counters.watchesOpen++;
    this.open('application/json');

    const rvText = this.w.resourceVersion;
    const rv = rvText === null || rvText === '' ? 0 : Number(rvText); // validated by the router
    if (registry.expireNext > 0) {
      registry.expireNext--;
      return this.expire(rv, store.resourceVersion);
    }
    if (rv === 0) {
      // no resourceVersion (or "0"): synthetic ADDED events for the current state
      for (const obj of store.list(this.w.def.name, this.w.namespace)) {
        if (this.matches(obj)) this.send('ADDED', obj);
      }
    } else {
      const events = store.since(rv, this.w.def.name);
      if (!Array.isArray(events)) return this.expire(rv, events.expired);
      for (const e of events) this.onEvent(e);
    }
    this.unsubscribe = store.subscribe((e) => this.onEvent(e));
    if (this.w.bookmarks && this.ctx.bookmarkIntervalMs > 0) {
      const t = setInterval(() => this.bookmark(), this.ctx.bookmarkIntervalMs);
      this.timers.push(t);
    }
    const seconds = this.lifetimeSeconds();
    if (seconds > 0) this.timers.push(setTimeout(() => this.end(), seconds * 1000));
  }

  /**
   * The client's timeoutSeconds; when it gives none (or 0), kube-apiserver's own: a random time
   * between --min-request-timeout and twice that, so that watches do not all end together.
   */
  private lifetimeSeconds(): number {
    const asked = this.w.timeoutSeconds;
    if (asked !== undefined && asked > 0) return asked;
    const min = this.ctx.minRequestTimeoutSeconds;
    return min * (1 + Math.random());
  }

  private expire(rv: number, oldestMinusOne: number): void {
    this.write(JSON.stringify({ type: 'ERROR', object: expired(`too old resource version: ${rv} (${oldestMinusOne})`) }) + '\n');
    this.end();
  }

  private matches(obj: KubeObject | undefined): boolean {
    if (!obj) return false;
    if (this.w.namespace !== undefined && obj.metadata.namespace !== this.w.namespace) return false;
    return matchLabels(this.w.labels, obj.metadata.labels) && matchFields(this.w.fields, (f) => fieldValue(obj, f));
  }

  /** The cacher's rules: an object that starts or stops matching is ADDED or DELETED. */
  private onEvent(e: StoreEvent): void {
    if (this.closed || e.resource !== this.w.def.name) return;
    const now = this.matches(e.object);
    const before = this.matches(e.prev);
    if (e.type === 'ADDED') {
      if (now) this.send('ADDED', e.object);
    } else if (e.type === 'DELETED') {
      if (now || before) this.send('DELETED', e.object);
    } else if (now && before) this.send('MODIFIED', e.object);
    else if (now) this.send('ADDED', e.object);
    else if (before) this.send('DELETED', e.object);
  }

  private send(type: string, object: KubeObject): void {
    let out: unknown = this.present(object);
    if (this.w.table) {
      out = toTable(this.w.def.name, [object], undefined, !this.tableHeadersSent);
      this.tableHeadersSent = true;
    }
    this.write(`{"type":"${type}","object":${JSON.stringify(out)}}\n`);
  }

  private bookmark(): void {
    if (this.closed || this.stalled) return;
    const def = this.w.def;
    const object: Record<string, unknown> = {
      kind: def.kind,
      apiVersion: apiVersionOf(def),
      metadata: { resourceVersion: String(this.ctx.store.resourceVersion), creationTimestamp: null },
    };
    // what Go's encoder writes for an otherwise empty Pod
    if (def.name === 'pods') Object.assign(object, { spec: { containers: null }, status: {} });
    this.write(JSON.stringify({ type: 'BOOKMARK', object }) + '\n');
  }

  private write(line: string): void {
    if (this.closed) return;
    if (this.stalled) this.queue.push(line);
    else write(this.res, line);
  }

  protected resume(): void {
    const q = this.queue;
    this.queue = [];
    if (q.length) write(this.res, q.join(''));
  }

  protected onClose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.unsubscribe?.();
    this.ctx.counters.watchesOpen--;
  }
}
