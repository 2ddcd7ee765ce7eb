/**
 * `--ordered[=WINDOW]`: lines of all sources merged in timestamp order. Each line is held at most
 * WINDOW after it arrived: when the oldest-arrived line is due, it and every held line with an
 * earlier or equal timestamp are written, smallest first. A line that arrives later than the
 * window allows (its neighbours already written) is still written, never dropped — out of place.
 *
 * The source's buffer is lent only for the duration of the call, so a held line is copied.
 * Held bytes are bounded: past `maxHeldBytes` the earliest lines are written before their time.
 */
import type { LineWriter } from './label.js';
import { parseInstant } from './timefmt.js';

/** Time and timers, injectable so the tests decide when "later" is. */
export interface Clock {
  now(): number;
  setTimeout(fn: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export const realClock: Clock = {
  now: () => performance.now(),
  setTimeout: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return t;
  },
  clearTimeout: (h) => clearTimeout(h as NodeJS.Timeout),
};

interface Held {
  readonly sec: number;
  readonly nsec: number;
  readonly seq: number;
  readonly arrival: number;
  readonly bytes: Buffer;
  readonly tsEnd: number;
  readonly msgStart: number;
  readonly writer: LineWriter;
  written: boolean;
}

const before = (a: Held, b: Held): boolean => (a.sec !== b.sec ? a.sec < b.sec : a.nsec !== b.nsec ? a.nsec < b.nsec : a.seq < b.seq);

const digit = (buf: Buffer, i: number): number => (buf[i] as number) - 0x30;

/**
 * The kubelet's `2006-01-02T15:04:05.999999999Z` read from the bytes (the common case, without
 * a string), else any RFC3339 text; undefined when it is no timestamp.
 */
export function timestampKey(buf: Buffer, start: number, end: number): [number, number] | undefined {
  const n = end - start;
  if (n >= 20 && buf[start + 4] === 0x2d && buf[start + 10] === 0x54 && buf[end - 1] === 0x5a) {
    const num = (i: number, len: number): number => {
      let v = 0;
      for (let k = 0; k < len; k++) {
        const d = digit(buf, start + i + k);
        if (d < 0 || d > 9) return Number.NaN;
        v = v * 10 + d;
      }
      return v;
    };
    const ms = Date.UTC(num(0, 4), num(5, 2) - 1, num(8, 2), num(11, 2), num(14, 2), num(17, 2));
    let nsec = 0;
    let scale = 100_000_000;
    if (buf[start + 19] === 0x2e) {
      for (let i = start + 20; i < end - 1 && scale >= 1; i++, scale /= 10) nsec += digit(buf, i) * scale;
    }
    if (!Number.isNaN(ms)) return [ms / 1000, nsec];
  }
  const t = parseInstant(buf.toString('latin1', start, end));
  return t === undefined ? undefined : [t.sec, t.nsec];
}

export class OrderedMerger {
  private readonly heap: Held[] = [];
  /** held lines in arrival order (written ones are skipped when they reach the front) */
  private fifo: Held[] = [];
  private head = 0;
  private seq = 0;
  private heldBytes = 0;
  private timer: unknown = undefined;
  private timerAt = Infinity;

  constructor(
    private readonly windowMs: number,
    private readonly clock: Clock = realClock,
    private readonly maxHeldBytes = 64 * 1024 * 1024,
  ) {}

  /** The writer of one source, holding its lines here before they reach `writer`. */
  wrap(writer: LineWriter): LineWriter {
    return (buf, lineStart, tsEnd, msgStart, end) => {
      const now = this.clock.now();
      let key = tsEnd > lineStart ? timestampKey(buf, lineStart, tsEnd) : undefined;
      if (key === undefined) {
        // a line without a timestamp sorts as if it had been written when it arrived
        const wall = Date.now();
        key = [Math.floor(wall / 1000), (wall % 1000) * 1e6];
      }
      const bytes = Buffer.allocUnsafe(end - lineStart);
      buf.copy(bytes, 0, lineStart, end);
      const held: Held = {
        sec: key[0],
        nsec: key[1],
        seq: this.seq++,
        arrival: now,
        bytes,
        tsEnd: tsEnd - lineStart,
        msgStart: msgStart - lineStart,
        writer,
        written: false,
      };
      this.push(held);
      this.fifo.push(held);
      this.heldBytes += bytes.length;
      while (this.heldBytes > this.maxHeldBytes && this.heap.length > 0) this.write(this.pop());
      this.arm();
    };
  }

  /** lines held now */
  get size(): number {
    return this.heap.length;
  }

  /** Writes every line whose time has come (and those that sort before them). */
  flushDue(): void {
    const deadline = this.clock.now() - this.windowMs;
    while (this.head < this.fifo.length) {
      const oldest = this.fifo[this.head]!;
      if (oldest.written) {
        this.head++;
        continue;
      }
      if (oldest.arrival > deadline) break;
      while (this.heap.length > 0 && !before(oldest, this.heap[0]!)) this.write(this.pop());
      this.head++;
    }
    this.compact();
  }

  /** Writes everything held, in order (at the end of the run). */
  flushAll(): void {
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Infinity;
    while (this.heap.length > 0) this.write(this.pop());
    this.fifo = [];
    this.head = 0;
  }

  private write(h: Held): void {
    h.written = true;
    this.heldBytes -= h.bytes.length;
    h.writer(h.bytes, 0, h.tsEnd, h.msgStart, h.bytes.length);
  }

  private compact(): void {
    if (this.head === this.fifo.length) {
      this.fifo = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.fifo.length) {
      this.fifo = this.fifo.slice(this.head);
      this.head = 0;
    }
  }

  /** One timer, for the next line due. */
  private arm(): void {
    while (this.head < this.fifo.length && this.fifo[this.head]!.written) this.head++;
    if (this.head >= this.fifo.length) return;
    const due = this.fifo[this.head]!.arrival + this.windowMs;
    if (this.timer !== undefined && due >= this.timerAt) return;
    if (this.timer !== undefined) this.clock.clearTimeout(this.timer);
    this.timerAt = due;
    this.timer = this.clock.setTimeout(
      () => {
        this.timer = undefined;
        this.timerAt = Infinity;
        this.flushDue();
        this.arm();
      },
      Math.max(0, due - this.clock.now()),
    );
  }

  private push(h: Held): void {
    const heap = this.heap;
    let i = heap.length;
    heap.push(h);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(h, heap[parent]!)) break;
      heap[i] = heap[parent]!;
      i = parent;
    }
    heap[i] = h;
  }

  private pop(): Held {
    const heap = this.heap;
    const top = heap[0]!;
    const last = heap.pop()!;
    if (heap.length > 0) {
      let i = 0;
      const n = heap.length;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && before(heap[r]!, heap[l]!) ? r : l;
        if (!before(heap[c]!, last)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  }
}
