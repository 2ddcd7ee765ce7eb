// Rendering log entries into bytes as the kubelet serves them (`[TIMESTAMP ]TEXT\n`), written
// straight into a caller's buffer: the hot path of generated logs does integer math and byte
// copies only.
import { secondsPrefix, splitNs } from './clock.js';

export interface LogEntry {
  ts: bigint;
  data: Buffer;
  /** false for a trailing fragment written without a newline (served as is) */
  nl: boolean;
}

/** A generated run: line i has timestamp t0 + i*step and text `template` with seq digits patched in. */
export interface Generator {
  t0: bigint;
  t0Sec: number;
  t0Frac: number;
  step: number;
  seqStart: number;
  template: Buffer;
  total: number;
  produced: number;
  rate: number | undefined;
  startMs: number;
  finished: () => void;
}

export interface Out {
  buf: Buffer;
  off: number;
  /** write no further than this */
  limit: number;
  /**
   * Whether the next entry starts a line: an entry after a fragment written without newline
   * continues that line and gets no timestamp prefix (the kubelet's `isNewLine`).
   */
  lineStart: boolean;
}

export interface Piece {
  consumed: number;
  lines: number;
}

/** Bytes a timestamp prefix takes at most: `2006-01-02T15:04:05.123456789Z `. */
export const TS_MAX = 31;
const SEQ_POS = 4; // after 'seq='
export const SEQ_WIDTH = 9;
const NL = 0x0a;

let prefixSec = Number.NaN;
let prefixBuf = Buffer.alloc(0);

/** Write Go's RFC3339Nano (UTC) and a space at off; returns the new offset. */
function writeTimestamp(buf: Buffer, off: number, sec: number, frac: number): number {
  if (sec !== prefixSec) {
    prefixSec = sec;
    prefixBuf = Buffer.from(secondsPrefix(sec), 'latin1');
  }
  buf.set(prefixBuf, off);
  off += prefixBuf.length;
  if (frac !== 0) {
    let f = frac;
    let n = 9;
    while (f % 10 === 0) {
      f /= 10;
      n--;
    }
    buf[off] = 0x2e; // '.'
    for (let k = n; k >= 1; k--) {
      const d = f % 10;
      buf[off + k] = 48 + d;
      f = (f - d) / 10;
    }
    off += n + 1;
  }
  buf[off++] = 0x5a; // 'Z'
  buf[off++] = 0x20;
  return off;
}

/** Render stored entries [from, to) that fit; entries before sinceNs are skipped (consumed). */
export function renderExplicit(
  entries: LogEntry[],
  from: number,
  to: number,
  timestamps: boolean,
  sinceNs: bigint | undefined,
  out: Out,
): Piece {
  let i = from;
  let lines = 0;
  for (; i < to; i++) {
    const e = entries[i]!;
    if (sinceNs !== undefined && e.ts < sinceNs) {
      out.lineStart = e.nl;
      continue;
    }
    if (out.off + (timestamps ? TS_MAX : 0) + e.data.length + 1 > out.limit) break;
    if (timestamps && out.lineStart) {
      const [sec, frac] = splitNs(e.ts);
      out.off = writeTimestamp(out.buf, out.off, sec, frac);
    }
    out.buf.set(e.data, out.off);
    out.off += e.data.length;
    if (e.nl) out.buf[out.off++] = NL;
    out.lineStart = e.nl;
    lines++;
  }
  return { consumed: i - from, lines };
}

/** Render generated lines [from, to) (generator indexes) that fit. */
export function renderGenerated(
  gen: Generator,
  from: number,
  to: number,
  timestamps: boolean,
  sinceNs: bigint | undefined,
  out: Out,
): Piece {
  let start = from;
  if (sinceNs !== undefined && sinceNs > gen.t0) {
    const step = BigInt(gen.step);
    const firstOk = Number((sinceNs - gen.t0 + step - 1n) / step);
    if (firstOk > start) start = Math.min(firstOk, to);
  }
  const tpl = gen.template;
  const per = tpl.length + 1 + (timestamps ? TS_MAX : 0);
  const n = Math.min(to - start, Math.floor((out.limit - out.off) / per));
  if (start > from) out.lineStart = true; // skipped lines all ended with a newline
  if (n <= 0) return { consumed: start - from, lines: 0 };
  const buf = out.buf;
  let off = out.off;
  for (let i = start; i < start + n; i++) {
    if (timestamps && (i > start || out.lineStart)) {
      const t = gen.t0Frac + i * gen.step;
      const carry = Math.floor(t / 1e9);
      off = writeTimestamp(buf, off, gen.t0Sec + carry, t - carry * 1e9);
    }
    buf.set(tpl, off);
    let seq = gen.seqStart + i;
    for (let k = off + SEQ_POS + SEQ_WIDTH - 1; k >= off + SEQ_POS; k--) {
      const d = seq % 10;
      buf[k] = 48 + d;
      seq = (seq - d) / 10;
    }
    off += tpl.length;
    buf[off++] = NL;
  }
  out.off = off;
  out.lineStart = true;
  return { consumed: start + n - from, lines: n };
}
