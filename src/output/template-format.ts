/**
 * `--template` / `-T`: each line through a compiled stern-style template. The record of the
 * source's fields is built once; per line only Message and Timestamp change.
 */
import type { LineFilter } from './filters.js';
import type { LineWriter, SourceLabel } from './label.js';
import type { Sink } from './sink.js';
import { escapeForTerminal, holdsEscape } from './terminal.js';
import { LOCAL, UTC, type Zone } from './timefmt.js';
import { Color, isExecError, LogRecord, stringMap, type Template, type TemplateEnv } from './template/index.js';
import type { StampText } from './stamp.js';

export interface TemplateSettings {
  readonly template: Template;
  /** undefined without -t: .Timestamp is then empty, as in stern */
  readonly stamp: StampText | undefined;
  readonly zone: Zone | undefined;
  /** colour output: `color`, `levelColor`, `colorRed`… paint; otherwise they return the text */
  readonly color: boolean;
  readonly filter: LineFilter | undefined;
  readonly escapeControls: boolean;
  /** a line whose template failed (parseJSON of a line that is no JSON…) is left out and reported here */
  readonly onError: (message: string) => void;
}

const NL = 0x0a;
const RESET = Buffer.from('\x1b[0m');

/** Terminal safety, segment by segment: the template's own newlines stay newlines. */
function escapeSegments(bytes: Buffer, keepSgr: boolean): Buffer {
  const parts: Buffer[] = [];
  let start = 0;
  let changed = false;
  while (start < bytes.length) {
    let nl = bytes.indexOf(NL, start);
    if (nl === -1) nl = bytes.length;
    const safe = escapeForTerminal(bytes, start, nl, keepSgr);
    if (safe !== null) changed = true;
    parts.push(safe ?? bytes.subarray(start, nl));
    if (nl < bytes.length) parts.push(bytes.subarray(nl, nl + 1));
    start = nl + 1;
  }
  return changed ? Buffer.concat(parts) : bytes;
}

export function makeTemplateWriter(label: SourceLabel, settings: TemplateSettings, sink: Sink): LineWriter {
  const info = label.info;
  const record = new LogRecord(
    info?.namespace ?? label.namespace ?? '',
    label.pod,
    label.container,
    info?.nodeName ?? '',
    stringMap(info?.labels ?? {}),
    stringMap(info?.annotations ?? {}),
    new Color(label.colors?.pod),
    new Color(label.colors?.container),
    info?.context ?? label.context ?? '',
    label.context !== undefined,
  );
  const env: TemplateEnv = { color: settings.color, zone: settings.zone ?? LOCAL, timestampZone: settings.zone ?? UTC };
  const { template, stamp, filter, onError } = settings;
  const escape = settings.escapeControls;
  return (buf, lineStart, tsEnd, msgStart, end) => {
    const text = buf.toString('utf8', msgStart, end);
    // as stern: -i/-e test the line as read, highlighting paints what the template wrote
    if (filter !== undefined && !filter.keep(text)) return;
    record.Message = text;
    record.Timestamp = stamp === undefined ? '' : stamp(buf, lineStart, tsEnd);
    let out: string;
    try {
      out = template.execute(record, env);
    } catch (err) {
      if (!isExecError(err)) throw err;
      onError(err.message);
      return;
    }
    if (out === '') return;
    if (filter !== undefined) out = filter.highlight(out) ?? out;
    // each line is written whole: a template without a final newline gets one
    let bytes: Buffer = Buffer.from(out.endsWith('\n') ? out : `${out}\n`);
    if (escape) {
      // without colour an SGR in the text is shown escaped: not one escape byte (NO_COLOR)
      bytes = escapeSegments(bytes.subarray(0, bytes.length - 1), settings.color);
      // colour left on by the line must not bleed into the next one
      sink.writeLine(EMPTY, bytes, 0, bytes.length, settings.color && holdsEscape(bytes, 0, bytes.length) ? RESET : EMPTY);
      return;
    }
    sink.writeRaw(bytes);
  };
}

const EMPTY = Buffer.alloc(0);

/** At most `limit` template errors are reported, then one line says the rest are not. */
export function templateErrorReporter(emit: (text: string) => void, limit = 10): (message: string) => void {
  let count = 0;
  return (message) => {
    count++;
    if (count <= limit)
      emit(
        `template: ${message}; the line is left out${count === 1 && message.includes('parseJSON') ? ' (tryParseJSON instead of parseJSON keeps lines that are no JSON)' : ''}`,
      );
    else if (count === limit + 1) emit(`template: further template errors are not shown`);
  };
}
