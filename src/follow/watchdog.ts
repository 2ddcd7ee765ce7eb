/**
 * Looks at every running tail once a second and unsticks the ones that break the rule (see
 * tail-guard.ts). With --verbose it says each time it had to.
 */
export interface Guarded {
  readonly key: string;
  /** a reason when stuck (the step in progress is then aborted) */
  checkHealth(now: number): string | undefined;
}

const WATCHDOG_INTERVAL_MS = 1000;

export class Watchdog {
  private readonly watched = new Set<Guarded>();
  private timer: NodeJS.Timeout | undefined;
  /** how many times a tail had to be unstuck */
  rescues = 0;

  constructor(private readonly verbose: (message: string) => void) {}

  add(tail: Guarded): void {
    this.watched.add(tail);
    if (this.timer === undefined) {
      this.timer = setInterval(() => this.look(), WATCHDOG_INTERVAL_MS);
      this.timer.unref();
    }
  }

  remove(tail: Guarded): void {
    this.watched.delete(tail);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    this.watched.clear();
  }

  look(now = Date.now()): void {
    for (const tail of this.watched) {
      const reason = tail.checkHealth(now);
      if (reason === undefined) continue;
      this.rescues++;
      this.verbose(`watchdog: ${tail.key}: ${reason}; reopening`);
    }
  }
}
