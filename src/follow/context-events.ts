/**
 * --events in one context: which API serves Events (events.k8s.io/v1 where discovery lists it,
 * else core/v1), one Event watch per watched namespace, the followed pods and their owners
 * (event-objects.ts, fed by the pod watches), each Event shown once and a repeat as an update
 * (event-repeats.ts).
 *
 * The pod and Event watches are separate streams: an Event may arrive before the pod it is about
 * (a FailedScheduling right after the pod's creation), and a Deployment's before the ReplicaSet
 * that links it to a pod has been read. Such an Event waits up to `PENDING_MS` for its object to
 * be followed. Events from before the start are shown when they last happened within the
 * --since/--since-time window, as log lines are.
 */
import type { V1Pod } from '@kubernetes/client-node';
import { api, type EventsApi } from '../kube/api.js';
import { errorText, isApiError, namespaceText } from '../kube/errors.js';
import type { Transport } from '../kube/transport.js';
import type { ShownEvent } from '../output/events.js';
import { EventObjects, type OwnerRef } from './event-objects.js';
import { EventRepeats } from './event-repeats.js';
import { EventWatch } from './event-watch.js';
import { objectKey, type KubeEvent } from './kube-event.js';
import type { EventSettings, FollowTimings } from './settings.js';
import type { PodEvent } from './watch.js';

/** How long an Event about an object not (yet) followed waits for it. */
const PENDING_MS = 10_000;
/** At most this many such Events wait (the oldest go first). */
const PENDING_MAX = 2000;

/**
 * Oldest first. Times have whole seconds only (lastTimestamp), so within a second the order the
 * server stored them in decides: resourceVersions are opaque, but etcd's grow, so digits compare.
 */
function byTime(a: KubeEvent, b: KubeEvent): number {
  const t = (a.lastSeen ?? '').localeCompare(b.lastSeen ?? '');
  if (t !== 0) return t;
  const [ra, rb] = [Number(a.resourceVersion), Number(b.resourceVersion)];
  return Number.isFinite(ra) && Number.isFinite(rb) ? ra - rb : 0;
}

export interface ContextEventsDeps {
  readonly context: string;
  readonly transport: Transport;
  /** whether a pod's name is selected (the query, --exclude-pod, --condition) */
  readonly selected: (pod: V1Pod) => boolean;
  readonly show: (e: ShownEvent) => void;
  readonly warn: (text: string) => void;
  readonly verbose: (message: string) => void;
  readonly timings: FollowTimings;
  readonly now?: () => number;
}

export class ContextEvents {
  private readonly objects = new EventObjects();
  private readonly repeats: EventRepeats;
  private readonly pending = new Map<string, { at: number; events: KubeEvent[] }>();
  private pendingCount = 0;
  private watches: EventWatch[] = [];
  private dueTimer: NodeJS.Timeout | undefined;
  private stopped = false;
  /** the first lists of Events wait for the first lists of pods: they are matched against them */
  private podsListed = false;
  private readonly early: { events: readonly KubeEvent[]; first: boolean }[] = [];
  /** the start under way (run() waits for it) */
  private starting: Promise<void> = Promise.resolve();
  private readonly now: () => number;

  constructor(
    private readonly settings: EventSettings,
    private readonly deps: ContextEventsDeps,
  ) {
    this.now = deps.now ?? Date.now;
    this.repeats = new EventRepeats(deps.timings.eventRepeatMs);
  }

  /** A pod event of this context's pod watches (after any workload gate). */
  readonly onPodEvent = (e: PodEvent): void => {
    const now = this.now();
    if (e.kind === 'delete') {
      this.objects.podGone(e.pod, now);
      return;
    }
    const owners = this.objects.podSeen(e.pod, this.deps.selected(e.pod), now);
    this.replay(objectKey({ kind: 'Pod', namespace: e.pod.metadata?.namespace ?? '', name: e.pod.metadata?.name ?? '' }));
    for (const owner of owners) {
      this.replay(objectKey(owner));
      if (owner.kind === 'ReplicaSet') void this.findDeployment(owner);
    }
  };

