/**
 * A test-only fault, off unless its variable is set: KTAIL_TEST_SWALLOW_ENDS=N makes the first
 * N follow streams never signal their end ('end', 'error' and 'close' are swallowed), which is
 * what a stream looks like when the next unknown cause of a silent stall strikes. The fault
 * suite uses it to prove that the watchdog reopens such a stream within seconds.
 */
import type { Readable } from 'node:stream';

let swallowLeft = Number(/^\d+$/.test(process.env.KTAIL_TEST_SWALLOW_ENDS ?? '') ? process.env.KTAIL_TEST_SWALLOW_ENDS : 0);

export function maybeSwallowEnds(body: Readable, follow: boolean): void {
  if (!follow || swallowLeft <= 0) return;
  swallowLeft--;
  const emit = body.emit.bind(body) as (event: string | symbol, ...args: unknown[]) => boolean;
  body.emit = ((event: string | symbol, ...args: unknown[]): boolean =>
    event === 'end' || event === 'close' || event === 'error' ? false : emit(event, ...args)) as Readable['emit'];
}
