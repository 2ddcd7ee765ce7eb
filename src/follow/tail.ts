/**
 * One source: a follow stream of one container instance. Opens it, splits lines, resumes after
 * a break or a clean end with sinceTime and skips what was shown, reads the previous instance's
 * rest when the container restarted meanwhile, and ends with a `-` notice and the reason.
 */
import type { Readable } from 'node:stream';
import { Backoff, jittered, sleep } from '../common/backoff.js';
import type { LineWriter, SourceLabel } from '../output/label.js';
import { LineSplitter } from './lines.js';
import type { Notices } from '../output/notices.js';
import { ResumePoint } from './resume.js';
import { settle, type SettledBody } from '../kube/settled.js';
import type { Backpressure } from '../output/sink.js';
import { instanceState, type InstanceState, type Target } from './targets.js';
import { api, type LogQuery } from '../kube/api.js';
import { IdleTimeoutError, isApiError } from '../kube/errors.js';
import type { Transport } from '../kube/transport.js';
import { TailGuard } from './tail-guard.js';
import { failedReads, nextStep, serverWait, type DecidedStep, type InstanceLookup, type ReadOutcome } from './next-step.js';

export { terminatedText } from './next-step.js';

/** How far back the first request reads: the start window, or (empty) from the first line. */
export interface LogWindow {
  readonly sinceSeconds?: number;
  readonly sinceTime?: string;
  readonly tailLines?: number;
}

export interface TailPlan {
  readonly target: Target;
  readonly label: SourceLabel;
  readonly writer: LineWriter;
  readonly window: LogWindow;
  readonly follow: boolean;
  /** read the previous instance (kubectl logs --previous) */
  readonly previous: boolean;
}

export interface TailDeps {
  readonly transport: Transport;
  /** where the source's lines go (stdout, its file): while saturated, the stream is paused */
  readonly sink: Backpressure;
  readonly notices: Notices;
  readonly verbose: (message: string) => void;
  /**
   * a follow stream with no byte for about this long is re-opened (a stalled connection): each
   * read draws its own limit within ±20%, so that quiet streams opened together are not all
   * re-opened together
   */
  readonly idleTimeoutMs: number;
}

const TS_MAX = 40;
/** the spread of a follow stream's idle limit */
const IDLE_JITTER = 0.2;
/** A read without follow has the whole log to send at once: silence this long is a stall. */
const PRINT_IDLE_MS = 60_000;

export class Tail {
  private readonly abort = new AbortController();
  /** what the tail is doing, for the watchdog */
  private readonly guard = new TailGuard(this.abort.signal);
  private readonly resume = new ResumePoint((from, to) => this.rotatedAway(from, to));
  private readonly splitter: LineSplitter;
  private started = false;
  /** the current read began after the instance was known to have terminated */
  private finalRead = false;
  /** when the first request that the server answered was sent (performance.now()) */
  private firstAnsweredAt: number | undefined;
  /** consecutive failed reads (next-step.ts failedReads) */
  private failures = 0;
  private gaveUp = false;

  constructor(
    private readonly plan: TailPlan,
    private readonly deps: TailDeps,
  ) {
    const { writer } = plan;
    const resume = this.resume;
    this.splitter = new LineSplitter(
      (buf, start, end) => {
        // the kubelet's "TIMESTAMP SP MESSAGE"; we always ask for timestamps
        let sp = buf.indexOf(0x20, start);
        if (sp === -1 || sp > end || sp - start > TS_MAX) sp = start - 1;
        const tsEnd = sp < start ? start : sp;
        if (resume.alreadyShown(buf, start, tsEnd)) return;
        writer(buf, start, tsEnd, sp + 1, end);
        resume.shown(buf, start, tsEnd);
      },
      () => resume.keep(),
    );
  }

  get key(): string {
    return this.plan.target.key;
  }

  /**
   * A resume found the log's start past the last line shown: the kubelet rotated the file
   * meanwhile, and the API serves only the current one. Lines in that span, if any were
   * written, are out of reach: said, never silently skipped.
   */
  private rotatedAway(from: string, to: string): void {
    const { pod, container } = this.plan.target;
    this.deps.notices.emit({
      kind: 'warning',
      text: `${pod}/${container}: the log was rotated while ktail reconnected; lines after ${from} and before ${to} may be missing`,
    });
  }

  stop(): void {
    this.abort.abort();
  }

  /** a method, not a property: its value changes across the awaits that precede each look */
  stopped(): boolean {
    return this.abort.signal.aborted;
  }

  /** The watchdog's look: a reason when the tail is stuck (its step is then aborted). */
  checkHealth(now: number): string | undefined {
    return this.guard.check(now, this.deps.transport.server);
  }

