/**
 * The level of a log line, from the formats applications write:
 * - JSON: a top-level `level`, `lvl`, `severity` or `log.level` key, or `{"log":{"level":…}}` as
 *   ECS writes it; names in any case, or pino/bunyan numbers;
 * - klog/glog headers: `E1122 10:00:00.000000 …` (I, W, E, F);
 * - logfmt: `level=warn`, `lvl=eror`, `severity=…` as a key of its own;
 * - plain text: an upper-case `ERROR`, `WARN`, `WARNING`, `INFO`, `DEBUG`, `TRACE`, `FATAL`,
 *   `CRITICAL` or `NOTICE`, or the word in brackets in any case (`[error]`), as the first word
 *   after an optional timestamp.
 *
 * Each detector looks at bytes only and gives up at the first byte that rules its format out.
 * A source's lines are in one format: a LevelReader keeps the detector that last found a level and
 * tries it first, so a source costs one detector a line; only a line that detector finds no level
 * in (a stack trace, a banner) is offered to the others.
 */
import type { LineWriter } from './label.js';
import { levelFromName, levelFromValue, NO_LEVEL } from './levels.js';

/** buf[start, end) → its level, or NO_LEVEL */
type Detector = (buf: Buffer, start: number, end: number) => number;

const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const COLON = 0x3a;
const OPEN_BRACE = 0x7b;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;

// `"level"` and `"log.level"` both end in `level"`
const JSON_KEY_HINTS = [Buffer.from('level"'), Buffer.from('"lvl"'), Buffer.from('"severity"')];

/** A JSON object line: parsed only when it names one of the keys. */
export const jsonLevel: Detector = (buf, start, end) => {
  if (end <= start || buf[start] !== OPEN_BRACE) return NO_LEVEL;
  const line = buf.subarray(start, end);
  if (!JSON_KEY_HINTS.some((k) => line.includes(k))) return NO_LEVEL;
  let obj: unknown;
  try {
    obj = JSON.parse(buf.toString('utf8', start, end));
  } catch {
    return NO_LEVEL;
  }
  if (typeof obj !== 'object' || obj === null) return NO_LEVEL;
  const o = obj as Record<string, unknown>;
  const nested = o.log;
  const value =
    o.level ??
    o.lvl ??
    o.severity ??
    o['log.level'] ??
    (typeof nested === 'object' && nested !== null ? (nested as Record<string, unknown>).level : undefined);
  return levelFromValue(value);
};

const KLOG_LEVELS: Readonly<Record<number, number>> = {
  0x49: levelFromName('info'), // I
  0x57: levelFromName('warn'), // W
  0x45: levelFromName('error'), // E
  0x46: levelFromName('fatal'), // F
};

/** `Lmmdd hh:mm:ss.uuuuuu …`: the letter, four digits, a space, then hh:mm:ss. */
export const klogLevel: Detector = (buf, start, end) => {
  if (end - start < 14) return NO_LEVEL;
  const level = KLOG_LEVELS[buf[start] as number];
  if (level === undefined) return NO_LEVEL;
  const at = (k: number): number => buf[start + k] as number;
  for (const k of [1, 2, 3, 4, 6, 7, 9, 10, 12, 13]) if (!isDigit(at(k))) return NO_LEVEL;
  return at(5) === SPACE && at(8) === COLON && at(11) === COLON ? level : NO_LEVEL;
};

const LOGFMT_KEYS = [Buffer.from('level='), Buffer.from('lvl='), Buffer.from('severity=')];

/** `level=VALUE` (or lvl=, severity=) where the key starts the line or follows a space. */
export const logfmtLevel: Detector = (buf, start, end) => {
  for (const key of LOGFMT_KEYS) {
    let at = buf.indexOf(key, start);
    while (at !== -1 && at + key.length <= end) {
      if (at === start || buf[at - 1] === SPACE || buf[at - 1] === TAB) return logfmtValueLevel(buf, at + key.length, end);
      at = buf.indexOf(key, at + 1);
    }
  }
  return NO_LEVEL;
};

