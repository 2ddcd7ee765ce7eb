import { describe, expect, it, vi } from 'vitest';
import type { ColorPair } from '../../src/output/colors.js';
import { makeLineFilter } from '../../src/output/filters.js';
import { Pattern } from '../../src/common/regex.js';
import { resolveZone } from '../../src/output/timefmt.js';
import { labelText, makeLineWriter, type FormatSettings } from '../../src/output/format.js';
import type { SourceLabel } from '../../src/output/label.js';
import type { Sink } from '../../src/output/sink.js';
import { label, RecordingSink as FakeSink } from '../helpers/output.js';
import { inTimeZone } from '../helpers/time-zone.js';

/** A test's pattern, written as a literal, compiled as the flags are (RE2). */
const rx = (r: RegExp): Pattern => new Pattern(r.source);

const RED: ColorPair = { pod: '91', container: '31' };
const TS = '2026-01-02T15:04:05.123456789Z';

const settings = (s: Partial<FormatSettings> = {}): FormatSettings => ({
  output: 'default',
  timestamps: false,
  escapeControls: false,
  ...s,
});

/** Writes one kubelet line (`TIMESTAMP SP MESSAGE`, embedded in a larger buffer) and returns what the sink got. */
function write(l: SourceLabel, s: FormatSettings, message: string | Buffer): Buffer {
  const sink = new FakeSink();
  const writer = makeLineWriter(l, s, sink as unknown as Sink);
  const msg = typeof message === 'string' ? Buffer.from(message, 'latin1') : message;
  const buf = Buffer.concat([Buffer.from('junk\n'), Buffer.from(`${TS} `), msg, Buffer.from('\nmore')]);
  const lineStart = 5;
  const tsEnd = lineStart + TS.length;
  writer(buf, lineStart, tsEnd, tsEnd + 1, tsEnd + 1 + msg.length);
  expect(sink.lines).toHaveLength(1);
  return sink.lines[0]!;
}

const text = (l: SourceLabel, s: FormatSettings, message: string): string => write(l, s, message).toString('latin1');

inTimeZone('UTC');

describe('makeLineWriter: layout', () => {
  it.each<[string, SourceLabel, FormatSettings, string]>([
    ['default', label(), settings(), 'web-7d9 app hello world'],
    ['raw', label(), settings({ output: 'raw' }), 'hello world'],
    ['with the namespace', label({ namespace: 'shop' }), settings(), 'shop web-7d9 app hello world'],
    ['with the context and namespace', label({ context: 'prod', namespace: 'shop' }), settings(), 'prod shop web-7d9 app hello world'],
    ['with the context', label({ context: 'prod' }), settings(), 'prod web-7d9 app hello world'],
    ['raw ignores the label', label({ context: 'prod', namespace: 'shop', colors: RED }), settings({ output: 'raw' }), 'hello world'],
    ['timestamps default', label(), settings({ timestamps: 'default' }), `web-7d9 app ${TS} hello world`],
    ['timestamps short', label(), settings({ timestamps: 'short' }), 'web-7d9 app 01-02 15:04:05 hello world'],
    ['raw with timestamps', label(), settings({ output: 'raw', timestamps: 'default' }), `${TS} hello world`],
    ['raw with short timestamps', label(), settings({ output: 'raw', timestamps: 'short' }), '01-02 15:04:05 hello world'],
  ])('%s', (_name, l, s, expected) => {
    expect(text(l, s, 'hello world')).toBe(expected);
  });

  it('an empty message keeps the prefix', () => {
    expect(text(label(), settings(), '')).toBe('web-7d9 app ');
  });
});

describe('makeLineWriter: colours', () => {
  it('paints the pod bright and the container normal', () => {
    expect(text(label({ colors: RED }), settings(), 'msg')).toBe('\x1b[91mweb-7d9\x1b[0m \x1b[31mapp\x1b[0m msg');
  });

  it('paints the context and namespace in the container colour', () => {
    expect(text(label({ context: 'prod', namespace: 'shop', colors: RED }), settings(), 'msg')).toBe(
      '\x1b[31mprod\x1b[0m \x1b[31mshop\x1b[0m \x1b[91mweb-7d9\x1b[0m \x1b[31mapp\x1b[0m msg',
    );
  });

  it.each<[string, FormatSettings]>([
    ['default', settings()],
    ['timestamps', settings({ timestamps: 'default' })],
    ['short timestamps', settings({ timestamps: 'short' })],
    ['raw', settings({ output: 'raw' })],
  ])('no escape sequence at all without colours (%s)', (_name, s) => {
    expect(write(label({ context: 'prod', namespace: 'shop' }), s, 'plain').includes(0x1b)).toBe(false);
  });

  it('labelText is the default prefix without the trailing space', () => {
    expect(labelText(label({ namespace: 'shop', colors: RED }))).toBe('\x1b[31mshop\x1b[0m \x1b[91mweb-7d9\x1b[0m \x1b[31mapp\x1b[0m');
  });
});

