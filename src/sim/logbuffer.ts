// The log of one container instance (one container ID), as the kubelet keeps it: entries with
// a nanosecond timestamp, either stored (writeLines/writeRaw) or generated on demand (a
// generated run stores only its parameters, so memory does not grow with lines served).
import { nowNs, splitNs } from './clock.js';
import { type Generator, type LogEntry, type Out, renderExplicit, renderGenerated, SEQ_WIDTH, TS_MAX } from './logrender.js';

export interface GenerateOptions {
  /** number of lines */
  count: number;
  /** approximate line length in bytes, without the newline (default 100) */
  size?: number;
  /** lines per second; without it every line exists at once and is produced as fast as read */
  ratePerSec?: number;
  /** nanoseconds between the timestamps of consecutive lines without a rate (default 1000) */
  stepNs?: number;
}

export interface GenerateHandle {
  readonly count: number;
  /** seq number of the first generated line */
  readonly firstSeq: number;
  /** stop a rated run early; lines not yet due are never written */
  stop(): void;
  /** resolves when every line has been written (at once without a rate) */
  readonly done: Promise<void>;
}

type Segment =
  | { kind: 'explicit'; start: number; entries: LogEntry[] }
  | { kind: 'generated'; start: number; count: number; gen: Generator; first: number };

export interface RenderOptions {
  timestamps: boolean;
  /** skip entries with a timestamp before this (the kubelet's `!ts.Before(since)`) */
  sinceNs?: bigint;
  maxBytes: number;
  /** render at most this many entries */
  maxLines?: number;
  /** whether the entry at `from` starts a line (default true; see Out.lineStart) */
  lineStart?: boolean;
}

export interface Rendered {
  buf: Buffer;
  /** the index after the last entry looked at (rendered or skipped) */
  next: number;
  lines: number;
  /** whether buf is a view of the scratch buffer passed in */
  usedScratch: boolean;
  /** whether the entry at `next` starts a line */
  lineStart: boolean;
}

const NL = 0x0a;

/** Registers logs with running rate generators and advances them on one shared timer. */
export class GeneratorTicker {
  private readonly active = new Set<LogBuffer>();
  private timer: NodeJS.Timeout | undefined;
  constructor(private readonly intervalMs = 50) {}

  add(log: LogBuffer): void {
    this.active.add(log);
    if (!this.timer) {
      this.timer = setInterval(() => this.tick(), this.intervalMs);
      this.timer.unref();
    }
  }

