/**
 * Pure: after a source's stream ended or broke, is there more to read from its instance, and
 * where? The Tail reads, asks the API server for the instance's state when this says so, and
 * does what the answer says (SPEC §4).
 */
import { errorText, isApiError, isIdleTimeout, type ApiError } from '../kube/errors.js';
import type { InstanceState } from './targets.js';

/** How one read of a stream ended. */
export type ReadOutcome =
  | { readonly kind: 'ended'; readonly bytes: number }
  | { readonly kind: 'broken'; readonly bytes: number; readonly error: unknown }
  /** the stream opened on another instance than ours (it restarted) or on no pod: not read */
  | { readonly kind: 'not-ours'; readonly state: InstanceState | 'pod-gone' };

/** The instance's state as the API server answered (or did not). */
export type InstanceLookup = InstanceState | { readonly kind: 'pod-gone' } | { readonly kind: 'lookup-failed'; readonly error: unknown };

export interface SourceFlags {
  /** -f: the stream follows the container */
  readonly follow: boolean;
  /** the read was of the previous instance (kubectl logs --previous) */
  readonly previous: boolean;
  /** the read began after the instance was known to have terminated */
  readonly finalRead: boolean;
  /** consecutive failed reads, this one included (failedReads) */
  readonly failures: number;
}

/**
 * How many failed reads a source is given before it is reported and ended: without follow, for
 * a server or network in trouble; with follow, for a 400 on a container the API says runs.
 */
export const TRIES = 3;

export type NextStep =
  /**
   * the source ends; `warning`: a one-line warning to say first (the server's reason); `failed`:
   * it could not be read (without follow, the run exits 1)
   */
  | { readonly kind: 'done'; readonly reason: string | undefined; readonly warning?: string; readonly failed?: true }
  /**
   * read again: of the previous instance or not; at once or after the backoff; `problem` is said
   * in a `!` notice, `quietProblem` only with --verbose; `finalRead` is the flag for the next read
   */
  | {
      readonly kind: 'reconnect';
      readonly previous: boolean;
      readonly wait: 'none' | 'backoff';
      readonly problem: string | undefined;
      readonly quietProblem?: string;
      readonly finalRead: boolean;
    }
  /** the answer depends on the instance's state: look it up and decide again with it */
  | { readonly kind: 'check-instance' };

/** A step that does not depend on a lookup any more. */
export type DecidedStep = Exclude<NextStep, { readonly kind: 'check-instance' }>;

const done = (reason: string | undefined): DecidedStep => ({ kind: 'done', reason });
/** the source could not be read: said once, in the server's words, and not tried again */
const givenUp = (warning: string): DecidedStep => ({ kind: 'done', reason: 'not retried', warning, failed: true });

/**
 * Consecutive failed reads, this one included. A read that brought data, ended cleanly or opened
 * on another instance starts the count again, and so does a follow stream that was only silent
 * too long (a quiet container); a read that failed to open, or broke before any data, counts.
 */
export function failedReads(before: number, outcome: ReadOutcome, follow: boolean): number {
  if (outcome.kind !== 'broken' || outcome.bytes > 0) return 0;
  if (follow && isIdleTimeout(outcome.error)) return 0;
  return before + 1;
}

/** 4xx answers that ask to come back later: retried, not refusals. */
const COME_BACK = new Set([408, 425, 429]);

/**
 * A 4xx answer that asking again will not change (403 Forbidden, 422 Invalid…). Not 400 (it
 * depends on the container: "waiting to start"), 404 (the pod is gone), 408/425/429 (come back
 * later); nor 401 while following, as the credentials may be renewed meanwhile (the transport
 * resolves them again on a 401).
 */
function refusal(error: unknown, follow: boolean): error is ApiError {
  if (!isApiError(error) || error.status < 400 || error.status >= 500) return false;
  const s = error.status;
  return s !== 400 && s !== 404 && !COME_BACK.has(s) && !(follow && s === 401);
}

