import { describe, expect, it } from 'vitest';
import type { LineWriter } from '../../src/output/label.js';
import { OrderedMerger, timestampKey, type Clock } from '../../src/output/ordered.js';

/** A clock the test moves by hand; timers run when their time comes. */
class FakeClock implements Clock {
  t = 0;
  private timers: { at: number; fn: () => void; id: number }[] = [];
  private ids = 0;

  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      const due = this.timers.filter((x) => x.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((x) => x !== due);
      this.t = due.at;
      due.fn();
    }
    this.t = end;
  }
  get pending(): number {
    return this.timers.length;
  }
}

const base = Date.UTC(2026, 0, 2, 15, 4, 5);
/** an RFC3339Nano timestamp `ms` milliseconds (plus `ns`) after the base */
const ts = (ms: number, ns = 0): string => {
  const d = new Date(base + ms);
  const frac = String(d.getUTCMilliseconds() * 1e6 + ns)
    .padStart(9, '0')
    .replace(/0+$/, '');
  return `${d.toISOString().slice(0, 19)}${frac ? `.${frac}` : ''}Z`;
};

function setup(windowMs = 1000, maxHeldBytes?: number) {
  const clock = new FakeClock();
  const merger = new OrderedMerger(windowMs, clock, maxHeldBytes);
  const out: string[] = [];
  const sink =
    (name: string): LineWriter =>
    (buf, lineStart, _tsEnd, msgStart, end) => {
      expect(lineStart).toBe(0);
      out.push(`${name}:${buf.toString('utf8', msgStart, end)}`);
    };
  /** writes a line through a source's writer, from a buffer that is reused (lent) afterwards */
  const source = (name: string) => {
    const writer = merger.wrap(sink(name));
    const lent = Buffer.alloc(256);
    return (at: string, message: string): void => {
      const text = `${at} ${message}`;
      lent.fill(0x21);
      const n = lent.write(`##${text}`, 'utf8');
      writer(lent, 2, 2 + at.length, 3 + at.length, n);
      lent.fill(0x3f); // the caller's buffer changes at once: the merger must have copied
    };
  };
  return { clock, merger, out, source };
}

describe('timestampKey', () => {
  it.each<[string, [number, number] | undefined]>([
    ['2026-01-02T15:04:05.123456789Z', [base / 1000, 123456789]],
    ['2026-01-02T15:04:05.5Z', [base / 1000, 500_000_000]],
    ['2026-01-02T15:04:05Z', [base / 1000, 0]],
    ['2026-01-02T16:04:05.25+01:00', [base / 1000, 250_000_000]],
    ['no timestamp', undefined],
  ])('%s', (text, key) => {
    expect(timestampKey(Buffer.from(text), 0, text.length)).toEqual(key);
  });
});

describe('OrderedMerger', () => {
  it('merges skewed sources in timestamp order within the window', () => {
    const { clock, out, source } = setup(1000);
    const a = source('a');
    const b = source('b');
    // source a delivers first, source b 300 ms later with lines that interleave in time
    a(ts(0), 'a0');
    a(ts(20), 'a2');
    a(ts(40), 'a4');
    clock.advance(300);
    b(ts(10), 'b1');
    b(ts(30), 'b3');
    b(ts(50), 'b5');
    expect(out).toEqual([]);
    clock.advance(699);
    expect(out).toEqual([]);
    // a's lines are due 1000 ms after they arrived: they and everything older go out in order
    clock.advance(1);
    expect(out).toEqual(['a:a0', 'b:b1', 'a:a2', 'b:b3', 'a:a4']);
    clock.advance(300);
    expect(out).toEqual(['a:a0', 'b:b1', 'a:a2', 'b:b3', 'a:a4', 'b:b5']);
  });

  it('holds each line at most the window, even when other lines keep arriving', () => {
    const { clock, out, source } = setup(500);
    const a = source('a');
    for (let i = 0; i < 10; i++) {
      a(ts(i * 100), `l${i}`);
      clock.advance(100);
      // every line arrived ≥ 500 ms ago is out
      expect(out.length).toBe(Math.max(0, i + 1 - 4));
    }
  });

  it('a late line is still written, never dropped, right when its own window ends', () => {
    const { clock, out, source } = setup(1000);
    const a = source('a');
    const b = source('b');
    a(ts(5000), 'new');
    clock.advance(1000);
    expect(out).toEqual(['a:new']);
    // b's line is older than one already written: it cannot be in place any more
    b(ts(1000), 'late');
    expect(out).toEqual(['a:new']);
    clock.advance(1000);
    expect(out).toEqual(['a:new', 'b:late']);
  });

  it('equal timestamps keep their arrival order', () => {
    const { clock, out, source } = setup(100);
    const a = source('a');
    const b = source('b');
    a(ts(0), '1');
    b(ts(0), '2');
    a(ts(0), '3');
    clock.advance(100);
    expect(out).toEqual(['a:1', 'b:2', 'a:3']);
  });

  it('nanoseconds decide within a millisecond', () => {
    const { clock, out, source } = setup(100);
    const a = source('a');
    a(ts(0, 900), 'later');
    a(ts(0, 100), 'earlier');
    clock.advance(100);
    expect(out).toEqual(['a:earlier', 'a:later']);
  });

  it('copies held lines: the source buffer is only lent', () => {
    const { clock, out, source } = setup(100);
    const a = source('a');
    a(ts(0), 'héllo wörld');
    clock.advance(100);
    expect(out).toEqual(['a:héllo wörld']);
  });

  it('flushAll writes everything held, in order, and stops the timer', () => {
    const { clock, merger, out, source } = setup(10_000);
    const a = source('a');
    a(ts(30), 'c');
    a(ts(10), 'a');
    a(ts(20), 'b');
    merger.flushAll();
    expect(out).toEqual(['a:a', 'a:b', 'a:c']);
    expect(clock.pending).toBe(0);
    expect(merger.size).toBe(0);
  });

  it('past the memory bound, the earliest lines are written early', () => {
    const { out, source, merger } = setup(10_000, 200);
    const a = source('a');
    for (let i = 0; i < 10; i++) a(ts(100 - i), `line-${i}`);
    expect(out.length).toBeGreaterThan(0);
    expect(merger.size).toBeLessThan(10);
    // the 7th line (31 bytes each) passed 200 bytes: the earliest held then, line-6, went out
    expect(out[0]).toBe('a:line-6');
  });

  it('one timer at a time', () => {
    const { clock, source } = setup(1000);
    const a = source('a');
    for (let i = 0; i < 100; i++) a(ts(i), `l${i}`);
    expect(clock.pending).toBe(1);
  });
});