  /** Follows until the source ends or stop(); never rejects. */
  async run(): Promise<void> {
    if (this.stopped()) return;
    const { plan, deps } = this;
    this.started = true;
    if (plan.follow) deps.notices.emit({ kind: 'started', label: plan.label, restartCount: plan.target.restartCount });
    const backoff = new Backoff();
    let previous = plan.previous;
    let first = true;
    while (!this.stopped()) {
      this.resume.beginResume();
      const outcome = await this.readOnce(this.query(first, previous));
      first = false;
      if (this.stopped()) break;
      const { step: next, delayMs } = await this.decide(outcome, previous, backoff);
      if (this.stopped()) break;
      if (next.kind === 'done') {
        if (next.failed === true) this.gaveUp = true;
        if (next.warning !== undefined)
          deps.notices.emit({ kind: 'warning', text: `${plan.target.pod}/${plan.target.container}: ${next.warning}` });
        this.splitter.end();
        if (plan.follow) deps.notices.emit({ kind: 'ended', label: plan.label, reason: next.reason });
        break;
      }
      // a partial line will come again, whole, from the resumed stream
      this.splitter.discardPartial();
      previous = next.previous;
      if (next.quietProblem !== undefined) deps.verbose(`${plan.target.key}: ${next.quietProblem}; resuming`);
      if (next.problem !== undefined) {
        deps.notices.emit({ kind: 'retrying', label: plan.label, problem: next.problem, inMs: delayMs });
      } else {
        deps.verbose(`${plan.target.key}: stream ended, resuming from ${this.resume.hasPosition ? this.resume.sinceTime : 'the start'}`);
      }
      if (delayMs > 0) {
        this.guard.enter({ kind: 'waiting' }, delayMs);
        await sleep(delayMs, this.guard.signal);
      }
    }
    this.guard.enter({ kind: 'resting' });
  }

  private query(first: boolean, previous: boolean): LogQuery {
    const { plan } = this;
    const position: LogWindow = this.resume.hasPosition
      ? { sinceTime: this.resume.sinceTime }
      : first || !plan.follow || this.firstAnsweredAt === undefined
        ? plan.window
        : this.sinceFirstAnswer();
    return {
      container: plan.target.container,
      timestamps: true,
      follow: plan.follow && !previous,
      previous,
      ...position,
    };
  }

  /**
   * A reconnect before any line was shown: the start window held nothing (or, with --tail 0,
   * nothing was wanted from it), so what is wanted is what was written since the first request —
   * not the whole log. `sinceSeconds` is counted on the server's clock, so client clock skew does
   * not matter; one second more covers the request's travel (a line from just before it may show).
   */
  private sinceFirstAnswer(): LogWindow {
    const { window } = this.plan;
    if (window.sinceSeconds === undefined && window.sinceTime === undefined && window.tailLines === undefined) return {};
    return { sinceSeconds: Math.ceil((performance.now() - this.firstAnsweredAt!) / 1000) + 1 };
  }

