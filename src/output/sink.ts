/**
 * The single writer to stdout. Every line of every source passes through here, so
 * this is where whole-line output, batching, backpressure and EPIPE are decided.
 */

export interface SinkOptions {
  /** size of one batch buffer; default 64 KiB */
  batchBytes?: number;
  /** output bytes buffered (in the stream plus the open batch) past which producers pause; default 1 MiB */
  highWaterMark?: number;
  /**
   * The output is done with a chunk once its write callback has run (process.stdout: a pipe, a
   * file, a terminal), so a written batch may be filled again. Not so for a PassThrough or a test
   * double that keeps what it was given: for those, every batch is a new buffer.
   */
  reuseBatches?: boolean;
}

/** What a producer asks of where its lines go: whether to pause, and when to go on. */
export type Backpressure = Pick<Sink, 'saturated' | 'whenDrained'>;

/** The output stream: what `process.stdout` provides and what the tests fake. */
export type SinkOutput = NodeJS.WritableStream & { writableLength: number };

const NL = 0x0a;
/**
 * Node 20's Buffer#copy reads the source's `.buffer` (a call into C++) and makes a view of it for
 * every copy: 9 % of the process reading one pod, in a profile. From Node 22 on it is one fast
 * native call. On Node 20 the sink makes the view itself, from the buffer read once per chunk
 * (so the last chunk copied from stays referenced until the next one).
 */
const COPY_THROUGH_VIEW = Number(process.versions.node.split('.')[0]) < 22;
/**
 * Written batches kept for reuse, at most: a fresh 64 KiB buffer per batch left hundreds of them a
 * second to the garbage collector (and to RSS until it ran).
 */
const SPARE_BATCHES = 4;
/**
 * What one woken producer is assumed to write before the sink sees it: a paused HTTP/2 stream
 * holds about this much read-ahead (its readable buffer), and hands it over as soon as it resumes.
 */
const WAKE_CHUNK_BYTES = 16 * 1024;

/**
 * True for the errors that mean the reader went away (`| head`, a closed pager):
 * a normal end for a tailer, to be met with exit 0 and no message.
 */
export function isReaderGone(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'EPIPE' || code === 'ERR_STREAM_DESTROYED' || code === 'ECONNRESET';
}

/**
 * The only writer to stdout. Lines are copied whole into a batch buffer, so lines of different
 * sources never interleave; the batch is written when it reaches batchBytes or on the next
 * setImmediate tick, whichever first. Backpressure: once the output's buffered bytes exceed
 * highWaterMark, `saturated` is true and producers pause until whenDrained callbacks run.
 */
export class Sink {
  /** counters for the benchmark and tests */
  readonly stats = { lines: 0, bytes: 0, writes: 0 };