describe('makeLineWriter: terminal safety', () => {
  const hostile = 'a\x1b[2Jb\x1b[10;10Hc';
  const tty = (s: Partial<FormatSettings> = {}): FormatSettings => settings({ escapeControls: true, color: true, ...s });

  it.each<[string, FormatSettings, string]>([
    ['default', tty(), 'web-7d9 app a\\x1b[2Jb\\x1b[10;10Hc'],
    ['raw', tty({ output: 'raw' }), 'a\\x1b[2Jb\\x1b[10;10Hc'],
    ['timestamps', tty({ timestamps: 'default' }), `web-7d9 app ${TS} a\\x1b[2Jb\\x1b[10;10Hc`],
    ['short timestamps', tty({ timestamps: 'short' }), 'web-7d9 app 01-02 15:04:05 a\\x1b[2Jb\\x1b[10;10Hc'],
  ])('on a terminal, cursor movement is shown escaped, and no reset follows colour nobody began (%s)', (_name, s, expected) => {
    expect(text(label(), s, hostile)).toBe(expected);
  });

  it("on a colour terminal, the application's colours pass through, then a reset", () => {
    expect(text(label(), tty(), '\x1b[1;31mred\x1b[0m')).toBe('web-7d9 app \x1b[1;31mred\x1b[0m\x1b[0m');
    expect(text(label(), tty({ timestamps: 'short' }), '\x1b[1;31mred')).toBe('web-7d9 app 01-02 15:04:05 \x1b[1;31mred\x1b[0m');
    expect(text(label(), tty(), 'x\x1b[2J\x1b[32mgreen')).toBe('web-7d9 app x\\x1b[2J\x1b[32mgreen\x1b[0m');
  });

  it.each<[string, FormatSettings]>([
    ['default', settings({ escapeControls: true, color: false })],
    ['raw', settings({ escapeControls: true, color: false, output: 'raw' })],
    ['timestamps', settings({ escapeControls: true, color: false, timestamps: 'default' })],
    ['short timestamps', settings({ escapeControls: true, color: false, timestamps: 'short' })],
  ])("on a terminal without colour (NO_COLOR), not one escape byte: the application's SGR is shown escaped (%s)", (_name, s) => {
    const out = write(label(), s, '\x1b[1;31mred\x1b[0m plain');
    expect(out.includes(0x1b)).toBe(false);
    expect(out.toString('latin1')).toMatch(/\\x1b\[1;31mred\\x1b\[0m plain$/);
  });

  it.each<[string, FormatSettings]>([
    ['default', settings()],
    ['raw', settings({ output: 'raw' })],
    ['timestamps', settings({ timestamps: 'default' })],
    ['short timestamps', settings({ timestamps: 'short' })],
  ])('piped, the message bytes are passed unchanged (%s)', (_name, s) => {
    const msg = Buffer.from([0x61, 0x1b, 0x5b, 0x32, 0x4a, 0x07, 0x00, 0xc2, 0x9b, 0xff, 0x0d, 0x62]);
    const out = write(label(), s, msg);
    expect(out.subarray(out.length - msg.length).equals(msg)).toBe(true);
  });

  it('on a terminal, a safe message is written as it is, with no reset', () => {
    expect(text(label(), tty(), 'all good')).toBe('web-7d9 app all good');
    expect(text(label({ colors: RED }), tty(), 'all good')).toBe('\x1b[91mweb-7d9\x1b[0m \x1b[31mapp\x1b[0m all good');
  });
});

describe('makeLineWriter: -i/-e/-H, level colours, --timezone (decided once)', () => {
  const HL = (s: string): string => `\x1b[31;1m${s}\x1b[0;22m`;
  const writeAll = (l: SourceLabel, s: FormatSettings, messages: string[]): string[] => {
    const sink = new FakeSink();
    const writer = makeLineWriter(l, s, sink as unknown as Sink);
    for (const m of messages) {
      const buf = Buffer.from(`${TS} ${m}`);
      writer(buf, 0, TS.length, TS.length + 1, buf.length);
    }
    return sink.text.map((t) => Buffer.from(t, 'latin1').toString('utf8'));
  };

  it.each<[string, FormatSettings, string[], string[]]>([
    [
      '-i keeps matching lines',
      settings({ filter: makeLineFilter({ include: [rx(/ERR/)], exclude: [], highlight: [] }, false) }),
      ['ERR one', 'ok', 'ERR two'],
      ['web-7d9 app ERR one', 'web-7d9 app ERR two'],
    ],
    [
      '-e drops matching lines',
      settings({ filter: makeLineFilter({ include: [], exclude: [rx(/healthz/)], highlight: [] }, false) }),
      ['GET /healthz', 'GET /'],
      ['web-7d9 app GET /'],
    ],
    [
      '-i on colour output paints the match',
      settings({ filter: makeLineFilter({ include: [rx(/ERR/)], exclude: [], highlight: [] }, true) }),
      ['an ERR'],
      [`web-7d9 app an ${HL('ERR')}`],
    ],
    [
      '-H paints without filtering',
      settings({ filter: makeLineFilter({ include: [], exclude: [], highlight: [rx(/cart/)] }, true) }),
      ['GET /cart', 'GET /'],
      [`web-7d9 app GET /${HL('cart')}`, 'web-7d9 app GET /'],
    ],
    [
      '-i with -t keeps the timestamp',
      settings({ timestamps: 'default', filter: makeLineFilter({ include: [rx(/x/)], exclude: [], highlight: [] }, true) }),
      ['x'],
      [`web-7d9 app ${TS} ${HL('x')}`],
    ],
    [
      '-i with raw output',
      settings({ output: 'raw', filter: makeLineFilter({ include: [rx(/x/)], exclude: [], highlight: [] }, false) }),
      ['x', 'y'],
      ['x'],
    ],
    [
      '-i matches the message, not the timestamp',
      settings({ filter: makeLineFilter({ include: [rx(/2026/)], exclude: [], highlight: [] }, false) }),
      ['no year'],
      [],
    ],
    [
      '-i on a terminal: the painted text is still made safe',
      settings({ escapeControls: true, color: true, filter: makeLineFilter({ include: [rx(/b/)], exclude: [], highlight: [] }, true) }),
      ['a\x1b[2Jb'],
      [`web-7d9 app a\\x1b[2J${HL('b')}\x1b[0m`],
    ],
    [
      'level: error red',
      settings({ levelColors: true }),
      ['{"level":"error","msg":"x"}'],
      ['web-7d9 app \x1b[31m{"level":"error","msg":"x"}\x1b[0m'],
    ],
    [
      'level: warn yellow',
      settings({ levelColors: true }),
      ['{"severity":"warning"}'],
      ['web-7d9 app \x1b[33m{"severity":"warning"}\x1b[0m'],
    ],
    ['level: debug dim', settings({ levelColors: true }), ['{"lvl":"debug"}'], ['web-7d9 app \x1b[2m{"lvl":"debug"}\x1b[0m']],
    ['level: info as it is', settings({ levelColors: true }), ['{"level":"info"}'], ['web-7d9 app {"level":"info"}']],
    ['level: logfmt', settings({ levelColors: true }), ['level=error msg=x'], ['web-7d9 app \x1b[31mlevel=error msg=x\x1b[0m']],
    [
      'level: klog',
      settings({ levelColors: true }),
      ['W1122 10:00:00.000000 1 a.go:1] slow'],
      ['web-7d9 app \x1b[33mW1122 10:00:00.000000 1 a.go:1] slow\x1b[0m'],
    ],
    ['level: a leading word', settings({ levelColors: true }), ['ERROR boom'], ['web-7d9 app \x1b[31mERROR boom\x1b[0m']],
    ['level: raw output too', settings({ output: 'raw', levelColors: true }), ['[warn] x'], ['\x1b[33m[warn] x\x1b[0m']],
    ['level: a line without level as it is', settings({ levelColors: true }), ['GET / 200'], ['web-7d9 app GET / 200']],
    [
      'level on a terminal: one reset at the end',
      settings({ levelColors: true, escapeControls: true }),
      ['{"level":"error"}'],
      ['web-7d9 app \x1b[31m{"level":"error"}\x1b[0m'],
    ],
    [
      'level with -t short',
      settings({ levelColors: true, timestamps: 'short' }),
      ['{"level":"error"}'],
      ['web-7d9 app 01-02 15:04:05 \x1b[31m{"level":"error"}\x1b[0m'],
    ],
    [
      'level and a highlight: the level colour resumes after the match',
      settings({ levelColors: true, filter: makeLineFilter({ include: [], exclude: [], highlight: [rx(/boom/)] }, true) }),
      ['{"level":"error","msg":"boom!"}'],
      [`web-7d9 app \x1b[31m{"level":"error","msg":"${HL('boom')}\x1b[31m!"}\x1b[0m`],
    ],
    [
      '--timezone with -t',
      settings({ timestamps: 'default', zone: resolveZone('Asia/Tokyo') }),
      ['m'],
      ['web-7d9 app 2026-01-03T00:04:05.123456789+09:00 m'],
    ],
    [
      '--timezone with -t short',
      settings({ timestamps: 'short', zone: resolveZone('America/New_York') }),
      ['m'],
      ['web-7d9 app 01-02 10:04:05 m'],
    ],
    ['--timezone without -t changes nothing', settings({ zone: resolveZone('Asia/Tokyo') }), ['m'], ['web-7d9 app m']],
  ])('%s', (_name, s, messages, out) => {
    expect(writeAll(label(), s, messages)).toEqual(out);
  });

  it('without filter flags no line is decoded and no regex runs (the plain path)', () => {
    const toString = vi.spyOn(Buffer.prototype, 'toString');
    const exec = vi.spyOn(RegExp.prototype, 'exec');
    const test = vi.spyOn(RegExp.prototype, 'test');
    try {
      const sink = new FakeSink();
      const writer = makeLineWriter(label({ colors: RED }), settings({ escapeControls: true }), sink as unknown as Sink);
      const buf = Buffer.from(`${TS} {"level":"error"} plain line`);
      toString.mockClear();
      exec.mockClear();
      test.mockClear();
      writer(buf, 0, TS.length, TS.length + 1, buf.length);
      expect([toString.mock.calls.length, exec.mock.calls.length, test.mock.calls.length]).toEqual([0, 0, 0]);
      expect(sink.lines).toHaveLength(1);
    } finally {
      toString.mockRestore();
      exec.mockRestore();
      test.mockRestore();
    }
  });

  it('without --level, -o pretty and colour no level is looked for: a logfmt line costs no search', () => {
    const indexOf = vi.spyOn(Buffer.prototype, 'indexOf');
    try {
      const sink = new FakeSink();
      const writer = makeLineWriter(label(), settings(), sink as unknown as Sink);
      const buf = Buffer.from(`${TS} time=x level=error msg=y`);
      writer(buf, 0, TS.length, TS.length + 1, buf.length);
      expect(indexOf).not.toHaveBeenCalled();
      expect(sink.text).toEqual(['web-7d9 app time=x level=error msg=y']);
    } finally {
      indexOf.mockRestore();
    }
  });

  it('level colours decode no line, with a level or without', () => {
    const toString = vi.spyOn(Buffer.prototype, 'toString');
    try {
      const sink = new FakeSink();
      const writer = makeLineWriter(label({ colors: RED }), settings({ levelColors: true }), sink as unknown as Sink);
      const plain = Buffer.from(`${TS} GET /cart 200 12ms`);
      const logfmt = Buffer.from(`${TS} time=x level=error msg="a long message"`);
      toString.mockClear();
      writer(plain, 0, TS.length, TS.length + 1, plain.length);
      expect(toString).not.toHaveBeenCalled();
      writer(logfmt, 0, TS.length, TS.length + 1, logfmt.length);
      expect(toString).not.toHaveBeenCalled();
      expect(sink.text.map((t) => t.slice(0, 40))).toEqual(
        [
          '\x1b[91mweb-7d9\x1b[0m \x1b[31mapp\x1b[0m GET /cart 200 12ms',
          '\x1b[91mweb-7d9\x1b[0m \x1b[31mapp\x1b[0m \x1b[31mtime=x level=error ms',
        ].map((t) => t.slice(0, 40)),
      );
    } finally {
      toString.mockRestore();
    }
  });
});
