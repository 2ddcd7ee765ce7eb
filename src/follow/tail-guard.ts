/**
 * What a tail is doing now, and by when it must have moved on. The rule it guards: a running
 * container always has an open or opening stream. Every step a tail takes is entered here with
 * its limit; the watchdog (watchdog.ts) looks at every tail each second, and a step past its
 * limit, or a stream that closed without its reader hearing of it, is aborted so that the tail
 * goes on to its next decision. The transport's own deadlines come first; this is the guarantee
 * that holds when the next cause of a stall is one nobody has found yet.
 */
import type { Readable } from 'node:stream';
import { TransportError } from '../kube/errors.js';

export type TailStep =
  /** sending the log request: credentials, connection, response headers */
  | { readonly kind: 'opening' }
  /** the pod GET that tells whose stream it is, or what to do after one ended */
  | { readonly kind: 'checking' }
  /** a stream is open and read */
  | { readonly kind: 'reading'; readonly body: Readable }
  /** waiting out a backoff before the next try */
  | { readonly kind: 'waiting' }
  /** not started, waiting for a stream slot, or finished: nothing that can stall */
  | { readonly kind: 'resting' };

/** Past the transport's deadlines (credentials 60 s, tunnel 30 s, TLS 10 s, response 30 s). */
export const OPENING_LIMIT_MS = 150_000;
/** A pod GET: response 30 s, then its body 15 s. */
export const CHECKING_LIMIT_MS = 60_000;
/** How long a stream may be closed without its reader having noticed. */
const CLOSED_GRACE_MS = 1500;
/** A backoff's wait, plus this. */
const WAIT_MARGIN_MS = 5000;

export class TailGuard {
  private step: TailStep = { kind: 'resting' };
  private since = 0;
  private limitMs = Infinity;
  private closedSeenAt: number | undefined;
  private attempt = new AbortController();
  private current: AbortSignal;

  constructor(private readonly stopSignal: AbortSignal) {
    this.current = stopSignal;
  }

  /** Aborted by stop() or by the watchdog: what the step in progress listens to. */
  get signal(): AbortSignal {
    return this.current;
  }

  get kind(): TailStep['kind'] {
    return this.step.kind;
  }

  /** A new step; `limitMs` for a wait (its delay), else the step's own limit. */
  enter(step: TailStep, waitMs = 0): void {
    this.step = step;
    this.since = Date.now();
    this.closedSeenAt = undefined;
    this.limitMs =
      step.kind === 'opening'
        ? OPENING_LIMIT_MS
        : step.kind === 'checking'
          ? CHECKING_LIMIT_MS
          : step.kind === 'waiting'
            ? waitMs + WAIT_MARGIN_MS
            : Infinity;
    if (this.attempt.signal.aborted || this.current === this.stopSignal) {
      this.attempt = new AbortController();
      this.current = AbortSignal.any([this.stopSignal, this.attempt.signal]);
    }
  }

  /**
   * The watchdog's look. When the tail is stuck, says why and aborts the step in progress, so
   * that the tail decides again (and, if its container runs, opens a new stream).
   */
  check(now: number, server: string): string | undefined {
    const reason = this.stuck(now);
    if (reason !== undefined) this.attempt.abort(new TransportError('STUCK', server, reason));
    return reason;
  }

  private stuck(now: number): string | undefined {
    if (this.attempt.signal.aborted || this.stopSignal.aborted) return undefined;
    const step = this.step;
    if (step.kind === 'reading') {
      const body = step.body;
      if (!body.destroyed && !body.readableEnded) return undefined;
      this.closedSeenAt ??= now;
      return now - this.closedSeenAt >= CLOSED_GRACE_MS ? 'its stream closed and the end was never signalled' : undefined;
    }
    if (now - this.since <= this.limitMs) return undefined;
    return `still ${step.kind} after ${Math.round((now - this.since) / 1000)}s`;
  }
}