  readonly #out: SinkOutput;
  readonly #batchBytes: number;
  readonly #highWaterMark: number;
  #batch: Buffer;
  #pos = 0;
  #flushScheduled = false;
  /** writes handed to the output whose callback has not run yet */
  #inFlight = 0;
  #closedBy: Error | null = null;
  #waiters: Array<() => void> = [];
  #drainAllWaiters: Array<() => void> = [];
  #closedListeners: Array<(err: Error) => void> = [];
  /** with reuseBatches: each write's whole batch (null for a buffer of its own), oldest first */
  readonly #written: Array<Buffer | null> | undefined;
  readonly #spare: Buffer[] = [];
  /** COPY_THROUGH_VIEW: the last line buffer copied from, and its memory */
  #viewSource: Buffer | null = null;
  #viewMemory: ArrayBufferLike = new ArrayBuffer(0);
  #viewOffset = 0;
  readonly #afterWrite: (err?: Error | null) => void;
  readonly #flushOnTick: () => void;
  #wakeScheduled = false;
  readonly #wakeOnTick = (): void => {
    this.#wakeScheduled = false;
    this.#wakeUp();
  };

  constructor(out: SinkOutput, options: SinkOptions = {}) {
    this.#out = out;
    this.#batchBytes = positive(options.batchBytes ?? 64 * 1024, 'batchBytes');
    this.#highWaterMark = positive(options.highWaterMark ?? 1024 * 1024, 'highWaterMark');
    this.#batch = Buffer.allocUnsafe(this.#batchBytes);
    this.#written = options.reuseBatches === true ? [] : undefined;
    // Bound once: one closure per sink, not one per write.
    this.#afterWrite = (err) => {
      this.#inFlight--;
      // a stream calls its writes back in order, so this is the oldest write's batch
      const done = this.#written?.shift();
      if (done != null && this.#spare.length < SPARE_BATCHES) this.#spare.push(done);
      if (err) this.#close(err);
      this.#wakeUp();
    };
    this.#flushOnTick = () => {
      this.#flushScheduled = false;
      this.flush();
    };
    out.on('error', (err: Error) => this.#close(err));
    // 'drain' only fires after a write() returned false; the write callbacks cover
    // outputs whose own high-water mark is above ours.
    out.on('drain', () => this.#wakeUp());
  }

  /**
   * Copy prefix, then line[start,end), then suffix, then '\n' into the batch. prefix/suffix may be empty buffers.
   * A line larger than the batch goes out as its own write, after the current batch, never split by another line.
   */
  writeLine(prefix: Buffer, line: Buffer, start: number, end: number, suffix: Buffer): void {
    if (this.#closedBy !== null) return;
    const size = prefix.length + (end - start) + suffix.length + 1;
    this.stats.lines++;
    this.stats.bytes += size;
    if (this.#pos + size > this.#batchBytes) {
      this.flush();
      if (size > this.#batchBytes) {
        // The line bytes are only lent to us (a splitter's carry, a stream chunk),
        // so even an oversized line is copied before the output may hold on to it.
        const own = Buffer.allocUnsafe(size);
        let p = prefix.copy(own, 0);
        p += line.copy(own, p, start, end);
        p += suffix.copy(own, p);
        own[p] = NL;
        this.#write(own, null);
        return;
      }
    }
    const batch = this.#batch;
    let pos = this.#pos;
    // Prefixes are a few dozen bytes: a plain loop beats the native copy's call overhead.
    const plen = prefix.length;
    if (plen <= 64) {
      for (let i = 0; i < plen; i++) batch[pos + i] = prefix[i]!;
      pos += plen;
    } else {
      pos += prefix.copy(batch, pos);
    }
    if (suffix.length === 0 && line[end] === NL) {
      // the line's own newline follows it in a chunk: one copy for both
      pos += this.#copy(line, batch, pos, start, end + 1);
    } else {
      if (end > start) pos += this.#copy(line, batch, pos, start, end);
      if (suffix.length !== 0) pos += suffix.copy(batch, pos);
      batch[pos++] = NL;
    }
    this.#pos = pos;
    this.#afterAppend();
  }

  /** Write a whole pre-built line (already ending in '\n'), e.g. JSON output. */
  writeRaw(bytes: Buffer): void {
    if (this.#closedBy !== null) return;
    const size = bytes.length;
    if (size === 0) return;
    this.stats.lines++;
    this.stats.bytes += size;
    if (this.#pos + size > this.#batchBytes) {
      this.flush();
      if (size > this.#batchBytes) {
        this.#write(Buffer.from(bytes), null);
        return;
      }
    }
    this.#pos += bytes.copy(this.#batch, this.#pos);
    this.#afterAppend();
  }

  get saturated(): boolean {
    // Once closed, writes are dropped: nobody should pause for an output that is gone.
    if (this.#closedBy !== null) return false;
    // The open batch counts too: producers in one tick would otherwise all see the
    // output as empty until the batch is flushed on the next tick.
    return this.#out.writableLength + this.#pos > this.#highWaterMark;
  }

  /** Run cb once the output has drained below the high-water mark (on a microtask if not saturated). */
  whenDrained(cb: () => void): void {
    if (this.#closedBy !== null || !this.saturated) {
      queueMicrotask(cb);
      return;
    }
    this.#waiters.push(cb);
  }

  /** Write the pending batch now. */
  flush(): void {
    if (this.#pos === 0) return;
    const chunk = this.#batch.subarray(0, this.#pos);
    // A Writable keeps a reference to every chunk until it is written (and a PassThrough or a
    // test double for longer), so a handed-over batch is filled again only once written, and
    // only with reuseBatches.
    const full = this.#batch;
    this.#batch = this.#spare.pop() ?? Buffer.allocUnsafe(this.#batchBytes);
    this.#pos = 0;
    if (this.#closedBy !== null) return;
    this.#write(chunk, full);
  }

  /** Flush and resolve when the output has accepted every byte (or has gone away). */
  drainAll(): Promise<void> {
    this.flush();
    if (this.#inFlight === 0 || this.#closedBy !== null) return Promise.resolve();
    return new Promise((resolve) => this.#drainAllWaiters.push(resolve));
  }

  /**
   * The output failed: the reader went away (EPIPE / ERR_STREAM_DESTROYED, see isReaderGone) or,
   * rarely, another write error. cb is called once; after that writes are dropped silently.
   */
  onClosed(cb: (err: Error) => void): void {
    const err = this.#closedBy;
    if (err !== null) queueMicrotask(() => cb(err));
    else this.#closedListeners.push(cb);
  }

  /** the error that closed the output, or null while it is open */
  get closedBy(): Error | null {
    return this.#closedBy;
  }

  #afterAppend(): void {
    if (this.#pos === this.#batchBytes) this.flush();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(this.#flushOnTick);
    }
  }

  /** Copies line[start, end) into batch at pos (which has the room); returns the bytes copied. */
  #copy(line: Buffer, batch: Buffer, pos: number, start: number, end: number): number {
    if (!COPY_THROUGH_VIEW) return line.copy(batch, pos, start, end);
    if (line !== this.#viewSource) {
      this.#viewSource = line;
      this.#viewMemory = line.buffer;
      this.#viewOffset = line.byteOffset;
    }
    batch.set(new Uint8Array(this.#viewMemory, this.#viewOffset + start, end - start), pos);
    return end - start;
  }

  /** `batch`: the whole batch `chunk` is the start of, to be reused once written; null if none */
  #write(chunk: Buffer, batch: Buffer | null): void {
    this.stats.writes++;
    this.#inFlight++;
    this.#written?.push(batch);
    try {
      this.#out.write(chunk, this.#afterWrite);
    } catch (err) {
      // Some outputs throw synchronously instead of calling back (a SyncWriteStream on a closed fd).
      this.#written?.pop();
      this.#inFlight--;
      this.#close(err instanceof Error ? err : new Error(String(err)));
    }
  }

  #close(err: Error): void {
    if (this.#closedBy !== null) return;
    this.#closedBy = err;
    this.#pos = 0;
    const listeners = this.#closedListeners;
    this.#closedListeners = [];
    for (const cb of listeners) cb(err);
    // Paused producers and pending drainAll() must not wait for an output that is gone.
    this.#wakeUp();
  }

  /**
   * Wakes paused producers, oldest first, only as many as the room below the high-water mark can
   * take: woken all at once, 2,000 paused streams would each hand over their read-ahead in one
   * tick, and a new source's first line would queue behind tens of megabytes. The rest are woken
   * as the output drains, or on the next tick if nothing is left to drain.
   */
  #wakeUp(): void {
    const closed = this.#closedBy !== null;
    if (this.#waiters.length !== 0 && (closed || !this.saturated)) {
      const room = this.#highWaterMark - this.#out.writableLength - this.#pos;
      const count = closed ? this.#waiters.length : Math.max(1, Math.ceil(room / WAKE_CHUNK_BYTES));
      const waiters = this.#waiters.splice(0, count);
      for (const cb of waiters) cb();
      if (this.#waiters.length !== 0 && !this.#wakeScheduled) {
        this.#wakeScheduled = true;
        setImmediate(this.#wakeOnTick);
      }
    }
    if (this.#drainAllWaiters.length !== 0 && (closed || this.#inFlight === 0)) {
      const waiters = this.#drainAllWaiters;
      this.#drainAllWaiters = [];
      for (const resolve of waiters) resolve();
    }
  }
}

function positive(n: number, name: string): number {
  if (!Number.isInteger(n) || n <= 0) {
    throw new RangeError(`Sink option ${name} must be a positive integer, got ${String(n)}`);
  }
  return n;
}
