import { describe, expect, it } from 'vitest';
import { stampText } from '../../src/output/stamp.js';
import {
  formatLayout,
  GoTime,
  LOCAL,
  parseInstant,
  resolveZone,
  RFC3339_NANO,
  RFC3339_NANO_FIXED,
  UTC,
  type Instant,
} from '../../src/output/timefmt.js';

// Mon 2026-01-05 15:04:05.120000000 UTC
const T: Instant = { sec: Date.UTC(2026, 0, 5, 15, 4, 5) / 1000, nsec: 120_000_000 };

describe('formatLayout: Go layouts', () => {
  it.each<[string, string]>([
    [RFC3339_NANO, '2026-01-05T15:04:05.12Z'],
    [RFC3339_NANO_FIXED, '2026-01-05T15:04:05.120000000Z'],
    ['2006-01-02 15:04:05', '2026-01-05 15:04:05'],
    ['01-02 15:04:05', '01-05 15:04:05'],
    ['Jan _2 3:04:05PM', 'Jan  5 3:04:05PM'],
    ['January 2, 2006 (Monday, Mon)', 'January 5, 2026 (Monday, Mon)'],
    ['06/1/2 3pm', '26/1/5 3pm'],
    ['15:04:05.000', '15:04:05.120'],
    ['15:04:05.999', '15:04:05.12'],
    ['15:04:05,000000', '15:04:05,120000'],
    ['day 002 of 2006', 'day 005 of 2006'.replace('2006', '2026')],
    ['MST -0700 -07:00 Z07:00 Z0700 -07', 'UTC +0000 +00:00 Z Z +00'],
    ['_2006', '_2026'],
    ['Janet', 'Janet'],
  ])('%s', (layout, out) => {
    expect(formatLayout(T, layout, UTC)).toBe(out);
  });

  it('a whole second drops the fraction of .999 layouts', () => {
    expect(formatLayout({ sec: T.sec, nsec: 0 }, RFC3339_NANO, UTC)).toBe('2026-01-05T15:04:05Z');
  });

  it.each<[string, string]>([
    ['Asia/Tokyo', '2026-01-06T00:04:05.12+09:00'],
    ['America/New_York', '2026-01-05T10:04:05.12-05:00'],
    ['Asia/Kolkata', '2026-01-05T20:34:05.12+05:30'],
    ['UTC', '2026-01-05T15:04:05.12Z'],
  ])('in %s', (zone, out) => {
    expect(formatLayout(T, RFC3339_NANO, resolveZone(zone))).toBe(out);
  });

  it("daylight saving time is the zone database's", () => {
    const july: Instant = { sec: Date.UTC(2026, 6, 5, 12, 0, 0) / 1000, nsec: 0 };
    expect(formatLayout(july, '15:04 -07:00', resolveZone('Europe/Berlin'))).toBe('14:00 +02:00');
    expect(formatLayout(T, '15:04 -07:00', resolveZone('Europe/Berlin'))).toBe('16:04 +01:00');
  });
});

describe('resolveZone', () => {
  it.each([['UTC'], [''], ['Local'], ['Europe/Berlin'], ['America/Argentina/Buenos_Aires']])('%j is a zone', (name) => {
    expect(resolveZone(name)).toBeDefined();
  });

  it.each([['Mars/Base'], ['Europe/Berlinn'], ['+01:00x']])('%j is not', (name) => {
    expect(() => resolveZone(name)).toThrow(/unknown time zone/);
  });

  it("Local follows TZ (the tests run with TZ unset or set; the offset is the Date's)", () => {
    expect(LOCAL.offsetSeconds(T.sec * 1000)).toBe(-new Date(T.sec * 1000).getTimezoneOffset() * 60);
  });
});

describe('parseInstant', () => {
  it.each<[unknown, Instant | undefined]>([
    ['2026-01-05T15:04:05.12Z', T],
    ['2026-01-05T16:04:05.120+01:00', T],
    ['2026-01-05T15:04:05.120000000Z', T],
    ['2026-01-05 15:04:05Z', { sec: T.sec, nsec: 0 }],
    ['2026-01-05T15:04:05', { sec: T.sec, nsec: 0 }],
    ['2026-01-05', { sec: Date.UTC(2026, 0, 5) / 1000, nsec: 0 }],
    ['1136171056.02', { sec: 1136171056, nsec: 20_000_000 }],
    ['1136171056', { sec: 1136171056, nsec: 0 }],
    [1136171056.5, { sec: 1136171056, nsec: 500_000_000 }],
    [new GoTime(T, UTC), T],
    ['not a time', undefined],
    [null, undefined],
    [true, undefined],
  ])('%j', (value, instant) => {
    expect(parseInstant(value)).toEqual(instant);
  });
});

describe('stampText: -t and --timezone', () => {
  const buf = Buffer.from('2026-01-05T15:04:05.12Z hello');
  const ts = (style: 'default' | 'short' | false, zone?: string): string =>
    stampText(style, zone === undefined ? undefined : resolveZone(zone))(buf, 0, 23);

  it.each<['default' | 'short' | false, string | undefined, string]>([
    [false, undefined, '2026-01-05T15:04:05.12Z'],
    ['default', undefined, '2026-01-05T15:04:05.12Z'],
    ['default', 'UTC', '2026-01-05T15:04:05.120000000Z'],
    ['default', 'Asia/Tokyo', '2026-01-06T00:04:05.120000000+09:00'],
    ['short', 'Asia/Tokyo', '01-06 00:04:05'],
    ['short', 'UTC', '01-05 15:04:05'],
  ])('-t %s --timezone %s', (style, zone, out) => {
    expect(ts(style, zone)).toBe(out);
  });

  it('text that is no timestamp is shown as it is', () => {
    expect(stampText('default', UTC)(Buffer.from('garbage'), 0, 7)).toBe('garbage');
  });
});
