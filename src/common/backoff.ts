/**
 * Exponential backoff, 1 s doubling to 30 s by default, reset after a success (SPEC §4), with
 * jitter: sources that failed together (one connection cut under many streams) must not retry
 * together, or they hit the API server in synchronised bursts.
 */
export class Backoff {
  private next: number;
  constructor(
    private readonly initialMs = 1000,
    private readonly maxMs = 30_000,
    /** each delay is drawn from [d × (1 − jitter), d × (1 + jitter)] */
    private readonly jitter = 0.2,
    private readonly random: () => number = Math.random,
  ) {
    this.next = initialMs;
  }
  /** the delay to wait now; the following one doubles */
  take(): number {
    const d = this.next;
    this.next = Math.min(this.maxMs, this.next * 2);
    return Math.round(jittered(d, this.jitter, this.random));
  }
  reset(): void {
    this.next = this.initialMs;
  }
}

/** `ms` spread by ±fraction. */
export function jittered(ms: number, fraction: number, random: () => number = Math.random): number {
  return ms * (1 - fraction + 2 * fraction * random());
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
