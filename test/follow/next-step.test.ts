import { describe, expect, it } from 'vitest';
import { nextStep, type InstanceLookup, type NextStep, type ReadOutcome, type SourceFlags } from '../../src/follow/next-step.js';
import { ApiError, IdleTimeoutError, TransportError } from '../../src/kube/errors.js';

const FOLLOW: SourceFlags = { follow: true, previous: false, finalRead: false };
const FINAL: SourceFlags = { follow: true, previous: false, finalRead: true };
const FOLLOW_PREVIOUS: SourceFlags = { follow: true, previous: true, finalRead: true };
const PRINT: SourceFlags = { follow: false, previous: false, finalRead: false };
const PRINT_PREVIOUS: SourceFlags = { follow: false, previous: true, finalRead: false };

const ended = (bytes: number): ReadOutcome => ({ kind: 'ended', bytes });
const broken = (bytes: number, error: unknown): ReadOutcome => ({ kind: 'broken', bytes, error });
const reset = new TransportError('ECONNRESET', 'https://k:6443', 'connection reset');
const idle = new IdleTimeoutError('https://k:6443', 60_000);
const notFound = new ApiError(404, 'NotFound', 'pods "web" not found');
const noPrevious = new ApiError(400, 'BadRequest', 'previous terminated container "app" in pod "web" not found');
const waitingToStart = new ApiError(400, 'BadRequest', 'container "app" in pod "web" is waiting to start: ContainerCreating');

const running: InstanceLookup = { kind: 'running' };
const completed: InstanceLookup = { kind: 'terminated', reason: 'Completed', exitCode: 0, replaced: false };
const replaced: InstanceLookup = { kind: 'terminated', reason: 'Error', exitCode: 1, replaced: true };
const unknown: InstanceLookup = { kind: 'unknown' };

const done = (reason: string | undefined, warning?: string): NextStep => ({ kind: 'done', reason, ...(warning === undefined ? {} : { warning }) });
const again = (
  previous: boolean,
  wait: 'none' | 'backoff',
  finalRead: boolean,
  problem?: string,
  quietProblem?: string,
): NextStep => ({ kind: 'reconnect', previous, wait, problem, finalRead, ...(quietProblem === undefined ? {} : { quietProblem }) });

describe('nextStep: after a follow stream ended or broke', () => {
  it.each<[string, ReadOutcome, InstanceLookup | undefined, SourceFlags, NextStep]>([
    // decided without asking the API server
    ['the stream opened on no pod', { kind: 'not-ours', state: 'pod-gone' }, undefined, FOLLOW, done('pod deleted')],
    ['the stream opened on the next instance: ours is read to its end with previous', { kind: 'not-ours', state: { kind: 'terminated', reason: 'Error', exitCode: 1, replaced: true } }, undefined, FOLLOW, again(true, 'none', true)],
    ['404: the pod is gone', broken(0, notFound), undefined, FOLLOW, done('pod deleted')],
    ['400 for a previous instance the kubelet no longer has', broken(0, noPrevious), undefined, FOLLOW_PREVIOUS, done(noPrevious.message)],
    ['anything else depends on the instance', ended(10), undefined, FOLLOW, { kind: 'check-instance' }],
    ['… a break too', broken(0, reset), undefined, FOLLOW, { kind: 'check-instance' }],
    // the instance still runs
    ['running, the stream ended after data (a load balancer): again at once, quietly', ended(10), running, FOLLOW, again(false, 'none', false)],
    ['running, broken after data: again at once, said with --verbose only', broken(10, reset), running, FOLLOW, again(false, 'none', false, undefined, 'connection reset')],
    ['running, silent too long (a stall or a quiet container): again at once, quietly', broken(0, idle), running, FOLLOW, again(false, 'none', false, undefined, 'connection to https://k:6443 stopped answering (no data for 60s)')],
    ['running, broken before any data: the server is in trouble, back off with a notice', broken(0, reset), running, FOLLOW, again(false, 'backoff', false, 'connection reset')],
    ['running, ended before any data: back off, no notice', ended(0), running, FOLLOW, again(false, 'backoff', false)],
    ['running after a final read (it was a restart check): no longer final', ended(10), running, FINAL, again(false, 'none', false)],
    // the instance ended
    ['terminated: one last read, at once', ended(10), completed, FOLLOW, again(false, 'none', true)],
    ['terminated, and the last read ended cleanly: done, with the reason', ended(0), completed, FINAL, done('terminated: Completed, exit 0')],
    ['terminated, the last read broke: read again', broken(5, reset), completed, FINAL, again(false, 'none', true, 'connection reset')],
    ['terminated, broken before data: back off', broken(0, reset), completed, FOLLOW, again(false, 'backoff', true, 'connection reset')],
    ['replaced by a restart: the rest with previous', ended(10), replaced, FOLLOW, again(true, 'none', true)],
    ['replaced, the last read of previous ended: done', ended(0), replaced, FOLLOW_PREVIOUS, done('terminated: Error, exit 1')],
    // the lookup
    ['the pod is gone', ended(10), { kind: 'pod-gone' }, FOLLOW, done('pod deleted')],
    ['the lookup failed: back off, saying why', ended(10), { kind: 'lookup-failed', error: reset }, FINAL, again(false, 'backoff', true, 'connection reset')],
    ['the container is not in the pod any more, the stream ended: done', ended(0), unknown, FOLLOW, done(undefined)],
    ['the container is not in the pod any more, the stream broke: back off', broken(0, reset), unknown, FOLLOW_PREVIOUS, again(true, 'backoff', true, 'connection reset')],
  ])('%s', (_name, outcome, instance, flags, expected) => {
    expect(instance === undefined ? nextStep(outcome, undefined, flags) : nextStep(outcome, instance, flags)).toEqual(expected);
  });
});

describe('nextStep: --no-follow and --previous (no instance lookup)', () => {
  it.each<[string, ReadOutcome, SourceFlags, NextStep]>([
    ['the log read to its end', ended(10), PRINT, done(undefined)],
    ['a container that has not started: a warning with the server\'s reason', broken(0, waitingToStart), PRINT, done(undefined, waitingToStart.message)],
    ['--previous of a container without one: a warning', broken(0, noPrevious), PRINT_PREVIOUS, done(undefined, noPrevious.message)],
    ['404: the pod is gone', broken(0, notFound), PRINT, done('pod deleted')],
    ['a break: read again after the backoff, with a notice', broken(0, reset), PRINT_PREVIOUS, again(true, 'backoff', false, 'connection reset')],
    ['a break after data: the same (the position skips what was shown)', broken(10, reset), PRINT, again(false, 'backoff', false, 'connection reset')],
  ])('%s', (_name, outcome, flags, expected) => {
    expect(nextStep(outcome, undefined, flags)).toEqual(expected);
  });
});