  /**
   * Chooses the API and lists the Events of each namespace once, beside the pod lists (not
   * after them: by then a thousand log streams may be opening on the same connection, and the
   * Event requests would wait behind them); the Events are shown once `podsReady()` says the
   * pods are in (within the window). A failure is a warning, never the end of the run: logs go
   * on without Events.
   */
  start(namespaces: readonly (string | undefined)[], signal: AbortSignal): Promise<void> {
    this.stopped = false;
    this.podsListed = false;
    for (const w of this.watches) w.stop();
    this.watches = [];
    this.starting = this.startWatches(namespaces, signal);
    return this.starting;
  }

  /** The context's pods have been listed: the Events listed meanwhile are shown. */
  podsReady(): void {
    this.podsListed = true;
    for (const { events, first } of this.early.splice(0)) this.listed(events, first);
  }

  private async startWatches(namespaces: readonly (string | undefined)[], signal: AbortSignal): Promise<void> {
    const which = await this.whichApi(signal);
    const selector = this.settings.mode === 'warning' ? 'type=Warning' : undefined;
    const timings = { idleTimeoutMs: this.deps.timings.watchIdleMs, timeoutSeconds: this.deps.timings.watchTimeoutSeconds };
    await Promise.all(
      namespaces.map(async (namespace) => {
        const where = namespaceText(namespace);
        const watch = new EventWatch(
          this.deps.transport,
          which,
          namespace,
          selector,
          {
            onListed: (events, first) => this.listed(events, first),
            onEvent: (e) => this.deliver(e),
            onDeleted: (uid) => this.repeats.forget(uid),
            onTrouble: (m, inMs) => this.deps.warn(`${m}; retrying in ${Math.max(1, Math.round(inMs / 1000))}s`),
            onRecovered: () => this.deps.warn(`watching events ${where} again`),
            verbose: this.deps.verbose,
          },
          timings,
        );
        try {
          await watch.list();
        } catch (err) {
          if (signal.aborted) return;
          if (isApiError(err, 403) || isApiError(err, 404)) {
            this.deps.warn(`${errorText(err, `listing events ${where}`)}; following logs without them`);
            return;
          }
          // listed again by the watch, with backoff
          this.deps.warn(`${errorText(err, `listing events ${where}`)}; trying again`);
        }
        this.watches.push(watch);
      }),
    );
    this.deps.verbose(
      `events ${this.settings.mode === 'warning' ? '(Warning)' : '(all)'} from ${which === 'core' ? 'core/v1' : 'events.k8s.io/v1'}`,
    );
  }

  async run(): Promise<void> {
    await this.starting;
    if (this.stopped) return;
    await Promise.all(this.watches.map((w) => w.run()));
  }

  stop(): void {
    this.stopped = true;
    for (const w of this.watches) w.stop();
    if (this.dueTimer) clearInterval(this.dueTimer);
    this.dueTimer = undefined;
  }

  /** events.k8s.io/v1 where the cluster serves its events (list and watch), else core/v1. */
  private async whichApi(signal: AbortSignal): Promise<EventsApi> {
    try {
      const list = await this.deps.transport.json(api.groupVersion('events.k8s.io'), { signal, idleTimeoutMs: 30_000 });
      const events = list.resources?.find((r) => r.name === 'events');
      if (events?.verbs?.includes('list') && events.verbs.includes('watch')) return 'events.k8s.io';
    } catch (err) {
      if (!isApiError(err, 404)) this.deps.verbose(`events.k8s.io discovery: ${errorText(err)}; using core/v1 Events`);
    }
    return 'core';
  }

