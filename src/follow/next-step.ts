/**
 * Pure: after a source's stream ended or broke, is there more to read from its instance, and
 * where? The Tail reads, asks the API server for the instance's state when this says so, and
 * does what the answer says (SPEC §4).
 */
import { errorText, isApiError, isIdleTimeout } from '../kube/errors.js';
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
}

export type NextStep =
  /** the source ends; `warning`: a one-line warning to say first (the server's reason) */
  | { readonly kind: 'done'; readonly reason: string | undefined; readonly warning?: string }
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

/** With the instance's state the step is decided; without, it may ask for it ('check-instance'). */
export function nextStep(outcome: ReadOutcome, instance: InstanceLookup, flags: SourceFlags): DecidedStep;
export function nextStep(outcome: ReadOutcome, instance: undefined, flags: SourceFlags): NextStep;
export function nextStep(outcome: ReadOutcome, instance: InstanceLookup | undefined, flags: SourceFlags): NextStep {
  const { follow, previous, finalRead } = flags;
  if (outcome.kind === 'not-ours') {
    if (outcome.state === 'pod-gone') return done('pod deleted');
    return { kind: 'reconnect', previous: true, wait: 'none', problem: undefined, finalRead: true };
  }
  const error = outcome.kind === 'broken' ? outcome.error : undefined;
  if (isApiError(error, 404)) return done('pod deleted');
  // the kubelet keeps one ended instance: a previous one it no longer has will not come back
  if (isApiError(error, 400) && previous && follow) return done(errorText(error));
  if (!follow) {
    if (outcome.kind === 'ended') return done(undefined);
    // not started, no previous instance: nothing to print, as kubectl would say
    if (isApiError(error, 400)) return { kind: 'done', reason: undefined, warning: errorText(error) };
    return { kind: 'reconnect', previous, wait: 'backoff', problem: errorText(error), finalRead };
  }
  if (instance === undefined) return { kind: 'check-instance' };
  if (instance.kind === 'lookup-failed') return { kind: 'reconnect', previous, wait: 'backoff', problem: errorText(instance.error), finalRead };
  if (instance.kind === 'pod-gone') return done('pod deleted');
  const broken = outcome.kind === 'broken' ? errorText(outcome.error) : undefined;
  switch (instance.kind) {
    case 'running': {
      // A stream that delivered data and then ended or broke (a load balancer, log rotation, a
      // reset) resumes at once and quietly, and so does one re-opened for being silent too long
      // (a quiet container looks the same as a stalled stream). Only a stream that fails before
      // any data waits, with a notice: that is the server or the network in trouble.
      if (outcome.bytes > 0 || isIdleTimeout(error)) {
        return { kind: 'reconnect', previous: false, wait: 'none', problem: undefined, finalRead: false, ...(broken === undefined ? {} : { quietProblem: broken }) };
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
