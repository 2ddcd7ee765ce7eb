/** Exponential backoff, 1 s doubling to 30 s by default, reset after a success (SPEC §4). */
export class Backoff {
  private next: number;
  constructor(
    private readonly initialMs = 1000,
    private readonly maxMs = 30_000,
  ) {
    this.next = initialMs;
  }
  /** the delay to wait now; the following one doubles */
  take(): number {
    const d = this.next;
    this.next = Math.min(this.maxMs, this.next * 2);
    return d;
  }
  reset(): void {
    this.next = this.initialMs;
  }
}

/** Resolves after ms, or at once when the signal aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done(): void {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
