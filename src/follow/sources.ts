/**
 * The sources of a run: the tracker's decisions carried out. One Tail per container instance
 * it says to follow, run under the stream cap; `~` notices for waiting containers; sources of a
 * deleted pod that have not opened a stream are dropped. When a source ends, its colours go
 * back and the tracker is told.
 */
import type { Transport } from '../kube/transport.js';
import type { Notices } from '../output/notices.js';
import type { SourceOutputs } from '../output/setup.js';
import type { FollowSettings } from './settings.js';
import { StreamCap } from './stream-cap.js';
import { Tail } from './tail.js';
import { TargetTracker, type TrackerDecision } from './tracker.js';
import { Watchdog } from './watchdog.js';
import type { PodEvent } from './watch.js';

export interface SourcesDeps {
  transport(context: string): Transport;
  readonly outputs: SourceOutputs;
  readonly notices: Notices;
  readonly verbose: (message: string) => void;
}

export class Sources {
  private readonly tracker: TargetTracker;
  private readonly cap: StreamCap;
  /** the sources running or waiting for their turn, by instance key */
  private readonly tails = new Map<string, Tail>();
  private readonly idleWaiters: (() => void)[] = [];
  private failedCount = 0;
  /** unsticks a tail whose stream ended unheard or whose step outlived its deadline */
  private readonly watchdog: Watchdog;

  constructor(
    private readonly settings: FollowSettings,
    private readonly deps: SourcesDeps,
  ) {
    this.tracker = new TargetTracker(settings);
    this.watchdog = new Watchdog((m) => deps.verbose(m));
    this.cap = new StreamCap(settings.maxLogRequests, (text) => deps.notices.emit({ kind: 'warning', text }));
  }

  /** A pod event of one context's watch. */
  readonly onEvent = (context: string, event: PodEvent): void => {
    for (const decision of this.tracker.observe(context, event)) this.apply(decision);
  };

  /** Whether any source was ever followed. */
  get anyFollowed(): boolean {
    return this.tracker.anyFollowed;
  }

  /** Sources that ended without being read: given up after their tries, or refused (each said in a warning). */
  get failed(): number {
    return this.failedCount;
  }

  /** Resolves once no source runs or waits (--no-follow: every tail read to its end). */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  /** The end of the run: waiting sources never start, running ones stop. */
  stop(): void {
    this.cap.clear();
    this.watchdog.stop();
    for (const tail of this.tails.values()) tail.stop();
  }

  private apply(d: TrackerDecision): void {
    switch (d.kind) {
      case 'follow':
        return this.follow(d);
      case 'waiting':
        return this.deps.notices.emit({ kind: 'waiting', label: this.deps.outputs.label(d.source), reason: d.reason, message: d.message });
      case 'pod-gone':
        // streams not yet open are dropped; open ones end when the server ends them
        for (const tail of this.tails.values()) if (!tail.hasStarted && tail.key.startsWith(`${d.podKey}/`)) tail.stop();
        return;
    }
  }

  private follow({ target, initial, previous }: Extract<TrackerDecision, { kind: 'follow' }>): void {
    const { settings, deps } = this;
    const source = deps.outputs.open(target);
    const tail = new Tail(
      {
        target,
        label: source.label,
        writer: source.writer,
        // containers that appear after start are read from their first line (SPEC §1)
        window: initial ? settings.window : {},
        follow: settings.follow,
        previous,
      },
      {
        transport: deps.transport(target.context),
        sink: source.pressure,
        notices: deps.notices,
        verbose: deps.verbose,
        idleTimeoutMs: settings.timings.streamIdleMs,
      },
    );
    this.tails.set(target.key, tail);
    this.watchdog.add(tail);
    void this.cap
      .run(() => tail.run())
      .then(() => {
        this.watchdog.remove(tail);
        this.tails.delete(target.key);
        if (tail.failed) this.failedCount++;
        this.tracker.ended(target);
        source.close();
        if (this.tails.size === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      });
  }
}
