import { describe, expect, it } from 'vitest';
import { Backoff, jittered } from '../../src/common/backoff.js';

describe('Backoff', () => {
  it.each<[string, number, number[]]>([
    ['the lowest draw', 0, [800, 1600, 3200, 6400, 12800, 24000, 24000]],
    ['the middle draw', 0.5, [1000, 2000, 4000, 8000, 16000, 30000, 30000]],
    ['the highest draw', 1, [1200, 2400, 4800, 9600, 19200, 36000, 36000]],
  ])('doubles from 1 s to 30 s, ±20%%: %s', (_name, draw, delays) => {
    const b = new Backoff(1000, 30_000, 0.2, () => draw);
    expect(delays.map(() => b.take())).toEqual(delays);
  });

  it('starts again from 1 s after reset', () => {
    const b = new Backoff(1000, 30_000, 0.2, () => 0.5);
    b.take();
    b.take();
    b.reset();
    expect(b.take()).toBe(1000);
  });

  it('spreads sources that fail together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => new Backoff().take()));
    expect(delays.size).toBeGreaterThan(10);
    for (const d of delays) {
      expect(d).toBeGreaterThanOrEqual(800);
      expect(d).toBeLessThanOrEqual(1200);
    }
  });

  it('jittered keeps within its fraction', () => {
    expect(jittered(1000, 0.1, () => 0)).toBe(900);
    expect(jittered(1000, 0.1, () => 1)).toBe(1100);
  });
});
