/**
 * `--level LEVEL` and `--level-strict`: a source's lines at or above LEVEL are kept. Wraps the
 * source's writer, whatever the format, so it applies alike to every output, templates and
 * --stdin; it runs before -i/-e (which the inner writer applies), on the message as the
 * application wrote it.
 *
 * A line with no level is kept, or dropped under --level-strict — except a continuation line,
 * which goes with the line before it: an indented line (a stack frame's `    at …`, `\tat …`,
 * `  File "…"`), or one starting `Caused by:` or `Traceback (`. So an error's stack trace stays
 * whole under --level-strict, and a dropped debug line's trace does not stay behind without it.
 */
import type { LineWriter } from './label.js';
import type { LevelReader } from './level-detect.js';
import { NO_LEVEL } from './levels.js';

export interface LevelFilterSettings {
  /** the lowest level kept (levels.ts's scale) */
  readonly threshold: number;
  /** --level-strict: lines with no level are dropped */
  readonly strict: boolean;
}

const SPACE = 0x20;
const TAB = 0x09;
const CONTINUATION_STARTS = [Buffer.from('Caused by:'), Buffer.from('Traceback (')];

/** An indented line, or a `Caused by:` / `Traceback (` line: part of the record before it. */
export function isContinuation(buf: Buffer, start: number, end: number): boolean {
  if (start >= end) return false;
  const first = buf[start];
  if (first === SPACE || first === TAB) return true;
  for (const s of CONTINUATION_STARTS) {
    // the first byte rules out nearly every line before a compare (a native call) is made
    if (first === s[0] && end - start >= s.length && buf.compare(s, 0, s.length, start, start + s.length) === 0) return true;
  }
  return false;
}

export function filterByLevel(write: LineWriter, reader: LevelReader, settings: LevelFilterSettings): LineWriter {
  const { threshold, strict } = settings;
  /** what became of this source's previous line; undefined before its first */
  let previousKept: boolean | undefined;
  return (buf, lineStart, tsEnd, msgStart, end) => {
    const level = reader.levelOf(buf, msgStart, end);
    let keep: boolean;
    if (level !== NO_LEVEL) keep = level >= threshold;
    else if (previousKept !== undefined && isContinuation(buf, msgStart, end)) keep = previousKept;
    else keep = !strict;
    previousKept = keep;
    if (keep) reader.writeKnowing(level, write, buf, lineStart, tsEnd, msgStart, end);
  };
}