  private tick(): void {
    for (const log of this.active) {
      if (!log.catchUp()) this.active.delete(log);
    }
    if (this.active.size === 0) this.stop();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

/** "2024-05-01T12:00:00.123456789Z stdout F ": what the CRI adds to each line in the file */
const CRI_PREFIX = 40;

export class LogBuffer {
  private readonly segments: Segment[] = [];
  private count = 0;
  private lastTs = 0n;
  private seq = 0;
  private readonly gens = new Set<Generator>();
  private readonly listeners = new Set<() => void>();
  private isEnded = false;
  /** the kubelet's rotation: the current file's first entry, and its size in CRI-format bytes */
  private fileStart = 0;
  private fileBytes = 0;
  /** how many times the file was rotated */
  rotations = 0;
  /** the kubelet's containerLogMaxSize: past it the file is rotated (Infinity: never) */
  maxFileBytes = Infinity;

  constructor(
    readonly containerId: string,
    private readonly onLines: (n: number) => void,
    private readonly ticker: GeneratorTicker,
    private readonly labelText: string, // "pod=web-1 container=app"
  ) {}

  /** number of entries (lines) in the log now */
  get length(): number {
    return this.count;
  }

  /** true once the instance has terminated: no more lines will come */
  get ended(): boolean {
    return this.isEnded;
  }

  listen(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  /** Append whole lines; a string or Buffer containing newlines makes several lines. */
  writeLines(lines: readonly (string | Buffer)[], timestamp?: bigint): void {
    this.catchUp(false);
    for (const line of lines) {
      const buf = typeof line === 'string' ? Buffer.from(line) : line;
      let from = 0;
      for (;;) {
        const nl = buf.indexOf(NL, from);
        if (nl < 0) {
          this.push(buf.subarray(from), true, timestamp);
          break;
        }
        this.push(buf.subarray(from, nl), true, timestamp);
        from = nl + 1;
        if (from === buf.length) break;
      }
    }
    this.notify();
  }

  /** Append raw bytes: each newline ends a line; a trailing fragment is stored without one. */
  writeRaw(bytes: string | Buffer, timestamp?: bigint): void {
    this.catchUp(false);
    const buf = typeof bytes === 'string' ? Buffer.from(bytes) : bytes;
    let from = 0;
    while (from < buf.length) {
      const nl = buf.indexOf(NL, from);
      if (nl < 0) {
        this.push(buf.subarray(from), false, timestamp);
        break;
      }
      this.push(buf.subarray(from, nl), true, timestamp);
      from = nl + 1;
    }
    this.notify();
  }

  generate(opts: GenerateOptions): GenerateHandle {
    this.catchUp(false);
    const count = Math.max(0, Math.floor(opts.count));
    const size = Math.max(1, Math.floor(opts.size ?? 100));
    const rate = opts.ratePerSec && opts.ratePerSec > 0 ? opts.ratePerSec : undefined;
    const step = rate ? Math.max(1, Math.round(1e9 / rate)) : Math.max(1, Math.floor(opts.stepNs ?? 1000));
    const head = `seq=${'0'.repeat(SEQ_WIDTH)} ${this.labelText} `;
    const template = Buffer.alloc(Math.max(size, head.length), 'x');
    template.write(head, 0, 'latin1');
    const t0 = this.nextTs();
    const [t0Sec, t0Frac] = splitNs(t0);
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const gen: Generator = {
      t0,
      t0Sec,
      t0Frac,
      step,
      seqStart: this.seq,
      template,
      total: count,
      produced: 0,
      rate,
      startMs: performance.now(),
      finished,
    };
    this.seq += count;
    if (rate && count > 0) {
      this.gens.add(gen);
      this.ticker.add(this);
      this.catchUp(true);
    } else {
      this.appendGenerated(gen, count);
      finished();
      this.notify();
    }
    const stop = () => {
      if (this.gens.delete(gen)) gen.finished();
    };
    return { count, firstSeq: gen.seqStart, stop, done };
  }

  /** Advance rated generators to now; returns whether any is still running. */
  catchUp(notify = true): boolean {
    if (this.gens.size === 0) return false;
    const now = performance.now();
    let added = 0;
    for (const gen of this.gens) {
      const due = Math.min(gen.total, Math.floor(((now - gen.startMs) * gen.rate!) / 1000) + 1);
      if (due > gen.produced) {
        added += due - gen.produced;
        this.appendGenerated(gen, due - gen.produced);
      }
      if (gen.produced >= gen.total) {
        this.gens.delete(gen);
        gen.finished();
      }
    }
    if (added > 0 && notify) this.notify();
    return this.gens.size > 0;
  }

  /** The instance terminated: rated generators stop, followers drain and end. */
  finish(): void {
    if (this.isEnded) return;
    this.catchUp(false);
    for (const gen of this.gens) gen.finished();
    this.gens.clear();
    this.isEnded = true;
    this.notify();
  }

  /** First index at or after which fewer than `tail` entries remain, within the current file. */
  tailStart(tail: number): number {
    return Math.max(this.fileStart, this.count - tail);
  }

  /**
   * Where a new read starts: the current file's first entry. What was rotated away is gone for
   * the API (the kubelet reads only the current file), but a follow stream open across the
   * rotation goes on (it keeps its place, as the kubelet's reader follows the new file).
   */
  get currentFileStart(): number {
    return this.fileStart;
  }

  /** The kubelet rotates the file now: a new, empty current file. */
  rotate(): void {
    this.catchUp(false);
    this.fileStart = this.count;
    this.fileBytes = 0;
    this.rotations++;
  }

  /**
   * Before a write: a file already past the limit is rotated, so the write goes to a new one.
   * The kubelet checks sizes now and then (every 10 s), never in the middle of a write: a line
   * that takes the file past the limit is still served from it until the next check.
   */
  private rotateIfFull(): void {
    if (this.fileBytes <= this.maxFileBytes) return;
    this.fileStart = this.count;
    this.fileBytes = 0;
    this.rotations++;
  }

  /**
   * Render entries from `from` into `scratch` (or a new buffer) up to maxBytes. A single entry
   * larger than that gets a buffer of its own (usedScratch false).
   */
  render(from: number, o: RenderOptions, scratch?: Buffer): Rendered {
    const end = o.maxLines === undefined ? this.count : Math.min(this.count, from + o.maxLines);
    let buf = scratch ?? Buffer.allocUnsafe(Math.min(o.maxBytes, 1 << 16));
    const out: Out = { buf, off: 0, limit: Math.min(o.maxBytes, buf.length), lineStart: o.lineStart ?? true };
    let usedScratch = scratch !== undefined;
    let lines = 0;
    let idx = from;
    let si = this.segmentIndex(from);
    while (idx < end && si < this.segments.length) {
      const seg = this.segments[si]!;
      const segEnd = Math.min(end, seg.start + (seg.kind === 'explicit' ? seg.entries.length : seg.count));
      if (idx >= segEnd) {
        si++;
        continue;
      }
      const r =
        seg.kind === 'explicit'
          ? renderExplicit(seg.entries, idx - seg.start, segEnd - seg.start, o.timestamps, o.sinceNs, out)
          : renderGenerated(seg.gen, seg.first + (idx - seg.start), seg.first + (segEnd - seg.start), o.timestamps, o.sinceNs, out);
      idx += r.consumed;
      lines += r.lines;
      if (idx < segEnd && r.consumed === 0) {
        if (out.off > 0) break; // full
        // one entry larger than the room: give it a buffer of its own
        const size =
          seg.kind === 'explicit' ? TS_MAX + seg.entries[idx - seg.start]!.data.length + 1 : TS_MAX + seg.gen.template.length + 1;
        buf = Buffer.allocUnsafe(size);
        out.buf = buf;
        out.limit = size;
        usedScratch = false;
      }
    }
    return { buf: buf.subarray(0, out.off), next: idx, lines, usedScratch, lineStart: out.lineStart };
  }

  /** The whole log as served (for assertions); materializes generated runs. */
  readAll(timestamps = false): Buffer {
    const parts: Buffer[] = [];
    let at = 0;
    let lineStart = true;
    while (at < this.count) {
      const r = this.render(at, { timestamps, maxBytes: 1 << 20, lineStart });
      parts.push(r.buf);
      at = r.next;
      lineStart = r.lineStart;
    }
    return Buffer.concat(parts);
  }

  private nextTs(): bigint {
    const now = nowNs();
    return now > this.lastTs ? now : this.lastTs + 1n;
  }

  private push(data: Buffer, nl: boolean, ts: bigint | undefined): void {
    this.rotateIfFull();
    const t = ts ?? this.nextTs();
    if (t > this.lastTs) this.lastTs = t;
    let last = this.segments[this.segments.length - 1];
    if (!last || last.kind !== 'explicit') {
      last = { kind: 'explicit', start: this.count, entries: [] };
      this.segments.push(last);
    }
    last.entries.push({ ts: t, data, nl });
    this.count++;
    this.onLines(1);
    // the CRI line: timestamp, stream, tag, text
    this.fileBytes += CRI_PREFIX + data.length + 1;
  }

  private appendGenerated(gen: Generator, n: number): void {
    if (n <= 0) return;
    this.rotateIfFull();
    const last = this.segments[this.segments.length - 1];
    if (last && last.kind === 'generated' && last.gen === gen && last.first + last.count === gen.produced) {
      last.count += n;
    } else {
      this.segments.push({ kind: 'generated', start: this.count, count: n, gen, first: gen.produced });
    }
    gen.produced += n;
    this.count += n;
    const lastTs = gen.t0 + BigInt(gen.produced - 1) * BigInt(gen.step);
    if (lastTs > this.lastTs) this.lastTs = lastTs;
    this.onLines(n);
    this.fileBytes += n * (CRI_PREFIX + gen.template.length + 1);
  }

  private segmentIndex(idx: number): number {
    let lo = 0;
    let hi = this.segments.length - 1;
    if (hi < 0) return 0;
    while (lo < hi) {
      const mid = (lo + hi + 1) >>> 1;
      if (this.segments[mid]!.start <= idx) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  private notify(): void {
    for (const fn of this.listeners) fn();
  }
}
