/**
 * The follow stage of a run: one transport per context, the contexts started and run
 * (clusters.ts, start.ts), their pod events turned into sources (sources.ts), and what is said
 * when nothing matches.
 */
import type { ContextInfo } from '../kube/kubeconfig.js';
import { Transport } from '../kube/transport.js';
import type { Notices } from '../output/notices.js';
import type { SourceOutputs } from '../output/setup.js';
import { Clusters, type ContextWatch } from './clusters.js';
import { ContextEvents } from './context-events.js';
import type { FollowSettings } from './settings.js';
import { queriesText } from './query.js';
import { Sources } from './sources.js';
import { contextStarter, namespacesOf } from './start.js';
import { podSelected } from './targets.js';
import { sleep } from '../common/backoff.js';
import { UntilDone, type JobRef } from './until-done.js';
import type { PodEvent } from './watch.js';

export interface SessionDeps {
  readonly outputs: SourceOutputs;
  readonly notices: Notices;
  readonly verbose: (message: string) => void;
}

/** How long a following run waits for a first source before saying that nothing matches. */
const NOTHING_MATCHES_AFTER_MS = 2000;
/** --until-done: how often the run looks whether everything is done */
const DONE_CHECK_MS = 250;

export class FollowSession {
  private readonly transports: ReadonlyMap<string, Transport>;
  private readonly sources: Sources;
  private readonly clusters: Clusters;
  private nothingTimer: NodeJS.Timeout | undefined;
  /** --until-done */
  private readonly done: UntilDone | undefined;
  private readonly abort = new AbortController();

  constructor(
    private readonly contexts: readonly ContextInfo[],
    private readonly settings: FollowSettings,
    private readonly deps: SessionDeps,
  ) {
    const transports = new Map(contexts.map((ctx) => [ctx.name, new Transport(ctx, { protocol: 'auto', verbose: deps.verbose })]));
    for (const [name, t] of transports) deps.verbose(`context "${name}": ${t.route}`);
    const transport = (context: string): Transport => transports.get(context)!;
    const warn = (text: string): void => deps.notices.emit({ kind: 'warning', text });
    this.transports = transports;
    const events = settings.events === undefined ? undefined : this.contextEvents(settings.events, transport, warn);
    this.sources = new Sources(settings, {
      transport,
      outputs: deps.outputs,
      notices: deps.notices,
      verbose: deps.verbose,
    });
    const jobsOnly = settings.selection.queries.every((q) => q.kind === 'workload' && q.ref.kind === 'job');
    const done = settings.untilDone ? new UntilDone(settings.targets, jobsOnly, contexts.length > 1, deps.verbose) : undefined;
    this.done = done;
    const toSources = events === undefined ? this.sources.onEvent : this.withEvents(events);
    const onEvent = done
      ? (context: string, e: PodEvent): void => {
          toSources(context, e);
          done.observe(context, e);
        }
      : toSources;
    const startPods = contextStarter(settings.selection, settings.timings, {
      transport,
      showContext: contexts.length > 1,
      onEvent,
      ...(done ? { onJob: (job: JobRef) => done.addJob(job) } : {}),
      warn,
      verbose: deps.verbose,
    });
    // with --events, a context's Events are listed beside its pods and shown once the pods are
    // in; following, the pod watches do not wait for them (ContextEvents.run does)
    const start = async (ctx: ContextInfo, signal: AbortSignal): Promise<ContextWatch[]> => {
      const ctxEvents = events?.get(ctx.name);
      const eventsStarted = ctxEvents?.start(namespacesOf(settings.selection.namespaces, ctx), signal);
      let watches: ContextWatch[];
      try {
        watches = await startPods(ctx, signal);
      } catch (err) {
        ctxEvents?.stop();
        throw err;
      }
      if (ctxEvents === undefined) return watches;
      ctxEvents.podsReady();
      if (!settings.follow) await eventsStarted;
      return [...watches, ctxEvents];
    };
    this.clusters = new Clusters(contexts, { start, warn }, settings.follow);
  }

