/** What a bench run delivered, checked against what the server sent it and what was expected. */
import type { Measured } from './measure.js';

export interface Delivery {
  readonly run: Measured;
  /** lines and bytes the program actually delivered (printed, or counted by the limit reader) */
  readonly lines: number;
  readonly bytes: number;
}

/** The limit reader's own count, from its last stderr line: `limit-reader: BYTES bytes LINES lines`. */
export function limitCounts(stderr: string): { lines: number; bytes: number } {
  const m = /limit-reader: (\d+) bytes (\d+) lines/.exec(stderr);
  return m ? { bytes: Number(m[1]), lines: Number(m[2]) } : { bytes: NaN, lines: NaN };
}

/**
 * Checks one run and adds a reason to `failures` for each way it cannot be trusted: a non-zero
 * exit, fewer (or more) lines than expected, a server that did not send what was expected. The
 * limit reader's bytes must equal the server's: it delivers exactly what it read.
 */
export function checkDelivery(
  who: string,
  run: Measured,
  delivered: { lines: number; bytes: number },
  expectedLines: number,
  server: { lines: number; bytes: number },
  failures: string[],
): Delivery {
  if (run.exitCode !== 0)
    failures.push(`${who}: exit code ${String(run.exitCode)}${run.stderr ? ` (${run.stderr.trim().split('\n')[0]})` : ''}`);
  if (server.lines !== expectedLines) failures.push(`${who}: the server sent ${server.lines} lines, ${expectedLines} expected`);
  if (delivered.lines !== expectedLines) failures.push(`${who}: ${delivered.lines} lines delivered, ${expectedLines} expected`);
  if (who.startsWith('limit') && delivered.bytes !== server.bytes)
    failures.push(`${who}: read ${delivered.bytes} bytes, the server sent ${server.bytes}`);
  return { run, lines: delivered.lines, bytes: delivered.bytes };
}
