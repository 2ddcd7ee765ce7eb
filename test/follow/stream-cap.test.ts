import { afterEach, describe, expect, it, vi } from 'vitest';
import { StreamCap, waitingText } from '../../src/follow/stream-cap.js';

afterEach(() => {
  vi.useRealTimers();
});

/** A stream that runs until end() is called. */
function stream(log: string[], name: string): { run: () => Promise<void>; end: () => void } {
  let end = (): void => {};
  return {
    run: () => {
      log.push(`open ${name}`);
      return new Promise<void>((resolve) => {
        end = () => {
          log.push(`end ${name}`);
          resolve();
        };
      });
    },
    end: () => end(),
  };
}

describe('waitingText', () => {
  it.each<[number, number, string]>([
    [1, 50, '1 log stream is waiting: 50 are open, the most --max-log-requests allows; raise it to follow them all'],
    [3, 2, '3 log streams are waiting: 2 are open, the most --max-log-requests allows; raise it to follow them all'],
  ])('%i waiting, %i open', (waiting, max, text) => {
    expect(waitingText(waiting, max)).toBe(text);
  });
});

describe('StreamCap', () => {
  it('keeps at most max streams open; the others open in turn as streams end', async () => {
    const log: string[] = [];
    const cap = new StreamCap(2, () => {});
    const s = ['a', 'b', 'c', 'd'].map((n) => stream(log, n));
    const done = s.map((x) => cap.run(x.run));
    await vi.waitFor(() => expect(log).toEqual(['open a', 'open b']));
    expect([cap.open, cap.waiting]).toEqual([2, 2]);
    s[1]!.end();
    await vi.waitFor(() => expect(log).toEqual(['open a', 'open b', 'end b', 'open c']));
    s[0]!.end();
    s[2]!.end();
    await vi.waitFor(() => expect(log.at(-1)).toBe('open d'));
    s[3]!.end();
    await Promise.all(done);
    expect([cap.open, cap.waiting]).toEqual([0, 0]);
  });

  it('streams waiting for half a second: one warning with their number, again only when it changes', async () => {
    vi.useFakeTimers();
    const warnings: string[] = [];
    const cap = new StreamCap(2, (t) => warnings.push(t));
    const s = ['a', 'b', 'c', 'd', 'e'].map((n) => stream([], n));
    for (const x of s) void cap.run(x.run);
    await vi.advanceTimersByTimeAsync(499);
    expect(warnings).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(warnings).toEqual([waitingText(3, 2)]);
    // one more arrives and one gets its turn: still 3 waiting, nothing new to say
    void cap.run(stream([], 'f').run);
    s[0]!.end();
    await vi.advanceTimersByTimeAsync(1000);
    expect(warnings).toEqual([waitingText(3, 2)]);
    // another arrives: 4 waiting
    void cap.run(stream([], 'g').run);
    await vi.advanceTimersByTimeAsync(500);
    expect(warnings).toEqual([waitingText(3, 2), waitingText(4, 2)]);
    cap.clear();
  });

  it('no warning when the waiting streams got their turn within half a second', async () => {
    vi.useFakeTimers();
    const warnings: string[] = [];
    const cap = new StreamCap(1, (t) => warnings.push(t));
    const a = stream([], 'a');
    void cap.run(a.run);
    void cap.run(stream([], 'b').run);
    await vi.advanceTimersByTimeAsync(100);
    a.end();
    await vi.advanceTimersByTimeAsync(1000);
    expect(warnings).toEqual([]);
    cap.clear();
  });

  it('clear(): the waiting streams never open, and no warning comes', async () => {
    vi.useFakeTimers();
    const log: string[] = [];
    const warnings: string[] = [];
    const cap = new StreamCap(1, (t) => warnings.push(t));
    const a = stream(log, 'a');
    void cap.run(a.run);
    void cap.run(stream(log, 'b').run);
    await vi.advanceTimersByTimeAsync(0);
    cap.clear();
    a.end();
    await vi.advanceTimersByTimeAsync(1000);
    expect(log).toEqual(['open a', 'end a']);
    expect(warnings).toEqual([]);
    expect(cap.waiting).toBe(0);
  });
});
