/**
 * How a source's lines look. Everything is decided once per source (SPEC "decide once per
 * stream"): the prefix bytes are built when the tail opens, and the returned writer runs
 * straight, with no branch on flags per line beyond the one chosen here.
 */
import { paint } from './colors.js';
import type { LineWriter, SourceLabel } from './label.js';
import type { LineFilter } from './filters.js';
import { jsonLineLevel } from './levels.js';
import type { OutputFormat, TimestampStyle } from './choices.js';
import { makeJsonWriter } from './json.js';
import { stampText } from './stamp.js';
import { makeTemplateWriter } from './template-format.js';
import type { Sink } from './sink.js';
import type { Template } from './template/index.js';
import { escapeForTerminal, holdsEscape } from './terminal.js';
import type { Zone } from './timefmt.js';
import { shortTimestamp } from './timestamps.js';

export interface FormatSettings {
  readonly output: OutputFormat;
  readonly timestamps: TimestampStyle | false;
  /** stdout is a terminal: unsafe control sequences in log text are shown escaped */
  readonly escapeControls: boolean;
  /** --timezone: timestamps (-t, templates) in this zone; undefined: the kubelet's UTC text, -t short in local time */
  readonly zone?: Zone | undefined;
  /** -i/-e/-H, built for this output (undefined: no regex runs on a line) */
  readonly filter?: LineFilter | undefined;
  /** default output with colour: JSON lines coloured by their level field */
  readonly levelColors?: boolean;
  /** --template/-T: replaces the output format */
  readonly template?: Template | undefined;
  /** colour output (templates' colour functions paint only then) */
  readonly color?: boolean;
  /** a template that failed on a line */
  readonly onTemplateError?: (message: string) => void;
}

const EMPTY = Buffer.alloc(0);
const RESET = Buffer.from('\x1b[0m');

/**
 * Colour on a terminal: an application's SGR passes, and the line then ends with a reset so that
 * its colour cannot bleed into the next line. Without colour (NO_COLOR, --color never, TERM=dumb)
 * its SGR is shown escaped, and no reset is written: not one escape byte.
 */
function colorPasses(label: SourceLabel, settings: FormatSettings): boolean {
  return settings.color ?? label.colors !== undefined;
}

/** The end of a line on a terminal: a reset only after colour that is on (the line's bytes hold an SGR). */
function terminalSuffix(keepSgr: boolean, line: Buffer, start: number, end: number): Buffer {
  return keepSgr && holdsEscape(line, start, end) ? RESET : EMPTY;
}

/** "[CONTEXT] [NAMESPACE] POD", painted */
export function podText(label: SourceLabel): string {
  const parts: string[] = [];
  if (label.context !== undefined) parts.push(paint(label.context, label.colors?.container));
  if (label.namespace !== undefined) parts.push(paint(label.namespace, label.colors?.container));
  parts.push(paint(label.pod, label.colors?.pod));
  return parts.join(' ');
}

export function containerText(label: SourceLabel): string {
  return paint(label.container, label.colors?.container);
}

export function labelText(label: SourceLabel): string {
  return `${podText(label)} ${containerText(label)}`;
}

/**
 * The writer for one source, chosen once: a template, a JSON format, or the default/raw layout —
 * plain as below when no filter, level colouring or zone applies, decorated otherwise.
 */
export function makeLineWriter(label: SourceLabel, settings: FormatSettings, sink: Sink): LineWriter {
  if (settings.template !== undefined) {
    return makeTemplateWriter(
      label,
      {
        template: settings.template,
        // .Timestamp is set only under -t, as in stern ({{if .Timestamp}} then means "asked for")
        stamp: settings.timestamps === false ? undefined : stampText(settings.timestamps, settings.zone),
        zone: settings.zone,
        color: settings.color ?? label.colors !== undefined,
        filter: settings.filter,
        escapeControls: settings.escapeControls,
        onError: settings.onTemplateError ?? (() => {}),
      },
      sink,
    );
  }
  switch (settings.output) {
    case 'json':
    case 'extjson':
    case 'ppextjson':
      return makeJsonWriter(
        label,
        {
          format: settings.output,
          stamp: stampText(settings.timestamps, settings.zone),
          timestamps: settings.timestamps !== false,
          // JSON output is never painted: highlighting would put escape sequences into JSON strings
          filter: settings.filter,
          escapeControls: settings.escapeControls,
        },
        sink,
      );
    case 'default':
    case 'raw':
      break;
  }
  const plain = plainWriter(label, settings, sink);
  const reformat = settings.zone !== undefined && settings.timestamps !== false;
  if (settings.filter === undefined && settings.levelColors !== true && !reformat) return plain;
  return decoratedWriter(label, settings, sink, plain);
}

