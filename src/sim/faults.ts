// Open streams (log follows, watches) and the faults a test can inflict on them.
import type { CutOptions, StallEnd, StreamFilter } from './types.js';

export interface OpenStream {
  readonly kind: 'log' | 'watch';
  readonly namespace: string | undefined;
  readonly pod: string | undefined;
  readonly container: string | undefined;
  /** break it abruptly (see CutOptions) */
  cut(opts: CutOptions): void;
  /** end the response cleanly */
  end(): void;
  /** send nothing for `ms`, then do `then` */
  stall(ms: number, then: StallEnd): void;
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