  private async readOnce(query: LogQuery): Promise<ReadOutcome> {
    const t = this.plan.target;
    let res: Readable;
    const sentAt = performance.now();
    this.guard.enter({ kind: 'opening' });
    const signal = this.guard.signal;
    try {
      res = await this.deps.transport.open(api.podLog(t.namespace, t.pod, query), { signal });
    } catch (error) {
      // aborted by the watchdog: its reason says what was stuck
      return { kind: 'broken', bytes: 0, error: signal.aborted ? (signal.reason as unknown) : error };
    }
    // Listen for the end before anything else awaits: a reset during the instance check below
    // emits 'close' once, and a reader that attached later would wait for it for ever.
    const body = settle(res);
    const onAbort = (): void => {
      res.destroy();
    };
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      this.firstAnsweredAt ??= sentAt;
      if (query.follow === true) {
        // A follow request names the container, not the instance: the server serves whichever
        // runs now. If our instance is still the pod's after the stream opened, it was when the
        // stream opened (IDs only move forward), so the stream is ours; else it belongs to the
        // new instance's own source, and ours has its rest in `previous`. The check gates only
        // the reading of data: the body's end is already being listened for.
        let state: InstanceState | 'pod-gone';
        this.guard.enter({ kind: 'checking' });
        try {
          state = await this.instance();
        } catch (error) {
          res.destroy();
          return { kind: 'broken', bytes: body.unread(), error: signal.aborted ? (signal.reason as unknown) : error };
        }
        if (state === 'pod-gone' || (state.kind === 'terminated' && state.replaced)) {
          res.destroy();
          return { kind: 'not-ours', state };
        }
      }
      this.guard.enter({ kind: 'reading', body: res });
      return await this.pump(res, body, signal, query);
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Reads a response to its end, pausing while the sink is saturated. Ends on the body's own end
   * or on silence; the silence timer settles the read itself, so a body whose end was never
   * signalled cannot hold the tail.
   */
  private pump(res: Readable, body: SettledBody, signal: AbortSignal, query: LogQuery): Promise<ReadOutcome> {
    const { sink } = this.deps;
    const idleTimeoutMs = this.idleLimit(query.follow === true);
    const splitter = this.splitter;
    let bytes = 0;
    let paused = false;
    let lastData = Date.now();
    const resume = (): void => {
      paused = false;
      lastData = Date.now();
      res.resume();
    };
    return new Promise<ReadOutcome>((resolve) => {
      let finished = false;
      const finish = (outcome: ReadOutcome): void => {
        if (finished) return;
        finished = true;
        clearInterval(idle);
        res.off('data', onData);
        signal.removeEventListener('abort', onAbort);
        resolve(outcome);
      };
      // stop(), or the watchdog: a body whose end never came is given up here
      const onAbort = (): void => finish({ kind: 'broken', bytes: bytes + body.unread(), error: signal.reason });
      signal.addEventListener('abort', onAbort, { once: true });
      // A stalled stream sends nothing while the container writes; a paused one is ours.
      const idle = setInterval(
        () => {
          if (!paused && Date.now() - lastData > idleTimeoutMs) {
            const error = new IdleTimeoutError(this.deps.transport.server, idleTimeoutMs);
            res.destroy(error);
            finish({ kind: 'broken', bytes: bytes + body.unread(), error });
          }
        },
        Math.max(50, Math.floor(idleTimeoutMs / 4)),
      );
      idle.unref();
      const onData = (chunk: Buffer): void => {
        bytes += chunk.length;
        lastData = Date.now();
        splitter.push(chunk);
        if (sink.saturated && !paused) {
          paused = true;
          res.pause();
          sink.whenDrained(resume);
        }
      };
      void body.done.then((end) =>
        finish(end.kind === 'ended' ? { kind: 'ended', bytes } : { kind: 'broken', bytes: bytes + body.unread(), error: end.error }),
      );
      res.on('data', onData);
      if (signal.aborted) onAbort();
    });
  }

  /** This read's idle limit: a follow stream's drawn around the setting, a one-shot read's at most PRINT_IDLE_MS. */
  private idleLimit(follow: boolean): number {
    const { idleTimeoutMs } = this.deps;
    return follow ? Math.round(jittered(idleTimeoutMs, IDLE_JITTER)) : Math.min(idleTimeoutMs, PRINT_IDLE_MS);
  }

  /** After a stream ended or broke: what next (next-step.ts), looking the instance up if that depends on it. */
  private async decide(outcome: ReadOutcome, previous: boolean, backoff: Backoff): Promise<{ step: DecidedStep; delayMs: number }> {
    this.failures = failedReads(this.failures, outcome, this.plan.follow);
    const flags = { follow: this.plan.follow, previous, finalRead: this.finalRead, failures: this.failures };
    const first = nextStep(outcome, undefined, flags);
    let step: DecidedStep = first.kind === 'check-instance' ? { kind: 'done', reason: undefined } : first;
    let lookup: InstanceLookup | undefined;
    if (first.kind === 'check-instance') {
      lookup = await this.lookup();
      step = nextStep(outcome, lookup, flags);
    }
    if (outcome.kind !== 'not-ours' && outcome.bytes > 0) backoff.reset();
    if (step.kind !== 'reconnect') return { step, delayMs: 0 };
    this.finalRead = step.finalRead;
    return serverWait(step, outcome, lookup) ?? { step, delayMs: step.wait === 'backoff' ? backoff.take() : 0 };
  }

  private async lookup(): Promise<InstanceLookup> {
    this.guard.enter({ kind: 'checking' });
    try {
      const state = await this.instance();
      return state === 'pod-gone' ? { kind: 'pod-gone' } : state;
    } catch (error) {
      const signal = this.guard.signal;
      return { kind: 'lookup-failed', error: signal.aborted ? (signal.reason as unknown) : error };
    }
  }

  private async instance(): Promise<InstanceState | 'pod-gone'> {
    const t = this.plan.target;
    try {
      const pod = await this.deps.transport.json(api.pod(t.namespace, t.pod), { signal: this.guard.signal, idleTimeoutMs: 15_000 });
      return instanceState(pod, t.container, t.containerId);
    } catch (err) {
      if (isApiError(err, 404)) return 'pod-gone';
      throw err;
    }
  }

  get hasStarted(): boolean {
    return this.started;
  }

  /** The source ended without being read (given up after its tries, or refused). */
  get failed(): boolean {
    return this.gaveUp;
  }
}