/** With the instance's state the step is decided; without, it may ask for it ('check-instance'). */
export function nextStep(outcome: ReadOutcome, instance: InstanceLookup, flags: SourceFlags): DecidedStep;
export function nextStep(outcome: ReadOutcome, instance: undefined, flags: SourceFlags): NextStep;
export function nextStep(outcome: ReadOutcome, instance: InstanceLookup | undefined, flags: SourceFlags): NextStep {
  const { follow, previous, finalRead, failures } = flags;
  if (outcome.kind === 'not-ours') {
    if (outcome.state === 'pod-gone') return done('pod deleted');
    return { kind: 'reconnect', previous: true, wait: 'none', problem: undefined, finalRead: true };
  }
  const error = outcome.kind === 'broken' ? outcome.error : undefined;
  if (isApiError(error, 404)) return done('pod deleted');
  // the kubelet keeps one ended instance: a previous one it no longer has will not come back
  if (isApiError(error, 400) && previous && follow) return done(errorText(error));
  // refused (403, 422…): the same request gets the same answer; said once, as kubectl would
  if (refusal(error, follow)) return givenUp(errorText(error));
  if (!follow) {
    if (outcome.kind === 'ended') return done(undefined);
    // not started, no previous instance: nothing to print, as kubectl would say
    if (isApiError(error, 400)) return { kind: 'done', reason: undefined, warning: errorText(error) };
    // a server or network in trouble (5xx, refused, reset, silent): a few tries, then said and
    // given up, so that the run ends (429 is retried as before: it says when to come back)
    if (failures >= TRIES && !isApiError(error, 429)) return givenUp(`${errorText(error)} (gave up after ${failures} tries)`);
    return { kind: 'reconnect', previous, wait: 'backoff', problem: errorText(error), finalRead };
  }
  if (instance === undefined) return { kind: 'check-instance' };
  if (instance.kind === 'lookup-failed')
    return { kind: 'reconnect', previous, wait: 'backoff', problem: errorText(instance.error), finalRead };
  if (instance.kind === 'pod-gone') return done('pod deleted');
  const broken = outcome.kind === 'broken' ? errorText(outcome.error) : undefined;
  switch (instance.kind) {
    case 'running': {
      // A stream that delivered data and then ended or broke (a load balancer, log rotation, a
      // reset) resumes at once and quietly, and so does one re-opened for being silent too long
      // (a quiet container looks the same as a stalled stream). Only a stream that fails before
      // any data waits, with a notice: that is the server or the network in trouble.
      if (outcome.bytes > 0 || isIdleTimeout(error)) {
        return {
          kind: 'reconnect',
          previous: false,
          wait: 'none',
          problem: undefined,
          finalRead: false,
          ...(broken === undefined ? {} : { quietProblem: broken }),
        };
      }
      // A 400 while the container runs is no "waiting to start": the request itself is refused.
      // The API's status may run a moment ahead of the kubelet, so a few quiet tries first; then
      // it is said once and the source ends. (Not running: retried as long as that lasts.)
      if (isApiError(error, 400)) {
        if (failures >= TRIES) return givenUp(errorText(error));
        return {
          kind: 'reconnect',
          previous: false,
          wait: 'backoff',
          problem: undefined,
          quietProblem: errorText(error),
          finalRead: false,
        };
      }
      return { kind: 'reconnect', previous: false, wait: 'backoff', problem: broken, finalRead: false };
    }
    case 'terminated':
      // A clean end is the instance's end only if the read began after it terminated: a load
      // balancer may have ended the stream just before. So one last read, then done.
      if (finalRead && outcome.kind === 'ended') return done(terminatedText(instance));
      return {
        kind: 'reconnect',
        previous: instance.replaced,
        wait: outcome.kind === 'broken' && outcome.bytes === 0 ? 'backoff' : 'none',
        problem: broken,
        finalRead: true,
      };
    case 'unknown':
      return outcome.kind === 'ended' ? done(undefined) : { kind: 'reconnect', previous, wait: 'backoff', problem: broken, finalRead };
  }
}

export function terminatedText(s: { reason: string; exitCode: number | undefined }): string {
  return s.exitCode === undefined ? `terminated: ${s.reason}` : `terminated: ${s.reason}, exit ${s.exitCode}`;
}

/** A server-given wait this long or longer is said in a notice; a shorter one only with --verbose. */
const LONG_SERVER_WAIT_MS = 5000;

/**
 * A server that said when to come back (API Priority and Fairness' 429, a 503, with
 * Retry-After), to the read or to the instance's lookup that followed it: the wait is the
 * server's, not the backoff's, and a short one is no trouble worth a notice. Undefined when the
 * server said nothing of the kind.
 */
export function serverWait(
  step: DecidedStep,
  outcome: ReadOutcome,
  lookup?: InstanceLookup,
): { readonly step: DecidedStep; readonly delayMs: number } | undefined {
  if (step.kind !== 'reconnect' || step.wait !== 'backoff') return undefined;
  const error = lookup?.kind === 'lookup-failed' ? lookup.error : outcome.kind === 'broken' ? outcome.error : undefined;
  const retryAfterMs = isApiError(error) ? error.retryAfterMs : undefined;
  if (retryAfterMs === undefined) return undefined;
  if (retryAfterMs >= LONG_SERVER_WAIT_MS || step.problem === undefined) return { step, delayMs: retryAfterMs };
  return {
    step: { ...step, problem: undefined, quietProblem: `${step.problem} (the API server asks to wait ${retryAfterMs}ms)` },
    delayMs: retryAfterMs,
  };
}