  /** --events: one ContextEvents per context, fed by its pod watches. */
  private contextEvents(
    eventSettings: NonNullable<FollowSettings['events']>,
    transport: (context: string) => Transport,
    warn: (text: string) => void,
  ): ReadonlyMap<string, ContextEvents> {
    const several = this.contexts.length > 1;
    return new Map(
      this.contexts.map((ctx) => [
        ctx.name,
        new ContextEvents(eventSettings, {
          context: ctx.name,
          transport: transport(ctx.name),
          selected: (pod) => podSelected(pod, this.settings.targets),
          show: this.deps.outputs.event,
          warn: (text) => warn(several ? `context "${ctx.name}": ${text}` : text),
          verbose: this.deps.verbose,
          timings: this.settings.timings,
        }),
      ]),
    );
  }

  /** The pod events go to the sources, and to the context's Events. */
  private withEvents(events: ReadonlyMap<string, ContextEvents>): (context: string, e: PodEvent) => void {
    return (context, e) => {
      this.sources.onEvent(context, e);
      events.get(context)?.onPodEvent(e);
    };
  }

  /** Starts every context (their first lists); on failure everything is stopped and closed, and the error thrown. */
  async start(): Promise<void> {
    try {
      await this.clusters.start();
    } catch (err) {
      this.stop();
      this.close();
      throw err;
    }
  }

  /** Following: every watch runs until stop(); if nothing has matched after 2 s, a notice says so. */
  run(): void {
    this.clusters.run();
    this.nothingTimer = setTimeout(() => {
      if (!this.sources.anyFollowed) {
        this.deps.notices.emit({
          kind: 'nothing-matches',
          text: `nothing matches ${this.describeScope()} yet; waiting for pods to appear`,
        });
      }
    }, NOTHING_MATCHES_AFTER_MS);
    this.nothingTimer.unref();
  }

  /**
   * --until-done: resolves with the exit code once everything is done (until-done.ts) and every
   * source has been read to its end; the Jobs' failures said first. Never, without --until-done.
   */
  async finished(): Promise<number> {
    const { done } = this;
    const signal = this.abort.signal;
    // a function, not a value: it changes across the awaits
    const stopped = (): boolean => signal.aborted;
    if (!done) return new Promise<number>(() => {});
    while (!stopped()) {
      await sleep(DONE_CHECK_MS, signal);
      if (stopped() || done.verdict() === undefined) continue;
      // pods the watches have not shown yet (made and ended in a moment) are read too
      await done.resync();
      await this.sources.idle();
      const verdict = done.verdict();
      if (verdict === undefined) continue;
      for (const text of verdict.failures) this.deps.notices.emit({ kind: 'warning', text });
      return verdict.exitCode;
    }
    return new Promise<number>(() => {});
  }

  /** --no-follow, after start: a warning if no source was found. */
  warnIfNothingFound(): void {
    if (this.sources.anyFollowed) return;
    const scope = this.describeScope();
    const text = this.settings.previous ? `no container matching ${scope} has a previous instance` : `no pod or container matches ${scope}`;
    this.deps.notices.emit({ kind: 'warning', text });
  }

  /** Resolves once every source has been read to its end (--no-follow). */
  idle(): Promise<void> {
    return this.sources.idle();
  }

  /** Sources that could not be read (each said in a warning): --no-follow exits 1. */
  get failedSources(): number {
    return this.sources.failed;
  }

  /** Contexts that could not be read at start (some may have been started since, when following). */
  get failedAtStart(): number {
    return this.clusters.failedAtStart.size;
  }

  stop(): void {
    this.abort.abort();
    this.done?.stop();
    if (this.nothingTimer) clearTimeout(this.nothingTimer);
    this.clusters.stop();
    this.sources.stop();
  }

  /** After stop() and the last write: the connections. */
  close(): void {
    for (const transport of this.transports.values()) transport.close();
  }

  /** `"QUERY" in namespace "a" of context "b"`, for the notices that say nothing matches. */
  describeScope(): string {
    const { selection } = this.settings;
    const { contexts } = this;
    const all = contexts.flatMap((c) => namespacesOf(selection.namespaces, c));
    const ns =
      selection.namespaces.kind === 'all'
        ? 'all namespaces'
        : `namespace${all.length > 1 ? 's' : ''} ${[...new Set(all)].map((n) => `"${n}"`).join(', ')}`;
    return `${queriesText(selection.queries)} in ${ns} of context${contexts.length > 1 ? 's' : ''} ${contexts.map((c) => `"${c.name}"`).join(', ')}`;
  }
}
