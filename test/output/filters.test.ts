import { describe, expect, it } from 'vitest';
import { makeLineFilter, type FilterFlags } from '../../src/output/filters.js';
import { jsonLineLevel, levelSgr } from '../../src/output/levels.js';

const flags = (f: Partial<FilterFlags>): FilterFlags => ({ include: [], exclude: [], highlight: [], ...f });
const HL = (s: string): string => `\x1b[31;1m${s}\x1b[0m`;

describe('makeLineFilter: whether there is a filter at all', () => {
  it.each<[string, Partial<FilterFlags>, boolean, boolean]>([
    ['no flags', {}, true, false],
    ['no flags, no colour', {}, false, false],
    ['-H without colour: nothing to do', { highlight: [/x/] }, false, false],
    ['-H with colour', { highlight: [/x/] }, true, true],
    ['-i without colour', { include: [/x/] }, false, true],
    ['-e', { exclude: [/x/] }, false, true],
  ])('%s', (_name, f, color, exists) => {
    expect(makeLineFilter(flags(f), color) !== undefined).toBe(exists);
  });
});

describe('keep: -i and -e', () => {
  it.each<[string, Partial<FilterFlags>, string, boolean]>([
    ['-i matches', { include: [/ERROR/] }, 'an ERROR here', true],
    ['-i does not match', { include: [/ERROR/] }, 'all fine', false],
    ['any of several -i', { include: [/ERROR/, /WARN/] }, 'a WARN', true],
    ['-e matches', { exclude: [/healthz/] }, 'GET /healthz', false],
    ['-e does not match', { exclude: [/healthz/] }, 'GET /cart', true],
    ['any of several -e', { exclude: [/a/, /b/] }, 'xbx', false],
    ['-e wins over -i', { include: [/GET/], exclude: [/healthz/] }, 'GET /healthz', false],
    ['-i and -e both pass', { include: [/GET/], exclude: [/healthz/] }, 'GET /cart', true],
    ['-H alone keeps everything', { highlight: [/x/] }, 'nothing', true],
    ['regex syntax', { include: [/^\d{3} /] }, '404 not found', true],
  ])('%s', (_name, f, text, kept) => {
    expect(makeLineFilter(flags(f), true)!.keep(text)).toBe(kept);
  });
});

describe('highlight: -i and -H matches on colour output', () => {
  it.each<[string, Partial<FilterFlags>, string, string | null]>([
    ['an -i match', { include: [/err/] }, 'an err here', `an ${HL('err')} here`],
    ['every match', { highlight: [/o/] }, 'foo bar boo', `f${HL('oo')} bar b${HL('oo')}`],
    ['-i and -H together', { include: [/GET/], highlight: [/cart/] }, 'GET /cart', `${HL('GET')} /${HL('cart')}`],
    ['overlapping matches merge', { highlight: [/abc/, /bcd/] }, 'xabcdx', `x${HL('abcd')}x`],
    ['a match inside another', { highlight: [/abcdef/, /cd/] }, 'abcdef', HL('abcdef')],
    ['nothing matched', { highlight: [/zzz/] }, 'abc', null],
    ['empty matches are skipped', { highlight: [/x*/] }, 'abc', null],
    ['-e never paints', { exclude: [/q/] }, 'abc', null],
  ])('%s', (_name, f, text, out) => {
    expect(makeLineFilter(flags(f), true)!.highlight(text)).toBe(out);
  });

  it('without colour nothing is painted', () => {
    expect(makeLineFilter(flags({ include: [/a/] }), false)!.highlight('abc')).toBeNull();
  });

  it('the line\'s own colour comes back after each match', () => {
    expect(makeLineFilter(flags({ highlight: [/b/] }), true)!.highlight('abc', '\x1b[33m')).toBe(`a${HL('b')}\x1b[33mc`);
  });
});

describe('levels of JSON lines', () => {
  const line = (s: string): [Buffer, number, number] => {
    const b = Buffer.from(`xx${s}yy`);
    return [b, 2, 2 + Buffer.byteLength(s)];
  };
  it.each<[string, string, string | undefined]>([
    ['level error', '{"level":"error","msg":"x"}', '31'],
    ['level ERROR', '{"level":"ERROR"}', '31'],
    ['level fatal', '{"level":"fatal"}', '31'],
    ['severity (GCP)', '{"severity":"WARNING","message":"x"}', '33'],
    ['lvl warn', '{"lvl":"warn"}', '33'],
    ['level debug', '{"level":"debug"}', '2'],
    ['level trace', '{"level":"trace"}', '2'],
    ['level info', '{"level":"info"}', undefined],
    ['pino numbers: 50', '{"level":50}', '31'],
    ['pino numbers: 40', '{"level":40}', '33'],
    ['pino numbers: 30', '{"level":30}', undefined],
    ['pino numbers: 20', '{"level":20}', '2'],
    ['an unknown level', '{"level":"chatty"}', undefined],
    ['no level key', '{"msg":"level: error"}', undefined],
    ['the key only nested', '{"a":{"level":"error"}}', undefined],
    ['not JSON', 'level=error msg=x', undefined],
    ['broken JSON', '{"level":"error"', undefined],
    ['JSON after a space', ' {"level":"error"}', undefined],
  ])('%s', (_name, s, sgr) => {
    expect(jsonLineLevel(...line(s))).toBe(sgr);
  });

  it.each<[unknown, string | undefined]>([
    ['warning', '33'], ['Err', '31'], ['critical', '31'], ['verbose', '2'], ['notice', undefined], [60, '31'], [10, '2'], [null, undefined],
  ])('levelSgr(%j)', (level, sgr) => {
    expect(levelSgr(level)).toBe(sgr);
  });
});