  /** A list's Events, oldest first; the first list's only within the window. */
  private listed(events: readonly KubeEvent[], first: boolean): void {
    if (!this.podsListed) {
      this.early.push({ events, first });
      return;
    }
    const sorted = [...events].sort(byTime);
    const from = first ? this.windowStartMs() : undefined;
    for (const e of sorted) {
      const when = e.lastSeen === undefined ? Number.NaN : Date.parse(e.lastSeen);
      if (from !== undefined && when < from) this.repeats.markShown(e, this.now());
      else this.deliver(e);
    }
  }

  private windowStartMs(): number {
    const { window } = this.settings;
    if (window.sinceTime !== undefined) return Date.parse(window.sinceTime);
    if (window.sinceSeconds !== undefined) return this.now() - window.sinceSeconds * 1000;
    return Number.NEGATIVE_INFINITY;
  }

  private deliver(e: KubeEvent): void {
    if (this.stopped) return;
    if (this.settings.mode === 'warning' && e.type !== 'Warning') return;
    const now = this.now();
    const subject = this.objects.subject(e.regarding, now);
    if (subject === undefined) {
      this.hold(e, now);
      return;
    }
    const decision = this.repeats.observe(e, now);
    if (decision === 'show') this.show(e, subject.kind === 'pod');
    else if (decision === 'hold' && this.dueTimer === undefined) {
      this.dueTimer = setInterval(() => this.showDue(), 1000);
      this.dueTimer.unref();
    }
  }

  private showDue(): void {
    for (const e of this.repeats.due(this.now())) {
      const subject = this.objects.subject(e.regarding, this.now());
      if (subject) this.show(e, subject.kind === 'pod');
    }
    if (!this.repeats.holding && this.dueTimer) {
      clearInterval(this.dueTimer);
      this.dueTimer = undefined;
    }
  }

  private show(e: KubeEvent, aboutPod: boolean): void {
    const { regarding } = e;
    this.deps.show({
      context: this.deps.context,
      namespace: regarding.namespace,
      kind: regarding.kind,
      name: regarding.name,
      podKey: aboutPod ? `${this.deps.context}/${regarding.namespace}/${regarding.name}` : undefined,
      reason: e.reason,
      message: e.message,
      count: e.count,
      eventType: e.type,
      time: e.lastSeen,
    });
  }

  /** An Event about an object not followed (yet): kept a while, in case it becomes followed. */
  private hold(e: KubeEvent, now: number): void {
    for (const [key, p] of this.pending) {
      if (now - p.at < PENDING_MS && this.pendingCount < PENDING_MAX) break;
      this.pending.delete(key);
      this.pendingCount -= p.events.length;
    }
    const key = objectKey(e.regarding);
    const p = this.pending.get(key);
    if (p) p.events.push(e);
    else this.pending.set(key, { at: now, events: [e] });
    this.pendingCount++;
  }

  /** The object became followed: its waiting Events are shown. */
  private replay(key: string): void {
    const p = this.pending.get(key);
    if (!p) return;
    this.pending.delete(key);
    this.pendingCount -= p.events.length;
    for (const e of p.events) this.deliver(e);
  }

  /** A ReplicaSet's Deployment, from the ReplicaSet's owner references; its Events are shown too. */
  private async findDeployment(rs: OwnerRef): Promise<void> {
    try {
      const obj = await this.deps.transport.json(api.get({ group: 'apps', plural: 'replicasets' }, rs.namespace, rs.name), {
        idleTimeoutMs: 30_000,
      });
      for (const o of obj.metadata?.ownerReferences ?? []) {
        if (o.kind !== 'Deployment' || o.name === undefined) continue;
        const dep = { kind: 'Deployment', namespace: rs.namespace, name: o.name, uid: o.uid };
        if (this.objects.addParent(rs, dep)) this.replay(objectKey(dep));
      }
    } catch (err) {
      this.deps.verbose(`events: cannot read replicaset "${rs.name}" in namespace "${rs.namespace}": ${errorText(err)}`);
    }
  }
}
