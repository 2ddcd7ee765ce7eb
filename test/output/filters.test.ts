import { describe, expect, it } from 'vitest';
import { makeLineFilter, type FilterFlags } from '../../src/output/filters.js';
import { Pattern } from '../../src/common/regex.js';

/** A test's pattern, written as a literal, compiled as the flags are (RE2). */
const rx = (r: RegExp): Pattern => new Pattern(r.source);

const flags = (f: Partial<FilterFlags>): FilterFlags => ({ include: [], exclude: [], highlight: [], ...f });
/** stern's highlight bytes (fatih/color red and bold): ESC[31;1m … ESC[0;22m */
const HL = (s: string): string => `\x1b[31;1m${s}\x1b[0;22m`;

describe('makeLineFilter: whether there is a filter at all', () => {
  it.each<[string, Partial<FilterFlags>, boolean, boolean]>([
    ['no flags', {}, true, false],
    ['no flags, no colour', {}, false, false],
    ['-H without colour: nothing to do', { highlight: [rx(/x/)] }, false, false],
    ['-H with colour', { highlight: [rx(/x/)] }, true, true],
    ['-i without colour', { include: [rx(/x/)] }, false, true],
    ['-e', { exclude: [rx(/x/)] }, false, true],
  ])('%s', (_name, f, color, exists) => {
    expect(makeLineFilter(flags(f), color) !== undefined).toBe(exists);
  });
});

describe('keep: -i and -e', () => {
  it.each<[string, Partial<FilterFlags>, string, boolean]>([
    ['-i matches', { include: [rx(/ERROR/)] }, 'an ERROR here', true],
    ['-i does not match', { include: [rx(/ERROR/)] }, 'all fine', false],
    ['any of several -i', { include: [rx(/ERROR/), rx(/WARN/)] }, 'a WARN', true],
    ['-e matches', { exclude: [rx(/healthz/)] }, 'GET /healthz', false],
    ['-e does not match', { exclude: [rx(/healthz/)] }, 'GET /cart', true],
    ['any of several -e', { exclude: [rx(/a/), rx(/b/)] }, 'xbx', false],
    ['-e wins over -i', { include: [rx(/GET/)], exclude: [rx(/healthz/)] }, 'GET /healthz', false],
    ['-i and -e both pass', { include: [rx(/GET/)], exclude: [rx(/healthz/)] }, 'GET /cart', true],
    ['-H alone keeps everything', { highlight: [rx(/x/)] }, 'nothing', true],
    ['regex syntax', { include: [rx(/^\d{3} /)] }, '404 not found', true],
  ])('%s', (_name, f, text, kept) => {
    expect(makeLineFilter(flags(f), true)!.keep(text)).toBe(kept);
  });
});

// as stern's HighlightMatchedString: one expression `(longest|…)` of every -i and -H, each match
// painted as Go's ReplaceAllStringFunc finds them (the bytes below were checked against stern --stdin)
describe('highlight: -i and -H matches on colour output', () => {
  it.each<[string, Partial<FilterFlags>, string, string | null]>([
    ['an -i match', { include: [rx(/err/)] }, 'an err here', `an ${HL('err')} here`],
    ['every match, each on its own', { highlight: [rx(/o/)] }, 'foo bar boo', `f${HL('o')}${HL('o')} bar b${HL('o')}${HL('o')}`],
    ['-i and -H together', { include: [rx(/GET/)], highlight: [rx(/cart/)] }, 'GET /cart', `${HL('GET')} /${HL('cart')}`],
    ['overlapping matches: the leftmost wins', { highlight: [rx(/abc/), rx(/bcd/)] }, 'xabcdx', `x${HL('abc')}dx`],
    ['at one place the longer source is tried first', { highlight: [rx(/ab/), rx(/abc/)] }, 'abcd', `${HL('abc')}d`],
    ['a match inside another', { highlight: [rx(/abcdef/), rx(/cd/)] }, 'abcdef', HL('abcdef')],
    ['nothing matched', { highlight: [rx(/zzz/)] }, 'abc', null],
    ['empty matches are painted too, as Go replaces them', { highlight: [rx(/x*/)] }, 'abc', `${HL('')}a${HL('')}b${HL('')}c${HL('')}`],
    ['-e never paints', { exclude: [rx(/q/)] }, 'abc', null],
  ])('%s', (_name, f, text, out) => {
    expect(makeLineFilter(flags(f), true)!.highlight(text)).toBe(out);
  });

  it('without colour nothing is painted', () => {
    expect(makeLineFilter(flags({ include: [rx(/a/)] }), false)!.highlight('abc')).toBeNull();
  });

  it("the line's own colour comes back after each match", () => {
    expect(makeLineFilter(flags({ highlight: [rx(/b/)] }), true)!.highlight('abc', '\x1b[33m')).toBe(`a${HL('b')}\x1b[33mc`);
  });
});

// the patterns are RE2's (as stern's): linear in the line, Go's syntax, positions for painting
describe('RE2 patterns on the line path', () => {
  const re = (source: string): Pattern => new Pattern(source);

  it("-i '(a+)+$' on a 45-byte line returns promptly (V8's backtracking stalls for minutes)", () => {
    const f = makeLineFilter(flags({ include: [re('(a+)+$')] }), true)!;
    const line = `${'a'.repeat(44)}!`;
    const start = performance.now();
    expect(f.keep(line)).toBe(false);
    expect(f.highlight(line)).toBeNull();
    expect(f.keep('a'.repeat(45))).toBe(true);
    expect(performance.now() - start).toBeLessThan(1000);
  });

  it.each<[string, string, string | null]>([
    ['(?i)error', 'an ERROR and an Error', `an ${HL('ERROR')} and an ${HL('Error')}`],
    ['[[:digit:]]+', 'took 42ms', `took ${HL('42')}ms`],
    ['\\pL+', '42 élan', `42 ${HL('élan')}`],
    // positions are UTF-16 offsets: a match after an astral character is painted where it is
    ['b+', '😀abb', `😀a${HL('bb')}`],
    ['x*', '😀x', `${HL('')}😀${HL('x')}`],
    ['(?i)zzz', 'none here', null],
  ])('%j on %j', (source, text, painted) => {
    expect(makeLineFilter(flags({ highlight: [re(source)] }), true)!.highlight(text)).toBe(painted);
  });
});