/**
 * Default/raw output when a filter, level colours or --timezone apply: the message is decoded
 * only when a filter needs it; a line with nothing to change still goes the plain way.
 */
function decoratedWriter(label: SourceLabel, settings: FormatSettings, sink: Sink, plain: LineWriter): LineWriter {
  const prefix = settings.output === 'raw' ? EMPTY : Buffer.from(`${labelText(label)} `);
  const escape = settings.escapeControls;
  const stamp = settings.timestamps === false ? undefined : stampText(settings.timestamps, settings.zone);
  const reformat = settings.zone !== undefined && stamp !== undefined;
  const filter = settings.filter;
  const keepSgr = colorPasses(label, settings);
  const levels = settings.levelColors === true && settings.output === 'default';
  return (buf, lineStart, tsEnd, msgStart, end) => {
    let painted: string | null = null;
    const level = levels ? jsonLineLevel(buf, msgStart, end) : undefined;
    if (filter !== undefined) {
      const text = buf.toString('utf8', msgStart, end);
      if (!filter.keep(text)) return;
      painted = filter.highlight(text, level === undefined ? '' : `\x1b[${level}m`);
    }
    if (painted === null && level === undefined && !reformat) {
      plain(buf, lineStart, tsEnd, msgStart, end);
      return;
    }
    let msg = painted === null ? buf.subarray(msgStart, end) : Buffer.from(painted);
    if (escape) msg = escapeForTerminal(msg, 0, msg.length, keepSgr) ?? msg;
    const head: Buffer[] = [prefix];
    if (stamp !== undefined) head.push(Buffer.from(`${stamp(buf, lineStart, tsEnd)} `));
    if (level !== undefined) head.push(Buffer.from(`\x1b[${level}m`));
    // a level colour is switched off at the end of the line, as is an application's colour on a terminal
    const suffix = level !== undefined ? RESET : escape ? terminalSuffix(keepSgr, msg, 0, msg.length) : EMPTY;
    sink.writeLine(head.length === 1 ? prefix : Buffer.concat(head), msg, 0, msg.length, suffix);
  };
}

/** Default/raw output, as fast as it gets: the prefix bytes, then the kubelet's bytes. */
function plainWriter(label: SourceLabel, settings: FormatSettings, sink: Sink): LineWriter {
  const prefix = settings.output === 'raw' ? EMPTY : Buffer.from(`${labelText(label)} `);
  const escape = settings.escapeControls;
  const keepSgr = colorPasses(label, settings);

  // the message alone, or the message with the kubelet's own timestamp in front of it
  const body = (buf: Buffer, from: number, end: number): void => {
    if (escape) {
      const safe = escapeForTerminal(buf, from, end, keepSgr);
      if (safe !== null) {
        sink.writeLine(prefix, safe, 0, safe.length, terminalSuffix(keepSgr, safe, 0, safe.length));
        return;
      }
      sink.writeLine(prefix, buf, from, end, terminalSuffix(keepSgr, buf, from, end));
      return;
    }
    sink.writeLine(prefix, buf, from, end, EMPTY);
  };

  switch (settings.timestamps) {
    case false:
      return (buf, _lineStart, _tsEnd, msgStart, end) => body(buf, msgStart, end);
    case 'default':
      // "TIMESTAMP MESSAGE" is already contiguous in the kubelet's line: no copy, no parse
      return (buf, lineStart, _tsEnd, _msgStart, end) => body(buf, lineStart, end);
    case 'short':
      return (buf, lineStart, tsEnd, msgStart, end) => {
        const ts = Buffer.from(`${shortTimestamp(buf.toString('latin1', lineStart, tsEnd))} `);
        const withTs = prefix.length === 0 ? ts : Buffer.concat([prefix, ts]);
        if (escape) {
          const safe = escapeForTerminal(buf, msgStart, end, keepSgr);
          if (safe !== null) return sink.writeLine(withTs, safe, 0, safe.length, terminalSuffix(keepSgr, safe, 0, safe.length));
          return sink.writeLine(withTs, buf, msgStart, end, terminalSuffix(keepSgr, buf, msgStart, end));
        }
        sink.writeLine(withTs, buf, msgStart, end, EMPTY);
      };
  }
}
