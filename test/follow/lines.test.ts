import { describe, expect, it } from 'vitest';
import { LineSplitter } from '../../src/follow/lines.js';
import { seededRandom } from '../../src/common/random.js';

/** Feeds chunks through a splitter and returns copies of the delivered lines. */
function split(chunks: readonly Buffer[], opts: { end?: boolean } = {}): Buffer[] {
  const lines: Buffer[] = [];
  const s = new LineSplitter((buf, start, end) => lines.push(Buffer.from(buf.subarray(start, end))));
  for (const c of chunks) s.push(c);
  if (opts.end !== false) s.end();
  return lines;
}

const latin1 = (buf: Buffer): string => buf.toString('latin1');
const b = (s: string): Buffer => Buffer.from(s, 'utf8');
const bytes = (...xs: number[]): Buffer => Buffer.from(xs);
const euro = b('€'); // e2 82 ac
const pile = b('💩'); // f0 9f 92 a9

function oneByteChunks(buf: Buffer): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < buf.length; i++) out.push(buf.subarray(i, i + 1));
  return out;
}

describe('LineSplitter', () => {
  it.each<{ name: string; chunks: Buffer[]; lines: Buffer[] }>([
    { name: 'one line', chunks: [b('hello\n')], lines: [b('hello')] },
    { name: 'several lines in one chunk', chunks: [b('a\nbb\nccc\n')], lines: [b('a'), b('bb'), b('ccc')] },
    { name: 'last line without newline, delivered at end()', chunks: [b('a\nlast')], lines: [b('a'), b('last')] },
    { name: 'line spanning chunks', chunks: [b('hel'), b('lo wo'), b('rld\nnext\n')], lines: [b('hello world'), b('next')] },
    { name: 'newline first in the next chunk', chunks: [b('abc'), b('\ndef\n')], lines: [b('abc'), b('def')] },
    { name: 'newline last in a chunk', chunks: [b('abc\n'), b('def\n')], lines: [b('abc'), b('def')] },
    { name: 'CRLF keeps the \\r', chunks: [b('a\r\nb\r'), b('\n')], lines: [b('a\r'), b('b\r')] },
    { name: 'only newlines', chunks: [b('\n\n\n')], lines: [b(''), b(''), b('')] },
    { name: 'only newlines, one per chunk', chunks: [b('\n'), b('\n')], lines: [b(''), b('')] },
    { name: 'empty lines between text', chunks: [b('a\n\n\nb\n')], lines: [b('a'), b(''), b(''), b('b')] },
    { name: 'empty chunks are ignored', chunks: [b(''), b('a'), b(''), b('b\n'), b('')], lines: [b('ab')] },
    { name: 'no input', chunks: [], lines: [] },
    { name: 'trailing newline gives no extra empty line', chunks: [b('a\n')], lines: [b('a')] },
    { name: 'NUL bytes are content', chunks: [bytes(0, 0x61, 0, 0x0a, 0, 0x0a)], lines: [bytes(0, 0x61, 0), bytes(0)] },
    {
      name: 'UTF-8 character split across chunks',
      chunks: [Buffer.concat([b('price '), euro.subarray(0, 1)]), euro.subarray(1, 2), Buffer.concat([euro.subarray(2), b('5\n')])],
      lines: [b('price €5')],
    },
    {
      name: '4-byte UTF-8 character split after its first byte',
      chunks: [Buffer.concat([b('x'), pile.subarray(0, 1)]), Buffer.concat([pile.subarray(1), b('\n')])],
      lines: [b('x💩')],
    },
    { name: 'one-byte chunks', chunks: oneByteChunks(b('ab\n\ncd\r\ne€\n')), lines: [b('ab'), b(''), b('cd\r'), b('e€')] },
    { name: 'invalid UTF-8 passes as bytes', chunks: [bytes(0xff, 0xc3), bytes(0x28, 0x0a)], lines: [bytes(0xff, 0xc3, 0x28)] },
  ])('$name', ({ chunks, lines }) => {
    expect(split(chunks)).toEqual(lines);
  });

  it('lends the chunk itself for a line inside one chunk (no copy)', () => {
    const chunk = b('one\ntwo\n');
    const seen: Array<[Buffer, number, number]> = [];
    const s = new LineSplitter((buf, start, end) => seen.push([buf, start, end]));
    s.push(chunk);
    expect(seen).toHaveLength(2);
    expect(seen[0]?.[0]).toBe(chunk);
    expect(seen[0]?.slice(1)).toEqual([0, 3]);
    expect(seen[1]?.[0]).toBe(chunk);
    expect(seen[1]?.slice(1)).toEqual([4, 7]);
  });

  it('does not deliver a partial line before its newline, and end() delivers it once', () => {
    const lines: string[] = [];
    const s = new LineSplitter((buf, start, end) => lines.push(buf.toString('utf8', start, end)));
    s.push(b('partial'));
    expect(lines).toEqual([]);
    expect(s.pendingBytes).toBe(7);
    s.end();
    s.end();
    expect(lines).toEqual(['partial']);
    expect(s.pendingBytes).toBe(0);
  });

  it('end() with nothing pending delivers nothing (no empty last line)', () => {
    expect(split([b('a\n\n')])).toEqual([b('a'), b('')]);
  });

  it('discardPartial drops the carried bytes; the next line starts clean', () => {
    const lines: string[] = [];
    const s = new LineSplitter((buf, start, end) => lines.push(buf.toString('utf8', start, end)));
    s.push(b('done\nhalf a li'));
    expect(s.pendingBytes).toBe(9);
    s.discardPartial();
    expect(s.pendingBytes).toBe(0);
    s.push(b('half a line\n'));
    s.end();
    expect(lines).toEqual(['done', 'half a line']);
  });

  it('a handler may call discardPartial while a carried line is delivered', () => {
    const lines: string[] = [];
    const s = new LineSplitter((buf, start, end) => {
      lines.push(buf.toString('utf8', start, end));
      s.discardPartial();
    });
    s.push(b('ab'));
    s.push(b('c\nd'));
    s.end();
    expect(lines).toEqual(['abc', 'd']);
  });

  it('keeps working after a long carried line (the carry is released and regrown)', () => {
    const long = Buffer.alloc(100_000, 0x61);
    const lines = split([long.subarray(0, 50_000), long.subarray(50_000), b('\nx'), b('y\n')]);
    expect(lines.map((l) => l.length)).toEqual([100_000, 2]);
    expect(lines[0]?.equals(long)).toBe(true);
    expect(lines[1]).toEqual(b('xy'));
  });

  it('release runs after the last line of a push, while every lent line still holds its bytes', () => {
    // a handler that reads its lines back only at release, as the resume position does
    const seen: string[] = [];
    let lent: Array<[Buffer, number, number]> = [];
    const s = new LineSplitter(
      (buf, start, end) => lent.push([buf, start, end]),
      () => {
        seen.push(lent.map(([buf, start, end]) => buf.toString('latin1', start, end)).join('|'));
        lent = [];
      },
    );
    s.push(b('partial')); // no line: nothing to release
    s.push(b(' line\nnext partial')); // the carried line is the only (and last) line of this push
    s.push(b(' two\nthree\nfour'));
    s.push(b('\n'));
    s.push(b('last'));
    s.end();
    expect(seen).toEqual(['partial line', 'next partial two|three', 'four', 'last']);
  });

  describe('16 MiB lines', () => {
    const size = 16 * 1024 * 1024;
    const big = Buffer.allocUnsafe(size);
    for (let i = 0; i < size; i++) big[i] = 0x20 + (i % 90);
    const input = Buffer.concat([b('before\n'), big, b('\nafter\n')]);

    it.each([
      { name: 'in one chunk', chunkSize: input.length },
      { name: 'in 64 KiB chunks', chunkSize: 64 * 1024 },
      { name: 'in 1-byte chunks', chunkSize: 1 },
    ])('$name', ({ chunkSize }) => {
      const lengths: number[] = [];
      let bigOk = false;
      const s = new LineSplitter((buf, start, end) => {
        lengths.push(end - start);
        if (end - start === size) bigOk = buf.subarray(start, end).equals(big);
      });
      for (let i = 0; i < input.length; i += chunkSize) s.push(input.subarray(i, i + chunkSize));
      s.end();
      expect(lengths).toEqual([6, size, 5]);
      expect(bigOk).toBe(true);
    });
  });

  describe('random chunking', () => {
    const pieces = ['a', 'log line', '€', '💩', 'ü', '\r', '\0', '\t', '\x1b[31m', ' ', '{"level":"info"}'];

    function corpus(next: () => number): Buffer[] {
      const lines: Buffer[] = [];
      for (let i = 0; i < 400; i++) {
        const kind = next();
        const len = kind < 0.1 ? 0 : kind < 0.95 ? Math.floor(next() * 20) : Math.floor(next() * 2000);
        let s = '';
        for (let j = 0; j < len; j++) s += pieces[Math.floor(next() * pieces.length)]!;
        lines.push(b(s));
      }
      return lines;
    }

    it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i: re-splitting at random boundaries gives the same lines', (seed) => {
      const next = seededRandom(seed);
      const expected = corpus(next);
      const withLast = next() < 0.5; // sometimes the stream ends without a final '\n'
      const stream = Buffer.concat(expected.map((l, i) => (withLast && i === expected.length - 1 ? l : Buffer.concat([l, b('\n')]))));
      if (withLast && expected[expected.length - 1]?.length === 0) expected.pop();
      for (let round = 0; round < 20; round++) {
        const maxChunk = [1, 3, 17, 256, 4096, 65536][round % 6] as number;
        const chunks: Buffer[] = [];
        for (let i = 0; i < stream.length;) {
          const n = 1 + Math.floor(next() * maxChunk);
          chunks.push(stream.subarray(i, i + n));
          i += n;
        }
        // compared as latin1 strings (byte for byte): deep equality on Buffers is slow
        expect(split(chunks).map(latin1)).toEqual(expected.map(latin1));
      }
    });
  });
});
