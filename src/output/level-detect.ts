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
import { ALL_LEVEL_WORDS, LevelWords, levelFromName, levelFromNumber, NO_LEVEL } from './levels.js';

/** buf[start, end) → its level, or NO_LEVEL */
type Detector = (buf: Buffer, start: number, end: number) => number;

const SPACE = 0x20;
const TAB = 0x09;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const EQUALS = 0x3d;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;

const isDigit = (b: number | undefined): boolean => b !== undefined && b >= 0x30 && b <= 0x39;
const isJsonSpace = (b: number): boolean => b === SPACE || b === TAB || b === 0x0a || b === 0x0d;

/** Whether buf[from, to) holds exactly `key`. */
function isKey(buf: Buffer, from: number, to: number, key: Buffer): boolean {
  if (to - from !== key.length) return false;
  for (let k = 0; k < key.length; k++) if (buf[from + k] !== key[k]) return false;
  return true;
}

// the keys in the order they win when a line has several
const JSON_KEYS = ['level', 'lvl', 'severity', 'log.level'].map((k) => Buffer.from(k));
const LOG = Buffer.from('log');
const LEVEL = JSON_KEYS[0]!;
/** rank of `{"log":{"level":…}}` (ECS nested), after the keys above */
const NESTED_RANK = JSON_KEYS.length;

/** The level a JSON value at buf[i] names: a string, or a pino/bunyan number. */
function jsonValueLevel(buf: Buffer, i: number, end: number): number {
  while (i < end && isJsonSpace(buf[i] as number)) i++;
  if (i >= end) return NO_LEVEL;
  if (buf[i] === QUOTE) {
    let j = i + 1;
    // a level name has no escapes: a string with one names none
    while (j < end && buf[j] !== QUOTE && buf[j] !== BACKSLASH) j++;
    return j < end && buf[j] === QUOTE ? ALL_LEVEL_WORDS.match(buf, i + 1, j, false) : NO_LEVEL;
  }
  let n = 0;
  let j = i;
  while (j < end && isDigit(buf[j])) n = n * 10 + (buf[j++] as number) - 0x30;
  return j > i ? levelFromNumber(n) : NO_LEVEL;
}

/**
 * A JSON object line, scanned (not parsed) for a top-level level key: the scan stops at `level`,
 * which is the first key of most loggers' lines. A line cut short (the runtime splits very long
 * lines) still has the level it began with.
 */
export const jsonLevel: Detector = (buf, start, end) => {
  if (end <= start || buf[start] !== OPEN_BRACE) return NO_LEVEL;
  let depth = 0;
  /** the last key at the top was "log" / we are inside its object */
  let afterLog = false;
  let inLog = false;
  let best = NO_LEVEL;
  let bestRank = NESTED_RANK + 1;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b === QUOTE) {
      const from = i + 1;
      let j = from;
      while (j < end && buf[j] !== QUOTE) j += buf[j] === BACKSLASH ? 2 : 1;
      if (j >= end) return best;
      let k = j + 1;
      while (k < end && isJsonSpace(buf[k] as number)) k++;
      if (k < end && buf[k] === COLON) {
        let rank = -1;
        if (depth === 1) {
          for (let r = 0; r < JSON_KEYS.length && rank < 0; r++) if (isKey(buf, from, j, JSON_KEYS[r]!)) rank = r;
          afterLog = isKey(buf, from, j, LOG);
        } else if (depth === 2 && inLog && isKey(buf, from, j, LEVEL)) rank = NESTED_RANK;
        if (rank >= 0 && rank < bestRank) {
          const level = jsonValueLevel(buf, k + 1, end);
          if (level !== NO_LEVEL) {
            if (rank === 0) return level;
            best = level;
            bestRank = rank;
          }
        }
        i = k;
      } else i = j;
    } else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
      depth++;
      if (depth === 2) inLog = b === OPEN_BRACE && afterLog;
    } else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
      depth--;
      if (depth === 0) return best;
      if (depth === 1) inLog = false;
    }
  }
  return best;
};

const [KLOG_I, KLOG_W, KLOG_E, KLOG_F] = ['info', 'warn', 'error', 'fatal'].map(levelFromName) as [number, number, number, number];

/** klog's severity letters I, W, E, F */
function klogLetterLevel(b: number | undefined): number {
  switch (b) {
    case 0x49:
      return KLOG_I;
    case 0x57:
      return KLOG_W;
    case 0x45:
      return KLOG_E;
    case 0x46:
      return KLOG_F;
    default:
      return NO_LEVEL;
  }
}

/** `Lmmdd hh:mm:ss.uuuuuu …`: the letter, four digits, a space, then hh:mm:ss. */
export const klogLevel: Detector = (buf, start, end) => {
  if (end - start < 14) return NO_LEVEL;
  const level = klogLetterLevel(buf[start]);
  if (level === NO_LEVEL) return NO_LEVEL;
  const s = start;
  return isDigit(buf[s + 1]) &&
    isDigit(buf[s + 2]) &&
    isDigit(buf[s + 3]) &&
    isDigit(buf[s + 4]) &&
    buf[s + 5] === SPACE &&
    isDigit(buf[s + 6]) &&
    isDigit(buf[s + 7]) &&
    buf[s + 8] === COLON &&
    isDigit(buf[s + 9]) &&
    isDigit(buf[s + 10]) &&
    buf[s + 11] === COLON &&
    isDigit(buf[s + 12]) &&
    isDigit(buf[s + 13])
    ? level
    : NO_LEVEL;
};

const LOGFMT_KEYS = ['level', 'lvl', 'severity'].map((k) => Buffer.from(k));

/** `level=VALUE` (or lvl=, severity=) where the key starts the line or follows a space. */
export const logfmtLevel: Detector = (buf, start, end) => {
  for (let eq = buf.indexOf(EQUALS, start); eq !== -1 && eq < end; eq = buf.indexOf(EQUALS, eq + 1)) {
    let key = eq;
    while (key > start && buf[key - 1] !== SPACE && buf[key - 1] !== TAB) key--;
    for (const k of LOGFMT_KEYS) if (isKey(buf, key, eq, k)) return logfmtValueLevel(buf, eq + 1, end);
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
  return ALL_LEVEL_WORDS.match(buf, i, j, false);
}

/** The level words plain text starts with, in upper case (in brackets, any name in any case). */
const PLAIN_WORDS = new LevelWords(['trace', 'debug', 'info', 'notice', 'warn', 'warning', 'error', 'fatal', 'critical']);
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
  if (bracketed) return next === CLOSE_BRACKET ? ALL_LEVEL_WORDS.match(buf, i, j, false) : NO_LEVEL;
  if (next !== SPACE && next !== TAB && next !== COLON) return NO_LEVEL;
  return PLAIN_WORDS.match(buf, i, j, true);
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
