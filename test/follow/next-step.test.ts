import { describe, expect, it } from 'vitest';
import {
  failedReads,
  nextStep,
  serverWait,
  TRIES,
  type InstanceLookup,
  type NextStep,
  type ReadOutcome,
  type SourceFlags,
} from '../../src/follow/next-step.js';
import { ApiError, IdleTimeoutError, TransportError } from '../../src/kube/errors.js';

const FOLLOW: SourceFlags = { follow: true, previous: false, finalRead: false, failures: 0 };
const FINAL: SourceFlags = { follow: true, previous: false, finalRead: true, failures: 0 };
const FOLLOW_PREVIOUS: SourceFlags = { follow: true, previous: true, finalRead: true, failures: 0 };
const PRINT: SourceFlags = { follow: false, previous: false, finalRead: false, failures: 0 };
const PRINT_PREVIOUS: SourceFlags = { follow: false, previous: true, finalRead: false, failures: 0 };
/** the same flags after `n` consecutive failed reads, this one included */
const after = (flags: SourceFlags, n: number): SourceFlags => ({ ...flags, failures: n });

const ended = (bytes: number): ReadOutcome => ({ kind: 'ended', bytes });
const broken = (bytes: number, error: unknown): ReadOutcome => ({ kind: 'broken', bytes, error });
const reset = new TransportError('ECONNRESET', 'https://k:6443', 'connection reset');
const idle = new IdleTimeoutError('https://k:6443', 60_000);
const notFound = new ApiError(404, 'NotFound', 'pods "web" not found');
const noPrevious = new ApiError(400, 'BadRequest', 'previous terminated container "app" in pod "web" not found');
const waitingToStart = new ApiError(400, 'BadRequest', 'container "app" in pod "web" is waiting to start: ContainerCreating');
const badRequest = new ApiError(400, 'BadRequest', 'container app is not valid for pod web');
const forbidden = new ApiError(403, 'Forbidden', 'pods "web" is forbidden: User "dev" cannot get resource "pods/log"');
const invalid = new ApiError(422, 'Invalid', 'PodLogOptions "web" is invalid: sinceSeconds: Invalid value');
const unauthorized = new ApiError(401, 'Unauthorized', 'Unauthorized');
const tooMany = new ApiError(429, 'TooManyRequests', 'the server has received too many requests');
const etcd = new ApiError(500, 'InternalError', 'etcd timeout');
const unavailable = new ApiError(503, 'ServiceUnavailable', 'the server is currently unable to handle the request');

const running: InstanceLookup = { kind: 'running' };
const completed: InstanceLookup = { kind: 'terminated', reason: 'Completed', exitCode: 0, replaced: false };
const replaced: InstanceLookup = { kind: 'terminated', reason: 'Error', exitCode: 1, replaced: true };
const unknown: InstanceLookup = { kind: 'unknown' };

const done = (reason: string | undefined, warning?: string): NextStep => ({
  kind: 'done',
  reason,
  ...(warning === undefined ? {} : { warning }),
});
/** said once in a warning, and the source ends without retrying; the run counts it as failed */
const givenUp = (warning: string): NextStep => ({ kind: 'done', reason: 'not retried', warning, failed: true });
const again = (previous: boolean, wait: 'none' | 'backoff', finalRead: boolean, problem?: string, quietProblem?: string): NextStep => ({
  kind: 'reconnect',
  previous,
  wait,
  problem,
  finalRead,
  ...(quietProblem === undefined ? {} : { quietProblem }),
});

