/**
 * Counting every line: what a container wrote against what ktail printed for it. Every check
 * reports lost, repeated and out-of-order lines with examples, never just "not equal".
 */
import { expect } from 'vitest';

/** `${tag} line ${i}` for i in [from, from + n) */
export const numbered = (tag: string, n: number, from = 0): string[] => Array.from({ length: n }, (_, i) => `${tag} line ${from + i}`);

interface SequenceReport {
  /** lines written but never printed (counted with multiplicity: identical lines count each) */
  lost: number;
  /** lines printed more often than written */
  repeated: number;
  /** the first index where printed and written differ, with both sides around it */
  firstDifference: { index: number; printed: string[]; written: string[] } | undefined;
  lostExamples: string[];
  repeatedExamples: string[];
}

/**
 * Printed against written, as multisets (identical lines count each) and as sequences (order).
 * Exactly once and in order means: lost 0, repeated 0, no first difference.
 */
function compareSequence(printed: readonly string[], written: readonly string[]): SequenceReport {
  const counts = new Map<string, number>();
  for (const l of written) counts.set(l, (counts.get(l) ?? 0) + 1);
  for (const l of printed) counts.set(l, (counts.get(l) ?? 0) - 1);
  let lost = 0;
  let repeated = 0;
  const lostExamples: string[] = [];
  const repeatedExamples: string[] = [];
  for (const [l, c] of counts) {
    if (c > 0) {
      lost += c;
      if (lostExamples.length < 5) lostExamples.push(`${l}${c > 1 ? ` (×${c})` : ''}`);
    } else if (c < 0) {
      repeated += -c;
      if (repeatedExamples.length < 5) repeatedExamples.push(`${l}${c < -1 ? ` (×${-c})` : ''}`);
    }
  }
  let firstDifference: SequenceReport['firstDifference'];
  const n = Math.max(printed.length, written.length);
  for (let i = 0; i < n; i++) {
    if (printed[i] !== written[i]) {
      firstDifference = { index: i, printed: printed.slice(Math.max(0, i - 2), i + 3), written: written.slice(Math.max(0, i - 2), i + 3) };
      break;
    }
  }
  return { lost, repeated, firstDifference, lostExamples, repeatedExamples };
}

/** Every written line printed exactly once, in the order written. */
export function expectSameSequence(printed: readonly string[], written: readonly string[], what: string): void {
  const r = compareSequence(printed, written);
  expect({ what, printed: printed.length, ...r }).toEqual({
    what,
    printed: written.length,
    lost: 0,
    repeated: 0,
    firstDifference: undefined,
    lostExamples: [],
    repeatedExamples: [],
  });
}

/** The sim's generated lines: `seq=000000042 pod=P container=C xxx…`. */
function seqOf(message: string): number | undefined {
  if (!message.startsWith('seq=')) return undefined;
  const n = Number(message.slice(4, 13));
  return Number.isInteger(n) ? n : undefined;
}

export interface RangeReport {
  lost: number;
  repeated: number;
  outOfOrder: number;
  lostExamples: number[];
  repeatedExamples: number[];
  outOfOrderExamples: string[];
}

/** Numbers printed against [from, to): each exactly once, ascending. */
export function compareRange(printed: readonly number[], from: number, to: number): RangeReport {
  const seen = new Map<number, number>();
  let outOfOrder = 0;
  const outOfOrderExamples: string[] = [];
  let prev = -Infinity;
  for (const s of printed) {
    seen.set(s, (seen.get(s) ?? 0) + 1);
    if (s <= prev) {
      outOfOrder++;
      if (outOfOrderExamples.length < 5) outOfOrderExamples.push(`${s} after ${prev}`);
    }
    prev = s;
  }
  let lost = 0;
  let repeated = 0;
  const lostExamples: number[] = [];
  const repeatedExamples: number[] = [];
  for (let i = from; i < to; i++) {
    const c = seen.get(i) ?? 0;
    if (c === 0) {
      lost++;
      if (lostExamples.length < 10) lostExamples.push(i);
    } else if (c > 1) {
      repeated += c - 1;
      if (repeatedExamples.length < 10) repeatedExamples.push(i);
    }
  }
  for (const [s, c] of seen) {
    if (s < from || s >= to) {
      repeated += c; // printed although never written in this range
      if (repeatedExamples.length < 10) repeatedExamples.push(s);
    }
  }
  return { lost, repeated, outOfOrder, lostExamples, repeatedExamples, outOfOrderExamples };
}

export function expectRange(printed: readonly number[], from: number, to: number, what: string): void {
  expect({ what, ...compareRange(printed, from, to) }).toEqual({
    what,
    lost: 0,
    repeated: 0,
    outOfOrder: 0,
    lostExamples: [],
    repeatedExamples: [],
    outOfOrderExamples: [],
  });
}

/** The seq numbers of a source's generated lines, in the order printed (other lines ignored). */
export function seqs(messages: readonly string[]): number[] {
  const out: number[] = [];
  for (const m of messages) {
    const s = seqOf(m);
    if (s !== undefined) out.push(s);
  }
  return out;
}

/**
 * Checks generated lines as they stream by, without keeping them: for output too large to
 * hold (the slow-reader test). Lines are `POD CONTAINER seq=NNNNNNNNN …`.
 */
export class StreamingSeqCheck {
  readonly next = new Map<string, number>();
  lines = 0;
  bytes = 0;
  problems: string[] = [];
  problemCount = 0;
  private carry: Buffer = Buffer.alloc(0);

  push(chunk: Buffer): void {
    this.bytes += chunk.length;
    let buf = chunk;
    if (this.carry.length > 0) {
      buf = Buffer.concat([this.carry, chunk]);
      this.carry = Buffer.alloc(0);
    }
    let start = 0;
    for (;;) {
      const nl = buf.indexOf(0x0a, start);
      if (nl === -1) break;
      this.line(buf, start, nl);
      start = nl + 1;
    }
    if (start < buf.length) this.carry = Buffer.from(buf.subarray(start));
  }

  /** bytes received after the last newline */
  get partial(): number {
    return this.carry.length;
  }

  private line(buf: Buffer, start: number, end: number): void {
    this.lines++;
    const a = buf.indexOf(0x20, start);
    const b = a === -1 || a >= end ? -1 : buf.indexOf(0x20, a + 1);
    if (b === -1 || b >= end || buf.toString('latin1', b + 1, b + 5) !== 'seq=') {
      this.problem(`not a generated line: ${buf.toString('utf8', start, Math.min(end, start + 80))}`);
      return;
    }
    const source = buf.toString('latin1', start, b);
    const seq = Number(buf.toString('latin1', b + 5, b + 14));
    const want = this.next.get(source) ?? 0;
    if (seq !== want) this.problem(`${source}: seq ${seq} where ${want} was due (${seq < want ? 'repeated' : 'lost'})`);
    this.next.set(source, Math.max(want, seq + 1));
  }

  private problem(text: string): void {
    this.problemCount++;
    if (this.problems.length < 10) this.problems.push(text);
  }
}

/** Several sources at once, so that a failure shows every one of them, not just the first. */
export function expectSameSequences(cases: Record<string, { printed: readonly string[]; written: readonly string[] }>): void {
  const got: Record<string, unknown> = {};
  const want: Record<string, unknown> = {};
  for (const [what, { printed, written }] of Object.entries(cases)) {
    got[what] = { printed: printed.length, ...compareSequence(printed, written) };
    want[what] = { printed: written.length, lost: 0, repeated: 0, firstDifference: undefined, lostExamples: [], repeatedExamples: [] };
  }
  expect(got).toEqual(want);
}
