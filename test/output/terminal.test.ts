import { describe, expect, it } from 'vitest';
import { escapeForTerminal } from '../../src/output/terminal.js';

/** Runs escapeForTerminal on the whole of `input` and returns the text a terminal would receive. */
function shown(input: string | Buffer): string {
  const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
  const out = escapeForTerminal(buf, 0, buf.length);
  return (out ?? buf).toString('latin1');
}

const utf8AsLatin1 = (s: string): string => Buffer.from(s, 'utf8').toString('latin1');

describe('escapeForTerminal', () => {
  it.each([
    ['plain ASCII', 'GET /healthz 200 1.2ms'],
    ['empty line', ''],
    ['tabs', 'a\tb\t'],
    ['UTF-8 text (incl. U+00A0–U+00FF, lead byte 0xC2 with a non-C1 tail)', 'naïve café ©2024 ° — 日本語 💩'],
    ['SGR colour', '\x1b[31mred\x1b[0m'],
    ['SGR 256-colour', '\x1b[38;5;196mbright red\x1b[0m'],
    ['SGR true colour with colons', '\x1b[38:2::255:100:0mrgb\x1b[m'],
    ['SGR reset without params', 'x\x1b[m'],
    ['SGR at the very end', 'text\x1b[0m'],
    ['invalid UTF-8', Buffer.from([0x61, 0xff, 0xfe, 0xc3, 0x28, 0xc2])],
  ])('%s needs no change (returns null)', (_name, input) => {
    const buf = typeof input === 'string' ? Buffer.from(input, 'utf8') : input;
    expect(escapeForTerminal(buf, 0, buf.length)).toBeNull();
  });

  it.each([
    ['cursor up', 'a\x1b[2Ab', 'a\\x1b[2Ab'],
    ['cursor position', '\x1b[10;20Hx', '\\x1b[10;20Hx'],
    ['clear screen', '\x1b[2J\x1b[H', '\\x1b[2J\\x1b[H'],
    ['erase line', 'progress\x1b[K', 'progress\\x1b[K'],
    ['hide cursor (private mode)', '\x1b[?25l', '\\x1b[?25l'],
    ['alternate screen', '\x1b[?1049h', '\\x1b[?1049h'],
    ['private marker before m is not SGR', '\x1b[>4;2m', '\\x1b[>4;2m'],
    ['intermediate before m is not SGR', '\x1b[1$m', '\\x1b[1$m'],
    ['window title, BEL-terminated', '\x1b]0;pwned\x07rest', '\\x1b]0;pwned\\x07rest'],
    ['window title, ST-terminated', '\x1b]2;pwned\x1b\\rest', '\\x1b]2;pwned\\x1b\\rest'],
    ['OSC 52 clipboard write', '\x1b]52;c;cm0gLXJmIH4=\x07', '\\x1b]52;c;cm0gLXJmIH4=\\x07'],
    [
      'OSC 8 hyperlink',
      '\x1b]8;;https://evil.example/\x1b\\click\x1b]8;;\x1b\\',
      '\\x1b]8;;https://evil.example/\\x1b\\click\\x1b]8;;\\x1b\\',
    ],
    ['DCS', '\x1bPq#0;2;0;0;0\x1b\\', '\\x1bPq#0;2;0;0;0\\x1b\\'],
    ['RIS (full reset)', '\x1bc', '\\x1bc'],
    ['save cursor', '\x1b7x\x1b8', '\\x1b7x\\x1b8'],
    ['SGR passes, CSI next to it is escaped', '\x1b[1;31mERR\x1b[0m\x1b[2K', '\x1b[1;31mERR\x1b[0m\\x1b[2K'],
    ['CSI first, SGR after it passes', '\x1b[3Bok \x1b[32mgreen\x1b[0m', '\\x1b[3Bok \x1b[32mgreen\x1b[0m'],
    ['unterminated ESC at end of line', 'abc\x1b', 'abc\\x1b'],
    ['unterminated CSI at end of line', 'abc\x1b[31', 'abc\\x1b[31'],
    ['NUL', 'a\x00b', 'a\\x00b'],
    ['BEL', 'ding\x07', 'ding\\x07'],
    ['backspace', 'abc\x08\x08', 'abc\\x08\\x08'],
    ['lone CR (overwrites the line)', 'fake\rreal', 'fake\\x0dreal'],
    ['CRLF: the trailing CR is dropped', 'windows line\r', 'windows line'],
    ['only the last of two trailing CRs is dropped', 'x\r\r', 'x\\x0d'],
    ['a line that is just CR', '\r', ''],
    ['stray LF inside a line', 'a\nb', 'a\\x0ab'],
    ['vertical tab and form feed', '\x0b\x0c', '\\x0b\\x0c'],
    ['DEL', 'a\x7fb', 'a\\x7fb'],
    ['tab is kept next to an escaped control', '\t\x01\t', '\t\\x01\t'],
  ])('%s', (_name, input, expected) => {
    expect(shown(input)).toBe(expected);
  });

  it.each([
    ['C1 CSI (U+009B)', '\u009b2J', '\\u009b2J'],
    ['C1 OSC (U+009D)', '\u009d0;title\u009c', '\\u009d0;title\\u009c'],
    ['C1 NEL (U+0085) and U+0080', '\u0085\u0080', '\\u0085\\u0080'],
    ['C1 next to text that is UTF-8', 'é\u009bé', `${utf8AsLatin1('é')}\\u009b${utf8AsLatin1('é')}`],
    ['U+00A0 (0xC2 0xA0) is not C1', 'a\u00a0\u009fb', `a${utf8AsLatin1('\u00a0')}\\u009fb`],
  ])('%s', (_name, input, expected) => {
    expect(shown(input)).toBe(expected);
  });

  // raw C1 bytes: an 8-bit terminal reads 0x9B as CSI and 0x9D as OSC, as ESC [ and ESC ]
  it.each([
    ['raw 0x9B (8-bit CSI)', Buffer.from([0x61, 0x9b, 0x32, 0x4a, 0x62]), 'a\\x9b2Jb'],
    ['raw 0x9D (8-bit OSC) … 0x9C (ST)', Buffer.from([0x9d, 0x30, 0x3b, 0x74, 0x9c, 0x78]), '\\x9d0;t\\x9cx'],
    ['raw 0x9B after a cut-off sequence (E2 9B then ASCII)', Buffer.from([0xe2, 0x9b, 0x41]), `${String.fromCharCode(0xe2)}\\x9bA`],
    ['raw 0x9B after an overlong lead byte (C0 9B)', Buffer.from([0xc0, 0x9b]), `${String.fromCharCode(0xc0)}\\x9b`],
    ['raw 0x9B after a surrogate lead (ED A0 9B)', Buffer.from([0xed, 0xa0, 0x9b]), `${String.fromCharCode(0xed, 0xa0)}\\x9b`],
  ])('%s', (_name, input, expected) => {
    expect(shown(input)).toBe(expected);
  });

  it.each([
    // 0x9B and 0x9D inside well-formed UTF-8 are text: ě is C4 9B, ǝ is C7 9D, 囝 is E5 9B 9D, 😛 F0 9F 98 9B
    ['0x9B and 0x9D inside UTF-8', 'ě ǝ 囝 😛'],
    ['SGR 38;5;8 (colour 8 is grey, not conceal)', '\x1b[38;5;8mgrey\x1b[0m'],
    ['SGR 48;2;8;8;8', '\x1b[48;2;8;8;8mx\x1b[m'],
    ['SGR 38:5:8 with colons', '\x1b[38:5:8mx\x1b[m'],
    ['SGR 18 and 28 (not 8)', '\x1b[28;18mx'],
    ['other bidi marks (LRM U+200E) and U+2028 are not overrides', '\u200ea\u2028b\u2065\u206a'],
  ])('%s needs no change', (_name, input) => {
    const buf = Buffer.from(input, 'utf8');
    expect(escapeForTerminal(buf, 0, buf.length)).toBeNull();
  });

  // SGR 8 hides the text that follows: such a sequence is no colour and is shown escaped
  it.each([
    ['SGR 8 alone', 'a\x1b[8msecret\x1b[0m', 'a\\x1b[8msecret\x1b[0m'],
    ['SGR 8 among colours', '\x1b[1;31;8mx', '\\x1b[1;31;8mx'],
    ['SGR 08', '\x1b[08mx', '\\x1b[08mx'],
    ['SGR 8 after a complete 256-colour', '\x1b[38;5;196;8mx', '\\x1b[38;5;196;8mx'],
    ['SGR 8 after a complete true colour', '\x1b[48;2;1;2;3;8mx', '\\x1b[48;2;1;2;3;8mx'],
    ['SGR 8 with a sub-parameter', '\x1b[8:1mx', '\\x1b[8:1mx'],
    ['38;8 (no colour mode): taken as conceal', '\x1b[38;8mx', '\\x1b[38;8mx'],
  ])('%s', (_name, input, expected) => {
    expect(shown(input)).toBe(expected);
  });

  // "Trojan Source": bidi embeddings, overrides and isolates make text read other than it is
  it.each([
    ['RLO U+202E', 'user\u202eadmin', 'user\\u202eadmin'],
    ['LRE U+202A … PDF U+202C', '\u202aa\u202c', '\\u202aa\\u202c'],
    ['RLE U+202B, LRO U+202D', '\u202b\u202d', '\\u202b\\u202d'],
    ['LRI U+2066, RLI U+2067, FSI U+2068, PDI U+2069', '\u2066\u2067\u2068\u2069', '\\u2066\\u2067\\u2068\\u2069'],
    ['next to other UTF-8 and an SGR', `é\u202e\x1b[31m—`, `${utf8AsLatin1('é')}\\u202e\x1b[31m${utf8AsLatin1('—')}`],
  ])('%s', (_name, input, expected) => {
    expect(shown(input)).toBe(expected);
  });

  it('only looks at [start, end)', () => {
    const buf = Buffer.from('\x1b[2Jplain\x07', 'latin1');
    expect(escapeForTerminal(buf, 4, 9)).toBeNull();
    expect(escapeForTerminal(buf, 4, 10)?.toString('latin1')).toBe('plain\\x07');
    // an SGR cut off by `end` is not an SGR
    const sgr = Buffer.from('x\x1b[31m', 'latin1');
    expect(escapeForTerminal(sgr, 0, 5)?.toString('latin1')).toBe('x\\x1b[31');
  });

  it('a C1 lead byte at the end of the range is left as it is (invalid UTF-8, not a control)', () => {
    const buf = Buffer.from([0x61, 0xc2, 0x9b]);
    expect(escapeForTerminal(buf, 0, 2)).toBeNull();
  });

  it('never returns a buffer that aliases the input', () => {
    const buf = Buffer.from('a\x07', 'latin1');
    const out = escapeForTerminal(buf, 0, buf.length);
    expect(out).not.toBeNull();
    out?.fill(0);
    expect(buf.toString('latin1')).toBe('a\x07');
  });

  it('the output holds no control but tab and SGR, for every pair of byte values', () => {
    /** index of the first byte a terminal could act on, other than tab and a complete SGR; -1 if none */
    function firstControl(out: Buffer): number {
      for (let i = 0; i < out.length; i++) {
        const c = out[i] as number;
        if (c === 0x1b) {
          let j = i + 1;
          if (out[j++] !== 0x5b) return i;
          while (j < out.length && (out[j] as number) >= 0x30 && (out[j] as number) <= 0x3b) j++;
          if (out[j] !== 0x6d) return i;
          i = j;
        } else if ((c < 0x20 && c !== 0x09) || c === 0x7f) return i;
        else if (c === 0xc2 && (out[i + 1] ?? 0) >= 0x80 && (out[i + 1] ?? 0) <= 0x9f) return i;
      }
      return -1;
    }
    const bad: string[] = [];
    for (let b0 = 0; b0 < 256; b0++) {
      for (let b1 = 0; b1 < 256; b1++) {
        const buf = Buffer.from([0x78, b0, b1, 0x5b, 0x32, 0x4a, b1, b0]);
        const out = escapeForTerminal(buf, 0, buf.length) ?? buf;
        if (firstControl(out) !== -1) bad.push(buf.toString('hex'));
      }
    }
    expect(bad).toEqual([]);
  });
});
