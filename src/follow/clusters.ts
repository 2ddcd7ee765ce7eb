/**
 * Several clusters at once (`--context a,b`): each context is started on its own — its workload
 * resolved, the first list of each of its watches — and run on its own.
 *
 * One context: a failure at start is fatal (exit 1), as SPEC §5 says. Several: fatal only when
 * every context fails; a context that fails while others start is reported and, when
 * following, started again with backoff (1 s → 30 s) until it answers, while the others go on.
 * After start, each watch reports and retries its own failures (watch.ts).
 */
import { Backoff, sleep } from '../common/backoff.js';
import { ClusterError } from '../common/errors.js';
import { errorText } from '../kube/errors.js';
import type { ContextInfo } from '../kube/kubeconfig.js';

/** What a context's start gives to run: its pod watches, and its Event watches with --events. */
export interface ContextWatch {
  run(): Promise<void>;
  stop(): void;
}

export interface ClusterHooks {
  /**
   * Builds the context's watches and lists each once. On failure it stops what it built and
   * throws a one-line KtailError.
   */
  start(ctx: ContextInfo, signal: AbortSignal): Promise<ContextWatch[]>;
  /** a notice on stderr */
  warn(text: string): void;
}

export class Clusters {
  private readonly watches: ContextWatch[] = [];
  private readonly abort = new AbortController();
  private running = false;
  /** contexts that failed at start (some may have been started since, when retrying) */
  readonly failedAtStart = new Set<string>();

  /** a method, not a property: its value changes across the awaits that precede each look */
  private stopped(): boolean {
    return this.abort.signal.aborted;
  }

  constructor(
    private readonly contexts: readonly ContextInfo[],
    private readonly hooks: ClusterHooks,
    /** start a failed context again until it answers (following); otherwise give up on it */
    private readonly retry: boolean,
  ) {}

  /** Starts every context; throws when the run cannot go on (see the file comment). */
  async start(): Promise<void> {
    const results = await Promise.allSettled(this.contexts.map((ctx) => this.hooks.start(ctx, this.abort.signal)));
    const failed: { ctx: ContextInfo; err: unknown }[] = [];
    results.forEach((r, i) => {
      const ctx = this.contexts[i]!;
      if (r.status === 'fulfilled') this.watches.push(...r.value);
      else failed.push({ ctx, err: r.reason });
    });
    if (failed.length === 0) return;
    if (this.contexts.length === 1) throw failed[0]!.err;
    if (failed.length === this.contexts.length) {
      const first = failed[0]!.err;
      const text = failed.map(({ ctx, err }) => `context "${ctx.name}": ${errorText(err)}`).join('; ');
      throw new ClusterError(`no context could be followed: ${text}`, { cause: first });
    }
    for (const { ctx, err } of failed) {
      this.failedAtStart.add(ctx.name);
      if (!this.retry) {
        this.hooks.warn(`context "${ctx.name}": ${errorText(err)}; following the other contexts without it`);
        continue;
      }
      const backoff = new Backoff();
      const delay = backoff.take();
      this.hooks.warn(`context "${ctx.name}": ${errorText(err)}; following the other contexts, retrying it in ${seconds(delay)}`);
      void this.retryLater(ctx, backoff, delay);
    }
  }

  /** Runs every watch (and those of contexts started later) until stop(). */
  run(): void {
    this.running = true;
    for (const w of this.watches) void w.run();
  }

  stop(): void {
    this.abort.abort();
    for (const w of this.watches) w.stop();
  }

  private async retryLater(ctx: ContextInfo, backoff: Backoff, firstDelay: number): Promise<void> {
    let delay = firstDelay;
    let last = '';
    for (;;) {
      await sleep(delay, this.abort.signal);
      if (this.stopped()) return;
      try {
        const watches = await this.hooks.start(ctx, this.abort.signal);
        if (this.stopped()) {
          for (const w of watches) w.stop();
          return;
        }
        this.watches.push(...watches);
        if (this.running) for (const w of watches) void w.run();
        this.hooks.warn(`context "${ctx.name}": reached, following it too`);
        return;
      } catch (err) {
        if (this.stopped()) return;
        delay = backoff.take();
        const text = errorText(err);
        // the same failure again is said again only at the longest back-off
        if (text !== last || delay === 30_000) this.hooks.warn(`context "${ctx.name}": ${text}; retrying in ${seconds(delay)}`);
        last = text;
      }
    }
  }
}

const seconds = (ms: number): string => `${Math.max(1, Math.round(ms / 1000))}s`;