describe('nextStep: after a follow stream ended or broke', () => {
  it.each<[string, ReadOutcome, InstanceLookup | undefined, SourceFlags, NextStep]>([
    // decided without asking the API server
    ['the stream opened on no pod', { kind: 'not-ours', state: 'pod-gone' }, undefined, FOLLOW, done('pod deleted')],
    [
      'the stream opened on the next instance: ours is read to its end with previous',
      { kind: 'not-ours', state: { kind: 'terminated', reason: 'Error', exitCode: 1, replaced: true } },
      undefined,
      FOLLOW,
      again(true, 'none', true),
    ],
    ['404: the pod is gone', broken(0, notFound), undefined, FOLLOW, done('pod deleted')],
    ['400 for a previous instance the kubelet no longer has', broken(0, noPrevious), undefined, FOLLOW_PREVIOUS, done(noPrevious.message)],
    ['anything else depends on the instance', ended(10), undefined, FOLLOW, { kind: 'check-instance' }],
    ['… a break too', broken(0, reset), undefined, FOLLOW, { kind: 'check-instance' }],
    // the instance still runs
    [
      'running, the stream ended after data (a load balancer): again at once, quietly',
      ended(10),
      running,
      FOLLOW,
      again(false, 'none', false),
    ],
    [
      'running, broken after data: again at once, said with --verbose only',
      broken(10, reset),
      running,
      FOLLOW,
      again(false, 'none', false, undefined, 'connection reset'),
    ],
    [
      'running, silent too long (a stall or a quiet container): again at once, quietly',
      broken(0, idle),
      running,
      FOLLOW,
      again(false, 'none', false, undefined, 'connection to https://k:6443 stopped answering (no data for 60s)'),
    ],
    [
      'running, broken before any data: the server is in trouble, back off with a notice',
      broken(0, reset),
      running,
      FOLLOW,
      again(false, 'backoff', false, 'connection reset'),
    ],
    ['running, ended before any data: back off, no notice', ended(0), running, FOLLOW, again(false, 'backoff', false)],
    ['running after a final read (it was a restart check): no longer final', ended(10), running, FINAL, again(false, 'none', false)],
    // the instance ended
    ['terminated: one last read, at once', ended(10), completed, FOLLOW, again(false, 'none', true)],
    [
      'terminated, and the last read ended cleanly: done, with the reason',
      ended(0),
      completed,
      FINAL,
      done('terminated: Completed, exit 0'),
    ],
    ['terminated, the last read broke: read again', broken(5, reset), completed, FINAL, again(false, 'none', true, 'connection reset')],
    ['terminated, broken before data: back off', broken(0, reset), completed, FOLLOW, again(false, 'backoff', true, 'connection reset')],
    ['replaced by a restart: the rest with previous', ended(10), replaced, FOLLOW, again(true, 'none', true)],
    ['replaced, the last read of previous ended: done', ended(0), replaced, FOLLOW_PREVIOUS, done('terminated: Error, exit 1')],
    // the lookup
    ['the pod is gone', ended(10), { kind: 'pod-gone' }, FOLLOW, done('pod deleted')],
    [
      'the lookup failed: back off, saying why',
      ended(10),
      { kind: 'lookup-failed', error: reset },
      FINAL,
      again(false, 'backoff', true, 'connection reset'),
    ],
    ['the container is not in the pod any more, the stream ended: done', ended(0), unknown, FOLLOW, done(undefined)],
    [
      'the container is not in the pod any more, the stream broke: back off',
      broken(0, reset),
      unknown,
      FOLLOW_PREVIOUS,
      again(true, 'backoff', true, 'connection reset'),
    ],
    // refusals: the same request gets the same answer
    ['403 on the log request: said once, the source ends (no lookup)', broken(0, forbidden), undefined, FOLLOW, givenUp(forbidden.message)],
    ['422 on the log request: the same', broken(0, invalid), undefined, FOLLOW, givenUp(invalid.message)],
    [
      '403 while reading the rest of a previous instance: the same',
      broken(0, forbidden),
      undefined,
      FOLLOW_PREVIOUS,
      givenUp(forbidden.message),
    ],
    [
      '401 while following: the credentials may be renewed, so it depends on the instance',
      broken(0, unauthorized),
      undefined,
      FOLLOW,
      { kind: 'check-instance' },
    ],
    [
      '401, running: back off with a notice, as before',
      broken(0, unauthorized),
      running,
      after(FOLLOW, TRIES),
      again(false, 'backoff', false, 'Unauthorized'),
    ],
    ['429: depends on the instance, as before', broken(0, tooMany), undefined, FOLLOW, { kind: 'check-instance' }],
    [
      '429, running: back off with a notice, however often',
      broken(0, tooMany),
      running,
      after(FOLLOW, 10),
      again(false, 'backoff', false, tooMany.message),
    ],
    // 400: "waiting to start" until the container runs
    ['400: depends on the instance', broken(0, waitingToStart), undefined, FOLLOW, { kind: 'check-instance' }],
    [
      '400, the container is not running (crash loop): retried with a notice, however often',
      broken(0, waitingToStart),
      completed,
      after(FOLLOW, 10),
      again(false, 'backoff', true, waitingToStart.message),
    ],
    [
      '400, the container is not in the status: retried with a notice, however often',
      broken(0, waitingToStart),
      unknown,
      after(FOLLOW, 10),
      again(false, 'backoff', false, waitingToStart.message),
    ],
    [
      '400, the lookup failed: retried, saying why',
      broken(0, waitingToStart),
      { kind: 'lookup-failed', error: reset },
      after(FOLLOW, 10),
      again(false, 'backoff', false, 'connection reset'),
    ],
    [
      '400 on a running container, first failure: the API may be ahead of the kubelet, a quiet retry',
      broken(0, waitingToStart),
      running,
      after(FOLLOW, 1),
      again(false, 'backoff', false, undefined, waitingToStart.message),
    ],
    [
      '400 on a running container, one failure short of the tries: a quiet retry',
      broken(0, badRequest),
      running,
      after(FOLLOW, TRIES - 1),
      again(false, 'backoff', false, undefined, badRequest.message),
    ],
    [
      '400 on a running container after all the tries: said once, the source ends',
      broken(0, badRequest),
      running,
      after(FOLLOW, TRIES),
      givenUp(badRequest.message),
    ],
    // 5xx and the network while following: retried for as long as it lasts (SPEC §5)
    [
      '500 on a running container, however often: back off with a notice',
      broken(0, etcd),
      running,
      after(FOLLOW, 10),
      again(false, 'backoff', false, 'etcd timeout'),
    ],
    [
      'a reset, however often: back off with a notice',
      broken(0, reset),
      running,
      after(FOLLOW, 10),
      again(false, 'backoff', false, 'connection reset'),
    ],
  ])('%s', (_name, outcome, instance, flags, expected) => {
    expect(instance === undefined ? nextStep(outcome, undefined, flags) : nextStep(outcome, instance, flags)).toEqual(expected);
  });
});

