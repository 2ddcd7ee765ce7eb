/**
 * The target tracker (stern's target.go, beside watch.go): from the pod events of the watches it
 * decides which container instances to start reading, and remembers per pod which instances are
 * being read, which were read to their end, and which had ended before ktail started. Pure of
 * I/O: it returns decisions, and is told when a source ends.
 *
 * It forgets a pod when the pod is deleted (an instance still being read is remembered until its
 * source ends), so a long run over pods that come and go does not grow. A pod that only left the
 * watch's view (out of a label selector: DELETED without a deletionTimestamp) may come back, and
 * its ended instances must not be read again; the last `leftPods` of those are remembered.
 */
import { WaitingReports } from './lifecycle.js';
import { keyOfPod, podTargets, previousInstanceTargets, type Target, type TargetFilter } from './targets.js';
import type { PodEvent } from './watch.js';

export type TrackerDecision =
  /** read this instance: from the start window when it existed at start (`initial`), else from its first line */
  | { readonly kind: 'follow'; readonly target: Target; readonly initial: boolean; readonly previous: boolean }
  /** a matching container waits for a reason worth a `~` notice (once per reason) */
  | {
      readonly kind: 'waiting';
      readonly source: { readonly context: string; readonly namespace: string; readonly pod: string; readonly container: string };
      readonly reason: string;
      readonly message: string | undefined;
    }
  /** the pod is gone: its sources that have not opened a stream yet are dropped */
  | { readonly kind: 'pod-gone'; readonly podKey: string };

/** reading: a source runs (or waits for its turn); ended: read to its end; before-start: ended before ktail started */
export type InstanceStatus = 'reading' | 'ended' | 'before-start';

export interface TrackerSettings {
  readonly targets: TargetFilter;
  readonly follow: boolean;
  readonly previous: boolean;
}

interface PodEntry {
  readonly instances: Map<string, InstanceStatus>;
  /** deleted while some of its instances were still being read */
  gone: boolean;
}

export class TargetTracker {
  private readonly pods = new Map<string, PodEntry>();
  /** pods that left the watch's view without being deleted, oldest first */
  private readonly left = new Set<string>();
  private readonly waiting = new WaitingReports();
  private matched = false;

  constructor(
    private readonly settings: TrackerSettings,
    /** how many pods that left (and may come back) are remembered */
    private readonly leftPods = 1000,
  ) {}

  /** Whether any source was ever followed (else, "nothing matches"). */
  get anyFollowed(): boolean {
    return this.matched;
  }

  /** What one pod event means for the sources. */
  observe(context: string, event: PodEvent): TrackerDecision[] {
    const podKey = keyOfPod(context, event.pod);
    if (event.kind === 'delete') {
      this.waiting.forget(context, event.pod);
      if (event.pod.metadata?.deletionTimestamp) this.forget(podKey);
      else this.leave(podKey);
      // streams not yet open are dropped; open ones end when the server ends them
      return [{ kind: 'pod-gone', podKey }];
    }
    const { targets: filter, follow, previous } = this.settings;
    const known = this.pods.get(podKey);
    // back in the watch's view (it matches the selector again): remembered as before
    if (known) known.gone = false;
    this.left.delete(podKey);
    const out: TrackerDecision[] = [];
    // CrashLoopBackOff, ImagePullBackOff…: once per container and reason (SPEC §2)
    for (const w of this.waiting.observe(context, event.pod, filter)) {
      const source = {
        context,
        namespace: event.pod.metadata?.namespace ?? '',
        pod: event.pod.metadata?.name ?? '',
        container: w.container,
      };
      out.push({ kind: 'waiting', source, reason: w.reason, message: w.message });
    }
    for (const target of podTargets(context, event.pod, filter)) {
      const status = this.status(target);
      if (status === 'reading' || status === 'ended') continue;
      this.set(target, 'reading');
      out.push({ kind: 'follow', target, initial: event.initial, previous });
    }
    // An instance that ran and ended unseen (created and restarted while the watch was down) is
    // read from its first line too; those of the first list ran before start and are not.
    if (follow) {
      for (const target of previousInstanceTargets(context, event.pod, filter)) {
        if (this.status(target) !== undefined) continue;
        if (event.initial) this.set(target, 'before-start');
        else {
          this.set(target, 'reading');
          out.push({ kind: 'follow', target, initial: false, previous: true });
        }
      }
    }
    if (out.some((d) => d.kind === 'follow')) this.matched = true;
    return out;
  }

  /** The source of this instance ended (read to its end, or stopped). */
  ended(target: Target): void {
    const pod = this.pods.get(target.podKey);
    if (pod?.instances.get(target.key) !== 'reading') return;
    if (!pod.gone) {
      pod.instances.set(target.key, 'ended');
      return;
    }
    pod.instances.delete(target.key);
    if (pod.instances.size === 0) this.pods.delete(target.podKey);
  }

  /** What the tracker remembers of an instance; undefined: nothing (never seen, or forgotten). */
  status(target: Pick<Target, 'podKey' | 'key'>): InstanceStatus | undefined {
    return this.pods.get(target.podKey)?.instances.get(target.key);
  }

  /** How many pods and instances are remembered (for tests: it must not grow without bound). */
  get size(): { readonly pods: number; readonly instances: number } {
    let instances = 0;
    for (const pod of this.pods.values()) instances += pod.instances.size;
    return { pods: this.pods.size, instances };
  }

  private set(target: Target, status: InstanceStatus): void {
    let pod = this.pods.get(target.podKey);
    if (!pod) this.pods.set(target.podKey, (pod = { instances: new Map(), gone: false }));
    pod.instances.set(target.key, status);
  }

  /** The pod left the watch's view: remembered while it is one of the last `leftPods` that did. */
  private leave(podKey: string): void {
    if (!this.pods.has(podKey)) return;
    this.left.delete(podKey);
    this.left.add(podKey);
    for (const oldest of this.left) {
      if (this.left.size <= this.leftPods) break;
      this.forget(oldest);
    }
  }

  /** The pod was deleted: keep only the instances still being read, until they end. */
  private forget(podKey: string): void {
    this.left.delete(podKey);
    const pod = this.pods.get(podKey);
    if (!pod) return;
    for (const [key, status] of pod.instances) if (status !== 'reading') pod.instances.delete(key);
    if (pod.instances.size === 0) this.pods.delete(podKey);
    else pod.gone = true;
  }
}
