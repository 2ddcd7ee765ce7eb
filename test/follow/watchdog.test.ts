import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { TransportError } from '../../src/kube/errors.js';
import { CHECKING_LIMIT_MS, OPENING_LIMIT_MS, TailGuard, type TailStep } from '../../src/follow/tail-guard.js';
import { Watchdog } from '../../src/follow/watchdog.js';

const SERVER = 'https://k:6443';

function guardIn(step: TailStep, waitMs = 0): { guard: TailGuard; stop: AbortController; at: number } {
  const stop = new AbortController();
  const guard = new TailGuard(stop.signal);
  const at = Date.now();
  guard.enter(step, waitMs);
  return { guard, stop, at };
}

describe('TailGuard: the watchdog unsticks a step past its limit', () => {
  it.each<[string, TailStep, number, number]>([
    ['opening', { kind: 'opening' }, 0, OPENING_LIMIT_MS],
    ['checking', { kind: 'checking' }, 0, CHECKING_LIMIT_MS],
    ['waiting out a 4 s backoff', { kind: 'waiting' }, 4000, 9000],
  ])('%s: left alone within its limit, aborted past it', (_name, step, waitMs, limitMs) => {
    const { guard, at } = guardIn(step, waitMs);
    const signal = guard.signal;
    expect(guard.check(at + limitMs - 100, SERVER)).toBeUndefined();
    expect(signal.aborted).toBe(false);
    const reason = guard.check(at + limitMs + 1000, SERVER);
    expect(reason).toMatch(new RegExp(`^still ${step.kind} after \\d+s$`));
    expect(signal.aborted).toBe(true);
    expect(signal.reason).toBeInstanceOf(TransportError);
    expect((signal.reason as TransportError).message).toBe(reason);
  });

  it('resting (queued, or finished) is never stuck', () => {
    const { guard, at } = guardIn({ kind: 'resting' });
    expect(guard.check(at + 3_600_000, SERVER)).toBeUndefined();
  });

  it('reading: an open stream is fine however quiet; one closed unheard is given up after a grace', () => {
    const body = new PassThrough();
    const { guard, at } = guardIn({ kind: 'reading', body });
    expect(guard.check(at + 3_600_000, SERVER)).toBeUndefined();
    body.destroy();
    const t = at + 3_600_000;
    expect(guard.check(t, SERVER)).toBeUndefined();
    expect(guard.check(t + 1000, SERVER)).toBeUndefined();
    expect(guard.check(t + 1600, SERVER)).toBe('its stream closed and the end was never signalled');
    expect(guard.signal.aborted).toBe(true);
  });

  it('a new step after an abort gets a new signal; stop() aborts every step', () => {
    const { guard, stop, at } = guardIn({ kind: 'opening' });
    guard.check(at + OPENING_LIMIT_MS + 1000, SERVER);
    guard.enter({ kind: 'checking' });
    expect(guard.signal.aborted).toBe(false);
    stop.abort();
    expect(guard.signal.aborted).toBe(true);
    expect(guard.check(Date.now() + CHECKING_LIMIT_MS * 2, SERVER)).toBeUndefined();
  });
});

describe('Watchdog', () => {
  it('looks at every tail, says which it unstuck, and counts them', () => {
    const said: string[] = [];
    const dog = new Watchdog((m) => said.push(m));
    const healthy = { key: 'ctx/ns/a/app/1', checkHealth: () => undefined };
    const stuck = { key: 'ctx/ns/b/app/2', checkHealth: () => 'its stream closed and the end was never signalled' };
    dog.add(healthy);
    dog.add(stuck);
    dog.look();
    dog.remove(stuck);
    dog.look();
    dog.stop();
    expect(said).toEqual(['watchdog: ctx/ns/b/app/2: its stream closed and the end was never signalled; reopening']);
    expect(dog.rescues).toBe(1);
  });
});