describe('nextStep: --no-follow and --previous (no instance lookup)', () => {
  it.each<[string, ReadOutcome, SourceFlags, NextStep]>([
    ['the log read to its end', ended(10), PRINT, done(undefined)],
    [
      "a container that has not started: a warning with the server's reason",
      broken(0, waitingToStart),
      PRINT,
      done(undefined, waitingToStart.message),
    ],
    ['--previous of a container without one: a warning', broken(0, noPrevious), PRINT_PREVIOUS, done(undefined, noPrevious.message)],
    ['404: the pod is gone', broken(0, notFound), PRINT, done('pod deleted')],
    [
      'a break: read again after the backoff, with a notice',
      broken(0, reset),
      PRINT_PREVIOUS,
      again(true, 'backoff', false, 'connection reset'),
    ],
    [
      'a break after data: the same (the position skips what was shown)',
      broken(10, reset),
      PRINT,
      again(false, 'backoff', false, 'connection reset'),
    ],
    // a server or network in trouble: a few tries, then a warning in the server's words
    ['500, first failure: read again after the backoff', broken(0, etcd), after(PRINT, 1), again(false, 'backoff', false, 'etcd timeout')],
    [
      '500, one failure short of the tries: again',
      broken(0, etcd),
      after(PRINT, TRIES - 1),
      again(false, 'backoff', false, 'etcd timeout'),
    ],
    [
      "500 after all the tries: a warning with the server's words, the source failed",
      broken(0, etcd),
      after(PRINT, TRIES),
      givenUp(`etcd timeout (gave up after ${TRIES} tries)`),
    ],
    [
      '503 after all the tries: the same',
      broken(0, unavailable),
      after(PRINT_PREVIOUS, TRIES),
      givenUp(`${unavailable.message} (gave up after ${TRIES} tries)`),
    ],
    [
      'a reset after all the tries: the same',
      broken(0, reset),
      after(PRINT, TRIES),
      givenUp(`connection reset (gave up after ${TRIES} tries)`),
    ],
    [
      'silent too long after all the tries: the same',
      broken(0, idle),
      after(PRINT, TRIES),
      givenUp(`${idle.message} (gave up after ${TRIES} tries)`),
    ],
    [
      '429 after all the tries: retried as before (it says when to come back)',
      broken(0, tooMany),
      after(PRINT, TRIES),
      again(false, 'backoff', false, tooMany.message),
    ],
    // refused: at once
    ['403: a warning at once, the source failed', broken(0, forbidden), PRINT, givenUp(forbidden.message)],
    ['422: the same', broken(0, invalid), PRINT, givenUp(invalid.message)],
    ['401 (the transport already asked for credentials again): the same', broken(0, unauthorized), PRINT, givenUp('Unauthorized')],
    [
      '400 after many tries: still a warning, not a failure (nothing to print)',
      broken(0, waitingToStart),
      after(PRINT, TRIES),
      done(undefined, waitingToStart.message),
    ],
  ])('%s', (_name, outcome, flags, expected) => {
    expect(nextStep(outcome, undefined, flags)).toEqual(expected);
  });
});

