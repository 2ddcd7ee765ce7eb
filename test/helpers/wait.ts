/** The one way tests wait: poll for a condition (`until`), or let time pass (`sleep`, `every`). */

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls fn every 10 ms until it returns a truthy value, and resolves with that value (robust on
 * a loaded machine, unlike a fixed sleep); rejects after timeoutMs, naming what it waited for.
 */
export async function until<T>(fn: () => T | undefined | null | false, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(10);
  }
}

/** Runs fn every intervalMs until stopped; returns the stopper. */
export function every(intervalMs: number, fn: () => void): () => void {
  const t = setInterval(fn, intervalMs);
  return () => clearInterval(t);
}
