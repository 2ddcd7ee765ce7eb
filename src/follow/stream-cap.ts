/**
 * --max-log-requests as a soft cap: at most that many log streams open, the others wait their
 * turn (stern would exit). When streams have been waiting for half a second a warning says how
 * many; it is said again only when that number changes.
 */
import pLimit, { type LimitFunction } from 'p-limit';

export function waitingText(waiting: number, max: number): string {
  return `${waiting} log stream${waiting === 1 ? ' is' : 's are'} waiting: ${max} are open, the most --max-log-requests allows; raise it to follow them all`;
}

export class StreamCap {
  private readonly limit: LimitFunction;
  /** the number of waiting streams last warned about */
  private warned = -1;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    readonly max: number,
    private readonly warn: (text: string) => void,
    private readonly warnAfterMs = 500,
  ) {
    this.limit = pLimit(max);
  }

  /**
   * Runs `stream` once fewer than `max` others run. `stream` must resolve when the stream
   * ends, not when it opens, or the cap would count nothing.
   */
  run(stream: () => Promise<void>): Promise<void> {
    const done = this.limit(stream);
    if (this.limit.pendingCount > 0) this.warnSoon();
    return done;
  }

  /** streams waiting for their turn */
  get waiting(): number {
    return this.limit.pendingCount;
  }

  /** streams running */
  get open(): number {
    return this.limit.activeCount;
  }

  /** At the end of the run: the waiting streams never start (their promises never settle). */
  clear(): void {
    this.limit.clearQueue();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private warnSoon(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      const waiting = this.limit.pendingCount;
      if (waiting > 0 && waiting !== this.warned) {
        this.warned = waiting;
        this.warn(waitingText(waiting, this.max));
      }
    }, this.warnAfterMs);
    this.timer.unref();
  }
}