describe('failedReads: consecutive failed reads, this one included', () => {
  it.each<[string, number, ReadOutcome, boolean, number]>([
    ['a failure to open counts', 0, broken(0, etcd), true, 1],
    ['… and adds to the ones before', 2, broken(0, reset), false, 3],
    ['a break before any data counts', 1, broken(0, reset), true, 2],
    ['a read that brought data starts again', 2, broken(10, reset), true, 0],
    ['a clean end starts again', 2, ended(0), true, 0],
    ['a stream opened on another instance starts again', 2, { kind: 'not-ours', state: 'pod-gone' }, true, 0],
    ['a follow stream only silent too long (a quiet container) starts again', 2, broken(0, idle), true, 0],
    ['a one-shot read silent too long counts (it has the whole log to send)', 2, broken(0, idle), false, 3],
  ])('%s', (_name, before, outcome, follow, expected) => {
    expect(failedReads(before, outcome, follow)).toBe(expected);
  });
});

describe('serverWait: a server that says when to come back', () => {
  const throttled = (ms: number | undefined): ApiError => new ApiError(429, 'TooManyRequests', 'too many requests', { retryAfterMs: ms });
  type Reconnect = Extract<NextStep, { kind: 'reconnect' }>;
  const retry = (problem: string | undefined, more: Partial<Reconnect> = {}): Reconnect => ({
    kind: 'reconnect',
    previous: false,
    wait: 'backoff',
    problem,
    finalRead: false,
    ...more,
  });
  it.each<[string, ReadOutcome, Reconnect, ReturnType<typeof serverWait>]>([
    [
      'a short Retry-After: its wait, quietly',
      broken(0, throttled(1000)),
      retry('too many requests'),
      {
        step: retry(undefined, { quietProblem: 'too many requests (the API server asks to wait 1000ms)' }),
        delayMs: 1000,
      },
    ],
    [
      'a long Retry-After: its wait, with the notice',
      broken(0, throttled(8000)),
      retry('too many requests'),
      { step: retry('too many requests'), delayMs: 8000 },
    ],
    ['no Retry-After: the backoff', broken(0, throttled(undefined)), retry('too many requests'), undefined],
    ['not an API error: the backoff', broken(0, reset), retry('connection reset'), undefined],
    ['a step that does not wait: unchanged', broken(0, throttled(1000)), retry(undefined, { wait: 'none' }), undefined],
  ])('%s', (_name, outcome, step, expected) => {
    expect(serverWait(step, outcome)).toEqual(expected);
  });

  it("the instance's lookup answered 429 after the stream broke: the lookup's Retry-After, quietly", () => {
    const step = retry('too many requests');
    expect(serverWait(step, broken(10, reset), { kind: 'lookup-failed', error: throttled(1000) })).toEqual({
      step: retry(undefined, { quietProblem: 'too many requests (the API server asks to wait 1000ms)' }),
      delayMs: 1000,
    });
  });
});
