import { UsageError } from '../common/errors.js';

const UNIT_MS: Record<string, number> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3,
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
};

/** Go's time.Duration is an int64 of nanoseconds: about 292 years, the most kubectl accepts. */
const MAX_MS = 9_223_372_036_854.775;

const PART = /(\d+(?:\.\d+)?)(ns|us|µs|ms|s|m|h|d)/y;

/**
 * Parses a Go-style duration (`30s`, `1h30m`, `1.5h`) plus `d` for days, as stern accepts,
 * into milliseconds. A bare `0` is allowed, as in Go.
 */
export function parseDuration(text: string, flag: string): number {
  if (text === '0') return 0;
  let ms = 0;
  let pos = 0;
  PART.lastIndex = 0;
  while (pos < text.length) {
    PART.lastIndex = pos;
    const m = PART.exec(text);
    if (!m) break;
    ms += Number(m[1]) * UNIT_MS[m[2]!]!;
    pos = PART.lastIndex;
  }
  if (pos === 0 || pos !== text.length) {
    throw new UsageError(`invalid duration "${text}" for ${flag}: expected a number and a unit, like 30s, 15m, 1h30m or 2d`);
  }
  if (ms > MAX_MS) {
    // the API server would refuse it (400) on every request: say so now, as kubectl does
    throw new UsageError(`invalid duration "${text}" for ${flag}: longer than the most allowed (2562047h)`);
  }
  return ms;
}