/** The level named at buf[from]: `warn`, `"warn"`, slog's `WARN+2`. */
function logfmtValueLevel(buf: Buffer, from: number, end: number): number {
  let i = from;
  if (i < end && buf[i] === QUOTE) i++;
  let j = i;
  // names are at most 11 letters (information); slog writes WARN+2, DEBUG-4 for levels between
  while (j < end && j - i <= 11) {
    const b = buf[j] as number;
    if (b === SPACE || b === QUOTE || b === TAB || b === 0x2b || b === 0x2d) break;
    j++;
  }
  return j === i ? NO_LEVEL : levelFromName(buf.toString('latin1', i, j));
}

/** The level words plain text starts with, in upper case (in brackets, any case will do). */
const PLAIN_WORDS = new Set(['TRACE', 'DEBUG', 'INFO', 'NOTICE', 'WARN', 'WARNING', 'ERROR', 'FATAL', 'CRITICAL']);
const MAX_PREFIX = 48;

/**
 * Where a leading timestamp ends (start when there is none): `2026-11-30T10:00:00.123Z`,
 * `2026/11/30 10:00:00`, `10:00:00,123`, or one in brackets (`[2026-11-30 10:00:00,123]`),
 * with the spaces after it.
 */
function afterTimestamp(buf: Buffer, start: number, end: number): number {
  const limit = Math.min(end, start + MAX_PREFIX);
  let i = start;
  if (limit - i < 2) return start;
  if (buf[i] === OPEN_BRACKET && isDigit(buf[i + 1])) {
    const close = buf.indexOf(CLOSE_BRACKET, i);
    if (close === -1 || close >= limit) return start;
    i = close + 1;
  } else if (isDigit(buf[i])) {
    while (i < limit) {
      const b = buf[i] as number;
      // digits and - . / : , T Z +
      if (isDigit(b) || b === 0x2d || b === 0x2e || b === 0x2f || b === COLON || b === 0x2c || b === 0x54 || b === 0x5a || b === 0x2b) {
        i++;
      } else if (b === SPACE && i + 1 < limit && isDigit(buf[i + 1])) {
        i++; // the space between a date and a time
      } else break;
    }
  } else return start;
  while (i < limit && (buf[i] === SPACE || buf[i] === TAB)) i++;
  return i;
}

const isLetter = (b: number): boolean => (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7a;

/** `ERROR …`, `WARN: …`, `[warn] …`, `2026-11-30 10:00:00 INFO …` */
export const plainLevel: Detector = (buf, start, end) => {
  let i = afterTimestamp(buf, start, end);
  const bracketed = i < end && buf[i] === OPEN_BRACKET;
  if (bracketed) i++;
  let j = i;
  while (j < end && j - i <= 8 && isLetter(buf[j] as number)) j++;
  if (j - i < 4 || j - i > 8) return NO_LEVEL;
  const next = j < end ? (buf[j] as number) : SPACE;
  const word = buf.toString('latin1', i, j);
  if (bracketed) return next === CLOSE_BRACKET ? levelFromName(word) : NO_LEVEL;
  if (next !== SPACE && next !== TAB && next !== COLON) return NO_LEVEL;
  return PLAIN_WORDS.has(word) ? levelFromName(word) : NO_LEVEL;
};

/** In the order a line is offered to them: the cheapest and least ambiguous first. */
const DETECTORS: readonly Detector[] = [jsonLevel, klogLevel, logfmtLevel, plainLevel];

/**
 * One per source. levelOf() tries the detector that found the source's last level first, and
 * the others only when it finds none. A writer that runs after the --level filter is told the
 * level the filter found (writeKnowing()), so no line is read twice.
 */
export class LevelReader {
  #current: Detector | undefined;
  /** the level of the line being written, set by the --level filter around its inner writer */
  #known = -1;

  levelOf(buf: Buffer, start: number, end: number): number {
    if (this.#known >= 0) return this.#known;
    const current = this.#current;
    if (current !== undefined) {
      const level = current(buf, start, end);
      if (level !== NO_LEVEL) return level;
    }
    for (const detector of DETECTORS) {
      if (detector === current) continue;
      const level = detector(buf, start, end);
      if (level !== NO_LEVEL) {
        this.#current = detector;
        return level;
      }
    }
    return NO_LEVEL;
  }

  /** write(…) with levelOf() answering `level` for the line it writes (no closure made per line). */
  writeKnowing(level: number, write: LineWriter, buf: Buffer, lineStart: number, tsEnd: number, msgStart: number, end: number): void {
    this.#known = level;
    try {
      write(buf, lineStart, tsEnd, msgStart, end);
    } finally {
      this.#known = -1;
    }
  }
}
