import { describe, expect, it } from 'vitest';
import { inTimeZone } from '../helpers/time-zone.js';
import { compareTimestamps, parseTimestamp, shortTimestamp } from '../../src/output/timestamps.js';

describe('parseTimestamp', () => {
  it.each<[string, [number, number] | undefined]>([
    ['2026-01-02T03:04:05Z', [Date.UTC(2026, 0, 2, 3, 4, 5) / 1000, 0]],
    ['2026-01-02T03:04:05.123456789Z', [Date.UTC(2026, 0, 2, 3, 4, 5) / 1000, 123_456_789]],
    ['2026-01-02T03:04:05.1Z', [Date.UTC(2026, 0, 2, 3, 4, 5) / 1000, 100_000_000]],
    ['2026-01-02T03:04:05.000000001Z', [Date.UTC(2026, 0, 2, 3, 4, 5) / 1000, 1]],
    ['2026-01-02T05:04:05+02:00', [Date.UTC(2026, 0, 2, 3, 4, 5) / 1000, 0]],
    ['2026-01-02T00:04:05.5-03:00', [Date.UTC(2026, 0, 2, 3, 4, 5) / 1000, 500_000_000]],
    ['', undefined],
    ['garbage', undefined],
    ['2026-01-02 03:04:05Z', undefined],
    ['2026-01-02T03:04:05', undefined],
    ['2026-01-02T03:04:05.Z', undefined],
    ['2026-01-02T03:04:05.1234567891Z', undefined],
    ['2026-13-02T03:04:05Z', undefined],
    ['2026-01-02T03:04:05Zjunk', undefined],
  ])('%j', (text, expected) => {
    expect(parseTimestamp(text)).toEqual(expected);
  });
});

describe('compareTimestamps', () => {
  it.each<[string, string, number]>([
    ['2026-01-01T10:00:41.1Z', '2026-01-01T10:00:41.12Z', -1],
    ['2026-01-01T10:00:41.12Z', '2026-01-01T10:00:41.1Z', 1],
    ['2026-01-01T10:00:41.2Z', '2026-01-01T10:00:41.12Z', 1],
    ['2026-01-01T10:00:41.1Z', '2026-01-01T10:00:41.100000000Z', 0],
    ['2026-01-01T10:00:41Z', '2026-01-01T10:00:41.000000001Z', -1],
    ['2026-01-01T10:00:41.999999999Z', '2026-01-01T10:00:42Z', -1],
    ['2026-01-01T10:00:42Z', '2026-01-01T10:00:41.999999999Z', 1],
    ['2026-01-01T12:00:00+02:00', '2026-01-01T10:00:00Z', 0],
    ['2026-01-01T12:00:00+02:00', '2026-01-01T10:00:01Z', -1],
    ['2025-12-31T23:59:59.9Z', '2026-01-01T00:00:00Z', -1],
    // not comparable as strings: '9' > '1' but 9s < 10s is what counts
    ['2026-01-01T10:00:09Z', '2026-01-01T10:00:10Z', -1],
    // garbage sorts first, so it is never taken for a newer line
    ['garbage', '2026-01-01T10:00:00Z', -1],
    ['2026-01-01T10:00:00Z', 'garbage', 1],
    ['garbage', 'other garbage', 0],
    ['', '', 0],
  ])('%s vs %s → %d', (a, b, order) => {
    expect(compareTimestamps(a, b)).toBe(order);
  });
});

describe('shortTimestamp', () => {
  describe('in UTC', () => {
    inTimeZone('UTC');

    it.each([
      ['2026-01-02T15:04:05.999999999Z', '01-02 15:04:05'],
      ['2026-11-22T10:00:00Z', '11-22 10:00:00'],
      ['2026-12-31T23:59:59.5Z', '12-31 23:59:59'],
      ['2026-01-02T17:04:05+02:00', '01-02 15:04:05'],
      ['2026-01-02T00:30:00-01:00', '01-02 01:30:00'],
    ])('%s → %s', (text, expected) => {
      expect(new Date(0).getTimezoneOffset()).toBe(0); // the TZ change took effect
      expect(shortTimestamp(text)).toBe(expected);
    });
  });

  describe('in local time', () => {
    inTimeZone('Asia/Kolkata'); // +05:30, no daylight saving

    it('is the local wall clock', () => {
      expect(new Date(0).getTimezoneOffset()).toBe(-330);
      expect(shortTimestamp('2026-01-02T20:00:00Z')).toBe('01-03 01:30:00');
    });

    it('matches the Date getters for the same instant', () => {
      const text = '2026-07-04T08:09:10.123Z';
      const d = new Date(Date.parse(text));
      const p = (n: number): string => String(n).padStart(2, '0');
      const expected = `${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
      expect(shortTimestamp(text)).toBe(expected);
    });
  });

  it.each(['', 'garbage', '2026-01-02'])('%j is returned unchanged', (text) => {
    expect(shortTimestamp(text)).toBe(text);
  });
});
