/**
 * `-o json`, `-o extjson`, `-o ppextjson` (SPEC §3), with stern's keys so that stern users' jq
 * scripts keep working. The JSON text of everything that is the source's (namespace, pod,
 * container, node, labels, annotations, context) is built once per source; per line only the
 * message (escaped, or embedded when it is JSON) and the timestamp are added.
 */
import type { LineFilter } from './filters.js';
import type { LineWriter, SourceLabel } from './label.js';
import type { Sink } from './sink.js';
import { KUBELET_TEXT, type StampText } from './stamp.js';
import { goQuote } from './template/gojson.js';
import { goJson } from './template/values.js';

type JsonFormat = 'json' | 'extjson' | 'ppextjson';

export interface JsonSettings {
  readonly format: JsonFormat;
  /** the timestamp as -t/--timezone show it */
  readonly stamp: StampText;
  /** extjson/ppextjson carry a "timestamp" key only under -t */
  readonly timestamps: boolean;
  readonly filter: LineFilter | undefined;
  /** stdout is a terminal: C1 controls and DEL are written as \u escapes, CRs dropped */
  readonly escapeControls: boolean;
}

const q = goQuote;

/**
 * On a terminal, JSON text must not carry what JSON.stringify leaves raw: C1 controls, DEL and
 * the bidi controls U+202A–U+202E, U+2066–U+2069 become `\uXXXX` (valid only inside strings, which is where valid JSON can hold them), a CR is
 * dropped (whitespace outside strings, escaped inside them by JSON.stringify).
 */
function terminalSafe(json: string): string {
  return /[\r\u007f-\u009f\u202a-\u202e\u2066-\u2069]/.test(json)
    ? json.replace(/[\r\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g, (c) =>
        c === '\r' ? '' : `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
      )
    : json;
}

/** The message as stern's extjson gives it: itself when it is valid JSON (any value), else a JSON string as Go writes it. */
function embedMessage(text: string): string {
  const c = text.charCodeAt(0);
  // only text that can start a JSON value is worth a parse: { [ " - digit t f n (and whitespace)
  if (
    c === 0x7b ||
    c === 0x5b ||
    c === 0x22 ||
    c === 0x2d ||
    (c >= 0x30 && c <= 0x39) ||
    c === 0x74 ||
    c === 0x66 ||
    c === 0x6e ||
    c === 0x20 ||
    c === 0x09 ||
    c === 0x0a ||
    c === 0x0d
  ) {
    try {
      // JSON.parse accepts exactly what Go's json.Valid does
      JSON.parse(text);
      return text;
    } catch {
      // not JSON: a string
    }
  }
  return q(text);
}

/** Printable ASCII but for `"`, `\\` and the `<`, `>`, `&` Go escapes: bytes that are their own JSON string text. */
function plainJsonText(buf: Buffer, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if (b < 0x20 || b > 0x7e || b === 0x22 || b === 0x5c || b === 0x3c || b === 0x3e || b === 0x26) return false;
  }
  return true;
}

const MESSAGE_HEAD = Buffer.from('{"message":"');
const TIMESTAMP_KEY = Buffer.from('","timestamp":"');
const TS_MAX = 64;

export function makeJsonWriter(label: SourceLabel, settings: JsonSettings, sink: Sink): LineWriter {
  const info = label.info;
  const namespace = info?.namespace ?? label.namespace ?? '';
  const { stamp, filter } = settings;
  const safe = settings.escapeControls ? terminalSafe : (s: string): string => s;

  switch (settings.format) {
    case 'json': {
      // stern's Log struct, in its field order; the static part after the timestamp is built once
      const tail =
        `,"nodeName":${q(info?.nodeName ?? '')},"namespace":${q(namespace)},"podName":${q(label.pod)}` +
        `,"containerName":${q(label.container)},"labels":${goJson(info?.labels ?? {})}` +
        `,"annotations":${goJson(info?.annotations ?? {})}` +
        `${label.context !== undefined ? `,"context":${q(label.context)}` : ''}}\n`;
      // The common line (printable ASCII, the kubelet's timestamp) needs no escaping: its bytes
      // go to the sink as they are, between a fixed head and a suffix assembled in a scratch
      // buffer (the sink copies both at once), with no string made.
      const fast = stamp === KUBELET_TEXT && filter === undefined;
      const tailBytes = Buffer.from(`"${tail.slice(0, -1)}`);
      const scratch = Buffer.allocUnsafe(TIMESTAMP_KEY.length + TS_MAX + tailBytes.length);
      TIMESTAMP_KEY.copy(scratch, 0);
      return (buf, lineStart, tsEnd, msgStart, end) => {
        if (
          fast &&
          tsEnd > lineStart &&
          tsEnd - lineStart <= TS_MAX &&
          plainJsonText(buf, msgStart, end) &&
          plainJsonText(buf, lineStart, tsEnd)
        ) {
          let n = TIMESTAMP_KEY.length + buf.copy(scratch, TIMESTAMP_KEY.length, lineStart, tsEnd);
          n += tailBytes.copy(scratch, n);
          sink.writeLine(MESSAGE_HEAD, buf, msgStart, end, scratch.subarray(0, n));
          return;
        }
        const text = buf.toString('utf8', msgStart, end);
        if (filter !== undefined && !filter.keep(text)) return;
        // timestamp is omitempty in stern's struct: a line without one (--stdin) has no key
        const ts = stamp(buf, lineStart, tsEnd);
        sink.writeRaw(Buffer.from(`{"message":${safe(q(text))}${ts === '' ? '' : `,"timestamp":${q(ts)}`}${tail}`));
      };
    }
    case 'extjson':
    case 'ppextjson': {
      // stern's templates for these, byte for byte: `"key": value`, `, ` or a newline and two spaces between
      const pretty = settings.format === 'ppextjson';
      const sep = pretty ? ',\n  ' : ', ';
      const keys: [string, string][] = [];
      if (label.context !== undefined) keys.push(['context', label.context]);
      if (label.namespace !== undefined) keys.push(['namespace', namespace]);
      keys.push(['pod', label.pod], ['container', label.container]);
      const head = (pretty ? '{\n  ' : '{') + keys.map(([k, v]) => `${q(k)}: ${q(v)}`).join(sep) + sep;
      const end = pretty ? '\n}\n' : '}\n';
      const withTs = settings.timestamps;
      return (buf, lineStart, tsEnd, msgStart, lineEnd) => {
        const text = buf.toString('utf8', msgStart, lineEnd);
        if (filter !== undefined && !filter.keep(text)) return;
        const ts = withTs ? `"timestamp": ${q(stamp(buf, lineStart, tsEnd))}${sep}` : '';
        sink.writeRaw(Buffer.from(`${head}${ts}"message": ${safe(embedMessage(text))}${end}`));
      };
    }
  }
}
