/**
 * Where a source is, so that a reconnect skips exactly what was already shown. The position is
 * the last shown line's timestamp and how many shown lines carry that very timestamp: lines
 * within one timestamp are told apart by count, not by text (identical lines are common).
 */
import { compareTimestamps } from '../output/timestamps.js';

const MAX_TS = 64;

export class ResumePoint {
  private readonly last = Buffer.alloc(MAX_TS);
  private lastLen = 0;
  /**
   * The newest position, by reference into the buffer it was shown from: a chunk holds hundreds
   * of lines, and copying each one's timestamp only for the next line to replace it was a third
   * of the line path's cost. keep() copies it into `last` before that buffer may change.
   */
  private pending: Buffer | null = null;
  private pendingStart = 0;
  private pendingLen = 0;
  private sameCount = 0;
  private resuming = false;
  private skippedSame = 0;
  private lastText = '';
  /** during a resume: a line at or before the position came back (the file still reaches it) */
  private reachedBack = false;

  constructor(
    /**
     * A resume's first new line is later than the position and nothing at or before it came
     * back: the log no longer holds the last line shown (the kubelet rotated its file), so lines
     * between `from` and `to` (timestamps as served) may have been rotated away unseen.
     */
    private readonly onGap: (from: string, to: string) => void = () => undefined,
  ) {}

  /**
   * A line with timestamp buf[start,end) was written out. Hot path: a compare, no copy. The bytes
   * are read again later: the caller calls keep() before it changes or reuses them.
   */
  shown(buf: Buffer, start: number, end: number): void {
    const len = end - start;
    // the position's bytes: still in the buffer they were shown from, or kept
    const pending = this.pending;
    const at = pending ?? this.last;
    const atStart = pending === null ? 0 : this.pendingStart;
    if (len === (pending === null ? this.lastLen : this.pendingLen)) {
      // from the end: consecutive timestamps differ in their last digits, so this stops at once
      let i = len - 1;
      while (i >= 0 && buf[start + i] === at[atStart + i]) i--;
      if (i < 0) {
        this.sameCount++;
        return;
      }
    }
    if (len > MAX_TS) return; // not a timestamp; cannot be a resume position
    this.pending = buf;
    this.pendingStart = start;
    this.pendingLen = len;
    this.sameCount = 1;
  }

  /** Copies the position out of the buffer it was shown from (once per chunk, not per line). */
  keep(): void {
    const pending = this.pending;
    if (pending === null) return;
    pending.copy(this.last, 0, this.pendingStart, this.pendingStart + this.pendingLen);
    this.lastLen = this.pendingLen;
    this.pending = null;
    this.lastText = '';
  }

  get hasPosition(): boolean {
    return this.pending !== null || this.lastLen > 0;
  }

  /** the sinceTime to ask for: the last shown timestamp (inclusive on the server) */
  get sinceTime(): string {
    this.keep();
    if (this.lastText === '') this.lastText = this.last.toString('latin1', 0, this.lastLen);
    return this.lastText;
  }

  /** The next lines come from a reconnect at sinceTime: skip until past the position. */
  beginResume(): void {
    this.keep();
    this.resuming = this.hasPosition;
    this.skippedSame = 0;
    this.reachedBack = false;
  }

  /** During a resume: was this line (timestamp buf[start,end)) already shown? */
  alreadyShown(buf: Buffer, start: number, end: number): boolean {
    // no keep() needed: beginResume() kept the position, and nothing is shown while resuming
    if (!this.resuming) return false;
    const len = end - start;
    if (len === this.lastLen && buf.compare(this.last, 0, len, start, end) === 0) {
      this.reachedBack = true;
      if (this.skippedSame < this.sameCount) {
        this.skippedSame++;
        return true;
      }
      this.resuming = false;
      return false;
    }
    const text = buf.toString('latin1', start, end);
    const order = compareTimestamps(text, this.sinceTime);
    if (order < 0) {
      this.reachedBack = true;
      return true;
    }
    this.resuming = false;
    // The API server asks from at or before the last line shown, and a log that still holds
    // that line serves it first: a first line past it means the start of the file is past it.
    if (!this.reachedBack) this.onGap(this.sinceTime, text);
    return false;
  }
}
