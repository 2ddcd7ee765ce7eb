import { describe, expect, it } from 'vitest';
import { EventRepeats } from '../../src/follow/event-repeats.js';
import type { KubeEvent } from '../../src/follow/kube-event.js';

const ev = (uid: string, count: number): KubeEvent => ({
  uid,
  namespace: 'shop',
  regarding: { kind: 'Pod', namespace: 'shop', name: 'web-1', uid: 'p' },
  reason: 'Unhealthy',
  message: 'probe failed',
  type: 'Warning',
  count,
  lastSeen: undefined,
  resourceVersion: undefined,
});

describe('EventRepeats: each Event once, a repeat as an update at most once per quiet time', () => {
  it.each([
    [
      'new, then the same count again (a re-list, a replayed watch)',
      [
        [1, 0, 'show'],
        [1, 5, 'skip'],
        [1, 50_000, 'skip'],
      ],
    ],
    [
      'a growing count within the quiet time is held',
      [
        [1, 0, 'show'],
        [2, 10_000, 'hold'],
        [3, 20_000, 'hold'],
      ],
    ],
    [
      'a growing count after the quiet time is shown',
      [
        [1, 0, 'show'],
        [2, 30_000, 'show'],
        [3, 40_000, 'hold'],
        [4, 61_000, 'show'],
      ],
    ],
    [
      'an older count after a newer one is skipped',
      [
        [5, 0, 'show'],
        [3, 40_000, 'skip'],
      ],
    ],
  ] as const)('%s', (_name, steps) => {
    const r = new EventRepeats(30_000);
    for (const [count, at, decision] of steps) expect(r.observe(ev('e', count), at)).toBe(decision);
  });

  it('a held update is due once its quiet time is over, with the newest count, and counts as shown', () => {
    const r = new EventRepeats(30_000);
    r.observe(ev('e', 1), 0);
    r.observe(ev('e', 2), 5_000);
    r.observe(ev('e', 4), 9_000);
    expect(r.holding).toBe(true);
    expect(r.due(29_999)).toEqual([]);
    expect(r.due(30_000).map((e) => e.count)).toEqual([4]);
    expect(r.holding).toBe(false);
    expect(r.due(90_000)).toEqual([]);
    expect(r.observe(ev('e', 4), 90_000)).toBe('skip');
  });

  it('events are told apart by uid', () => {
    const r = new EventRepeats(30_000);
    expect(r.observe(ev('a', 1), 0)).toBe('show');
    expect(r.observe(ev('b', 1), 0)).toBe('show');
  });

  it('markShown: an Event from before the window is remembered without being shown, and its growth shows later', () => {
    const r = new EventRepeats(30_000);
    r.markShown(ev('e', 3), 0);
    expect(r.observe(ev('e', 3), 1)).toBe('skip');
    expect(r.observe(ev('e', 4), 40_000)).toBe('show');
  });

  it('forgets deleted Events, and remembers at most `capacity`', () => {
    const r = new EventRepeats(30_000, 3);
    for (const uid of ['a', 'b', 'c', 'd']) r.observe(ev(uid, 1), 0);
    expect(r.size).toBe(3);
    expect(r.observe(ev('a', 1), 0)).toBe('show'); // the oldest was forgotten
    r.forget('d');
    expect(r.observe(ev('d', 1), 0)).toBe('show');
  });
});
