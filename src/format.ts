/**
 * How a source's lines look. Everything is decided once per source (SPEC "decide once per
 * stream"): the prefix bytes are built when the tail opens, and the returned writer runs
 * straight, with no branch on flags per line beyond the one chosen here.
 */
import { paint, type ColorPair } from './colors.js';
import type { OutputFormat, TimestampStyle } from './options.js';
import type { Sink } from './sink.js';
import { escapeForTerminal } from './terminal.js';
import { shortTimestamp } from './timestamps.js';

/** Who wrote a line, and which parts of that the output shows. */
export interface SourceLabel {
  /** shown first when several contexts are followed */
  readonly context: string | undefined;
  /** shown when several namespaces are followed */
  readonly namespace: string | undefined;
  readonly pod: string;
  readonly container: string;
  /** undefined: no colour */
  readonly colors: ColorPair | undefined;
}

export interface FormatSettings {
  readonly output: OutputFormat;
  readonly timestamps: TimestampStyle | false;
  /** stdout is a terminal: unsafe control sequences in log text are shown escaped */
  readonly escapeControls: boolean;
}

/**
 * Receives one log line as the kubelet sent it: `TIMESTAMP SP MESSAGE`, where the timestamp is
 * buf[lineStart, tsEnd) and the message buf[msgStart, end). Without a timestamp,
 * tsEnd === lineStart and msgStart === lineStart.
 */
export type LineWriter = (buf: Buffer, lineStart: number, tsEnd: number, msgStart: number, end: number) => void;

const EMPTY = Buffer.alloc(0);
const RESET = Buffer.from('\x1b[0m');

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

export function makeLineWriter(label: SourceLabel, settings: FormatSettings, sink: Sink): LineWriter {
  const prefix = settings.output === 'raw' ? EMPTY : Buffer.from(`${labelText(label)} `);
  const escape = settings.escapeControls;
  // On a terminal, colour an application leaves switched on must not bleed into the next line.
  const suffix = escape ? RESET : EMPTY;

  // the message alone, or the message with the kubelet's own timestamp in front of it
  const body = (buf: Buffer, from: number, end: number): void => {
    if (escape) {
      const safe = escapeForTerminal(buf, from, end);
      if (safe !== null) {
        sink.writeLine(prefix, safe, 0, safe.length, suffix);
        return;
      }
    }
    sink.writeLine(prefix, buf, from, end, suffix);
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
          const safe = escapeForTerminal(buf, msgStart, end);
          if (safe !== null) return sink.writeLine(withTs, safe, 0, safe.length, suffix);
        }
        sink.writeLine(withTs, buf, msgStart, end, suffix);
      };
  }
}
