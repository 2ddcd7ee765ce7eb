// Open streams (log follows, watches) and the faults a test can inflict on them.
import { cutResponse, type Res, startStream } from './http.js';
import type { LogThrottle } from './throttle.js';
import type { CutOptions, StallEnd, StreamFilter } from './types.js';

/**
 * A streaming response that a test can break: the one base of log follows and watches, so a cut,
 * a clean end and a stall mean the same on both. A subclass says how to send what a stall held
 * back (`resume`) and what to release when the stream closes (`onClose`), and checks `closed`
 * and `stalled` before it writes.
 */
export abstract class OpenStream {
  abstract readonly kind: 'log' | 'watch';
  abstract readonly namespace: string | undefined;
  abstract readonly pod: string | undefined;
  abstract readonly container: string | undefined;
  /** closed: by a fault, by its own end, or by the peer; nothing is written after */
  protected closed = false;
  /** held back by a stall: write nothing until it ends */
  protected stalled = false;
  private stallTimer: NodeJS.Timeout | undefined;

  protected constructor(
    protected readonly res: Res,
    private readonly registry: StreamRegistry,
  ) {}

  /** Register it for faults, close it when the peer goes away, send the 200 headers. */
  protected open(contentType: string): void {
    this.registry.add(this);
    this.res.on('close', () => this.close());
    startStream(this.res, contentType);
  }

  /** Break it abruptly (see CutOptions). */
  cut(opts: CutOptions): void {
    if (this.closed) return;
    this.close();
    cutResponse(this.res, opts.connection);
  }

  /** End the response cleanly. */
  end(): void {
    if (this.closed) return;
    this.close();
    this.res.end();
  }

  /** Send nothing for `ms`, then do `then` ('hang': for ever). */
  stall(ms: number, then: StallEnd): void {
    if (this.closed) return;
    this.stalled = true;
    clearTimeout(this.stallTimer);
    if (then === 'hang') return;
    this.stallTimer = setTimeout(() => {
      this.stalled = false;
      if (then === 'cut') this.cut({});
      else if (then === 'end') this.end();
      else this.resume();
    }, ms);
  }

  /** A stall ended with 'resume': send what it held back. */
  protected abstract resume(): void;

  /** Once, however it closes: no more timers, listeners or registration. */
  protected close(): void {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.stallTimer);
    this.registry.remove(this);
    this.onClose();
  }

  protected abstract onClose(): void;
}

function matches(s: OpenStream, f: StreamFilter | undefined): boolean {
  if (!f) return true;
  if (f.namespace !== undefined && s.namespace !== f.namespace) return false;
  if (f.pod !== undefined && s.pod !== f.pod) return false;
  if (f.container !== undefined && s.container !== f.container) return false;
  return true;
}

export class StreamRegistry {
  private readonly open = new Set<OpenStream>();
  /** how many of the next watch requests get 410 Expired */
  expireNext = 0;
  /** log streams are served in random-sized pieces at a bounded rate (undefined: as fast as read) */
  logThrottle: LogThrottle | undefined;

  add(s: OpenStream): void {
    this.open.add(s);
  }

  remove(s: OpenStream): void {
    this.open.delete(s);
  }

  select(kind: 'log' | 'watch', f?: StreamFilter): OpenStream[] {
    return [...this.open].filter((s) => s.kind === kind && matches(s, f));
  }

  all(): OpenStream[] {
    return [...this.open];
  }

  cut(kind: 'log' | 'watch', f: StreamFilter | undefined, opts: CutOptions = {}): number {
    const sel = this.select(kind, f);
    for (const s of sel) s.cut(opts);
    return sel.length;
  }

  end(kind: 'log' | 'watch', f?: StreamFilter): number {
    const sel = this.select(kind, f);
    for (const s of sel) s.end();
    return sel.length;
  }

  stall(kind: 'log' | 'watch', f: StreamFilter | undefined, ms: number, then: StallEnd): number {
    const sel = this.select(kind, f);
    for (const s of sel) s.stall(ms, then);
    return sel.length;
  }
}
