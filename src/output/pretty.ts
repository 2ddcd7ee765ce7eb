/**
 * `-o pretty`: a JSON or logfmt line for a person,
 *   `POD CONTAINER [01-02 15:04:05] LEVEL message key=value key=value …`
 * the time (short) only under -t, the level word in its colour, the message (`msg`, `message`
 * or `log`), then every other field as logfmt writes it, nested objects as dotted keys. Any
 * other line goes to the fallback writer (the default layout) unchanged.
 *
 * Per line, the first byte decides which parse is tried: `{` JSON, a line holding `=` logfmt,
 * anything else none; a line that is neither costs a byte compare and an indexOf.
 */
import type { LineFilter } from './filters.js';
import { jsonFields } from './json-fields.js';
import type { LineWriter } from './label.js';
import { levelFromName, levelFromNumber, levelSgr, levelWord, NO_LEVEL } from './levels.js';
import { logfmtFields, logfmtQuote, type Field } from './logfmt.js';
import type { Sink } from './sink.js';
import type { StampText } from './stamp.js';
import { escapeForTerminal } from './terminal.js';

export interface PrettySettings {
  /** `POD CONTAINER ` as the default layout writes it */
  readonly prefix: Buffer;
  /** under -t: the short time */
  readonly stamp: StampText | undefined;
  /** -i/-e test the line as written by the application; -i/-H paint the rendered text */
  readonly filter: LineFilter | undefined;
  readonly escapeControls: boolean;
  /** colour output: the level word in its colour */
  readonly color: boolean;
}

const LEVEL_KEYS = ['level', 'lvl', 'severity', 'log.level'] as const;
const MESSAGE_KEYS = ['msg', 'message', 'log'] as const;
const OPEN_BRACE = 0x7b;
const EQUALS = 0x3d;
const EMPTY = Buffer.alloc(0);
const RESET = Buffer.from('\x1b[0m');
const NUMBER = /^\d+(?:\.\d+)?$/;

const find = (fields: readonly Field[], keys: readonly string[]): Field | undefined => {
  for (const k of keys) {
    const f = fields.find((x) => x.key === k);
    if (f !== undefined) return f;
  }
  return undefined;
};

/** The level word, padded so that messages line up, coloured when asked; '' when there is no level field. */
function levelText(field: Field | undefined, color: boolean): string {
  if (field === undefined) return '';
  const v = field.value;
  const level = levelFromName(v) || (NUMBER.test(v) ? levelFromNumber(Number(v)) : NO_LEVEL);
  // a level no table knows is shown as written
  if (level === NO_LEVEL) return `${field.shown} `;
  const word = levelWord(level).padEnd(5);
  const sgr = color ? levelSgr(level) : undefined;
  return sgr === undefined ? `${word} ` : `\x1b[${sgr}m${word}\x1b[0m `;
}

/** A message on one line: its line breaks shown as \n, \r. */
const oneLine = (s: string): string => (/[\r\n]/.test(s) ? s.replace(/\n/g, '\\n').replace(/\r/g, '\\r') : s);

/** `LEVEL message k=v …` of a structured line: the level part, and the rest (which a highlight may paint). */
export function renderFields(fields: readonly Field[], color: boolean): { level: string; body: string } {
  const levelField = find(fields, LEVEL_KEYS);
  const messageField = find(fields, MESSAGE_KEYS);
  const parts: string[] = [];
  if (messageField !== undefined && messageField.value !== '') parts.push(oneLine(messageField.value));
  for (const f of fields) if (f !== levelField && f !== messageField) parts.push(`${logfmtQuote(f.key)}=${f.shown}`);
  return { level: levelText(levelField, color), body: parts.join(' ') };
}

/** The fields of buf[start, end) when it is a JSON object or logfmt line, else undefined. */
function structured(buf: Buffer, start: number, end: number, text: string | undefined): Field[] | undefined {
  if (end <= start) return undefined;
  if (buf[start] === OPEN_BRACE) {
    const fields = jsonFields(text ?? buf.toString('utf8', start, end));
    return fields === undefined || fields.length === 0 ? undefined : fields;
  }
  const eq = buf.indexOf(EQUALS, start);
  if (eq === -1 || eq >= end) return undefined;
  return logfmtFields(text ?? buf.toString('utf8', start, end));
}

export function makePrettyWriter(settings: PrettySettings, sink: Sink, fallback: LineWriter): LineWriter {
  const { prefix, stamp, filter, escapeControls, color } = settings;
  // as the default layout: on a terminal, colour an application leaves on ends with its line
  const suffix = escapeControls ? RESET : EMPTY;
  return (buf, lineStart, tsEnd, msgStart, end) => {
    let text: string | undefined;
    if (filter !== undefined) {
      text = buf.toString('utf8', msgStart, end);
      if (!filter.keep(text)) return;
    }
    const fields = structured(buf, msgStart, end, text);
    if (fields === undefined) {
      fallback(buf, lineStart, tsEnd, msgStart, end);
      return;
    }
    const { level, body } = renderFields(fields, color);
    const painted = filter?.highlight(body) ?? body;
    let out: Buffer = Buffer.from(painted === '' ? level.trimEnd() : level + painted);
    if (escapeControls) out = escapeForTerminal(out, 0, out.length) ?? out;
    const head = stamp === undefined ? prefix : Buffer.concat([prefix, Buffer.from(`${stamp(buf, lineStart, tsEnd)} `)]);
    sink.writeLine(head, out, 0, out.length, suffix);
  };
}
