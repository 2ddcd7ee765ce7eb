import { describe, expect, it } from 'vitest';
import { formatRFC3339Nano, parseRFC3339 } from '../../src/sim/clock.js';
import { matchFields, matchLabels, parseFieldSelector, parseLabelSelector } from '../../src/sim/selectors.js';
import { StatusError } from '../../src/sim/status.js';
import { humanDuration } from '../../src/sim/tables.js';

describe('label selectors', () => {
  const labels = { app: 'web', env: 'prod', 'app.kubernetes.io/name': 'shop', n: '7' };
  it.each([
    ['', true],
    ['app=web', true],
    ['app==web', true],
    ['app = web', true],
    ['app!=web', false],
    ['missing!=x', true],
    ['app in (web, api)', true],
    ['app notin (web)', false],
    ['missing notin (web)', true],
    ['app', true],
    ['!app', false],
    ['!missing', true],
    ['app.kubernetes.io/name=shop,env in (prod,staging),!canary', true],
    ['n>5', true],
    ['n<5', false],
    ['env=', false],
  ])('%j → %s', (sel, want) => {
    expect(matchLabels(parseLabelSelector(sel), labels)).toBe(want);
  });

  it.each(['app in (web', 'app in web', '=web', 'app=web,', 'app notin', 'a b', 'app=we b'])('rejects %j with a 400', (sel) => {
    let err: unknown;
    try {
      parseLabelSelector(sel);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StatusError);
    expect((err as StatusError).code).toBe(400);
  });
});

describe('field selectors', () => {
  const allowed = new Set(['metadata.name', 'status.phase']);
  it('parses =, ==, != and escapes', () => {
    expect(parseFieldSelector('metadata.name=a\\,b,status.phase!=Running', allowed)).toEqual([
      { field: 'metadata.name', op: '=', value: 'a,b' },
      { field: 'status.phase', op: '!=', value: 'Running' },
    ]);
    const sel = parseFieldSelector('metadata.name==x', allowed);
    expect(matchFields(sel, () => 'x')).toBe(true);
    expect(matchFields(sel, () => 'y')).toBe(false);
  });
  it('rejects unsupported fields and terms without an operator', () => {
    expect(() => parseFieldSelector('spec.foo=1', allowed)).toThrow('field label not supported: spec.foo');
    expect(() => parseFieldSelector('metadata.name', allowed)).toThrow(/invalid selector/);
  });
});

describe('time formats', () => {
  it.each([
    ['2026-11-22T03:57:41.123400000Z', '2026-11-22T03:57:41.1234Z'],
    ['2026-11-22T03:57:41Z', '2026-11-22T03:57:41Z'],
    ['2026-11-22T03:57:41.000000000Z', '2026-11-22T03:57:41Z'],
    ['2026-11-22T03:57:41.5+01:00', '2026-11-22T02:57:41.5Z'],
    ['2026-11-22t03:57:41.000000001z', '2026-11-22T03:57:41.000000001Z'],
  ])('%s → %s (Go RFC3339Nano)', (input, want) => {
    expect(formatRFC3339Nano(parseRFC3339(input)!)).toBe(want);
  });
  it('rejects what RFC 3339 does not allow', () => {
    expect(parseRFC3339('2026-11-22 03:57:41Z')).toBeUndefined();
    expect(parseRFC3339('2026-13-22T03:57:41Z')).toBeUndefined();
    expect(parseRFC3339('yesterday')).toBeUndefined();
  });
  it.each([
    [5_000, '5s'],
    [119_000, '119s'],
    [150_000, '2m30s'],
    [600_000, '10m'],
    [3 * 3600_000 + 60_000, '3h1m'],
    [30 * 3600_000, '30h'],
    [50 * 3600_000, '2d2h'],
  ])('AGE of %d ms is %s', (ms, want) => {
    expect(humanDuration(ms)).toBe(want);
  });
});
