import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ColorPair } from '../src/colors.js';
import { labelText, makeLineWriter, type FormatSettings, type SourceLabel } from '../src/format.js';
import type { Sink } from '../src/sink.js';

/** Records each line as the Sink would write it (without the newline). */
class FakeSink {
  readonly lines: Buffer[] = [];
  writeLine(prefix: Buffer, line: Buffer, start: number, end: number, suffix: Buffer): void {
    this.lines.push(Buffer.concat([prefix, line.subarray(start, end), suffix]));
  }
  get text(): string[] {
    return this.lines.map((b) => b.toString('latin1'));
  }
}

const RED: ColorPair = { pod: '91', container: '31' };
const TS = '2026-01-02T15:04:05.123456789Z';

const label = (l: Partial<SourceLabel> = {}): SourceLabel => ({
  context: undefined,
  namespace: undefined,
  pod: 'web-7d9',
  container: 'app',
  colors: undefined,
  ...l,
});

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

const savedTz = process.env.TZ;
beforeAll(() => {
  process.env.TZ = 'UTC';
});
afterAll(() => {
  if (savedTz === undefined) delete process.env.TZ;
  else process.env.TZ = savedTz;
});

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

  it.each<[string, FormatSettings, string]>([
    ['default', settings({ escapeControls: true }), 'web-7d9 app a\\x1b[2Jb\\x1b[10;10Hc\x1b[0m'],
    ['raw', settings({ escapeControls: true, output: 'raw' }), 'a\\x1b[2Jb\\x1b[10;10Hc\x1b[0m'],
    ['timestamps', settings({ escapeControls: true, timestamps: 'default' }), `web-7d9 app ${TS} a\\x1b[2Jb\\x1b[10;10Hc\x1b[0m`],
    ['short timestamps', settings({ escapeControls: true, timestamps: 'short' }), 'web-7d9 app 01-02 15:04:05 a\\x1b[2Jb\\x1b[10;10Hc\x1b[0m'],
  ])('on a terminal, cursor movement is shown escaped and colour reset (%s)', (_name, s, expected) => {
    expect(text(label(), s, hostile)).toBe(expected);
  });

  it('on a terminal, the application\'s colours pass through', () => {
    expect(text(label(), settings({ escapeControls: true }), '\x1b[1;31mred\x1b[0m')).toBe('web-7d9 app \x1b[1;31mred\x1b[0m\x1b[0m');
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

  it('on a terminal, a safe message is written as it is, with a colour reset', () => {
    expect(text(label(), settings({ escapeControls: true }), 'all good')).toBe('web-7d9 app all good\x1b[0m');
  });
});
