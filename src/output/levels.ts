/**
 * Log levels as one number scale, pino's and bunyan's (10 trace, 20 debug, 30 info, 40 warn,
 * 50 error, 60 fatal; 0: no level), so that a numeric level needs no table and `--level` is one
 * compare. Here are the names each format writes and the colour of each level; how a line's level
 * is found is level-detect.ts's job.
 */
import type { LevelName } from './choices.js';

export const NO_LEVEL = 0;
const TRACE = 10;
const DEBUG = 20;
const INFO = 30;
const WARN = 40;
const ERROR = 50;
const FATAL = 60;

/** --level's words as numbers */
export const LEVEL_THRESHOLD: Readonly<Record<LevelName, number>> = { debug: DEBUG, info: INFO, warn: WARN, error: ERROR };

/**
 * Lower-case level names as logging libraries write them: zap, logrus, slog, pino, bunyan,
 * winston, serilog (information, verbose), log15 (dbug, eror, crit), syslog's and Google Cloud's
 * severities (notice, critical, alert, emergency).
 */
const BY_NAME: ReadonlyMap<string, number> = new Map([
  ['trace', TRACE],
  ['verbose', TRACE],
  ['debug', DEBUG],
  ['dbug', DEBUG],
  ['info', INFO],
  ['information', INFO],
  ['notice', INFO],
  ['warn', WARN],
  ['warning', WARN],
  ['error', ERROR],
  ['err', ERROR],
  ['eror', ERROR],
  ['fatal', FATAL],
  ['critical', FATAL],
  ['crit', FATAL],
  ['panic', FATAL],
  ['dpanic', FATAL],
  ['alert', FATAL],
  ['emerg', FATAL],
  ['emergency', FATAL],
]);

/** A level name in any case (`WARN`, `Warning`), or NO_LEVEL. */
export function levelFromName(name: string): number {
  return BY_NAME.get(name.toLowerCase()) ?? NO_LEVEL;
}

/**
 * Level names matched on bytes, with no string made: the detectors run on every line of a
 * source, and decoding a word costs more than comparing it. Names are kept by length.
 */
export class LevelWords {
  readonly #byLength: ([Buffer, number][] | undefined)[] = [];

  /** lower-case names */
  constructor(names: Iterable<string>) {
    for (const name of names) (this.#byLength[name.length] ??= []).push([Buffer.from(name, 'latin1'), levelFromName(name)]);
  }

  /** The level named by buf[from, to): in any case, or (upper) in upper case only; else NO_LEVEL. */
  match(buf: Buffer, from: number, to: number, upper: boolean): number {
    const candidates = this.#byLength[to - from];
    if (candidates === undefined) return NO_LEVEL;
    next: for (const [word, level] of candidates) {
      for (let k = 0; k < word.length; k++) {
        const b = buf[from + k] as number;
        const w = word[k] as number;
        // every name byte is a lower-case letter: b | 0x20 equals it only for that letter in either case
        if (upper ? b !== w - 0x20 : (b | 0x20) !== w) continue next;
      }
      return level;
    }
    return NO_LEVEL;
  }
}

/** Every name above, for JSON and logfmt values. */
export const ALL_LEVEL_WORDS = new LevelWords(BY_NAME.keys());

/** pino/bunyan numbers: 10 trace … 60 fatal, anything between rounds down; below 10: none. */
export function levelFromNumber(n: number): number {
  if (!(n >= TRACE)) return NO_LEVEL;
  return n >= FATAL ? FATAL : Math.floor(n / 10) * 10;
}

/** The word -o pretty shows for a level. */
export function levelWord(level: number): string {
  if (level >= FATAL) return 'FATAL';
  if (level >= ERROR) return 'ERROR';
  if (level >= WARN) return 'WARN';
  if (level >= INFO) return 'INFO';
  if (level >= DEBUG) return 'DEBUG';
  return level >= TRACE ? 'TRACE' : '';
}

/**
 * The SGR of a level on a colour terminal: errors red, warnings yellow, debug and trace dim; info
 * and no level keep the terminal's colour, so that what is unusual stands out.
 */
export function levelSgr(level: number): string | undefined {
  if (level >= ERROR) return '31';
  if (level >= WARN) return '33';
  if (level >= INFO) return undefined;
  return level >= TRACE ? '2' : undefined;
}
