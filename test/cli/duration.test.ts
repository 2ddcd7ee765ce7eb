import { describe, expect, it } from 'vitest';
import { parseDuration } from '../../src/cli/duration.js';
import { UsageError } from '../../src/common/errors.js';

describe('parseDuration', () => {
  it.each([
    ['30s', 30_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['2d', 172_800_000],
    ['1.5h', 5_400_000],
    ['500ms', 500],
    ['0', 0],
    ['0s', 0],
    ['1m30s', 90_000],
    ['48h', 172_800_000],
    ['1500us', 1.5],
  ])('%s → %d ms', (text, ms) => {
    expect(parseDuration(text, '--since')).toBe(ms);
  });

  it.each(['abc', '10', '5x', '1h-3m', '', 'h', '1h30', ' 5s', '5s ', '-5s', '1.h'])(
    'rejects %j with a UsageError naming the flag',
    (text) => {
      let caught: unknown;
      try {
        parseDuration(text, '--since');
      } catch (err) {
        caught = err;
      }
      expect(caught).toBeInstanceOf(UsageError);
      const err = caught as UsageError;
      expect(err.exitCode).toBe(2);
      expect(err.message).toContain('--since');
      expect(err.message).toContain(`"${text}"`);
      expect(err.message).not.toContain('\n');
    },
  );

  it('names whichever flag it is given', () => {
    expect(() => parseDuration('soon', '--ordered')).toThrow(/for --ordered/);
  });
});

describe('durations past what the API server takes', () => {
  it.each(['99999999999999999999h', '2562048h', '106752d'])('%s: exit 2 before any request, as kubectl', (text) => {
    expect(() => parseDuration(text, '--since')).toThrow(
      new UsageError(`invalid duration "${text}" for --since: longer than the most allowed (2562047h)`),
    );
  });

  it('the longest allowed passes', () => {
    expect(parseDuration('2562047h', '--since')).toBe(2562047 * 3_600_000);
  });
});
