/**
 * Template values as Go's text/template sees them: what is true, how a value prints (fmt's %v),
 * how fields are looked up, and the data one log line hands to a template.
 */
import { formatLayout, GoTime, RFC3339_NANO } from '../timefmt.js';
import { goQuote } from './gojson.js';
import { formatFloatV, GoFloat, JsonNumber } from './numbers.js';

/** fatih/color's reset of each SGR attribute: bold and faint 22, italic 23, … anything else 0. */
const RESET_OF: Readonly<Record<string, string>> = {
  '1': '22',
  '2': '22',
  '3': '23',
  '4': '24',
  '5': '25',
  '6': '25',
  '7': '27',
  '8': '28',
  '9': '29',
};

/** The bytes fatih/color (stern's colour library) writes around text: `ESC[31m…ESC[0m`, `ESC[31;1m…ESC[0;22m`. */
export function sgrWrap(sgr: string, text: string): string {
  const reset =
    sgr === ''
      ? ''
      : sgr
          .split(';')
          .map((p) => RESET_OF[p.trim()] ?? '0')
          .join(';');
  return `\x1b[${sgr}m${text}\x1b[${reset}m`;
}

/** An SGR colour a template can pass to `color` (.PodColor, .ContainerColor); undefined: none. */
export class Color {
  readonly #wrapped: [string, string] | undefined;

  constructor(readonly sgr: string | undefined) {
    if (sgr !== undefined) {
      const [before, after] = sgrWrap(sgr, '\0').split('\0') as [string, string];
      this.#wrapped = [before, after];
    }
  }

  paint(text: string, enabled: boolean): string {
    return enabled && this.#wrapped !== undefined ? this.#wrapped[0] + text + this.#wrapped[1] : text;
  }

  /** How Go prints a color.Color: its attributes and an unset noColor. */
  toString(): string {
    return `{[${(this.sgr ?? '').split(';').join(' ')}] <nil>}`;
  }
}

/** map[string]string (labels, annotations): `index` of a missing key is "", not Go's <no value>. */
const STRING_MAPS = new WeakSet();

export function isStringMap(v: object): boolean {
  return STRING_MAPS.has(v);
}

export function stringMap(values: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
  if (NIL_MAPS.has(values)) return values;
  const copy = Object.freeze({ ...values });
  STRING_MAPS.add(copy);
  return copy;
}

/** The fields of one log line, by the names stern's templates use. */
export const LOG_FIELDS = [
  'Message',
  'Timestamp',
  'Namespace',
  'PodName',
  'ContainerName',
  'NodeName',
  'Labels',
  'Annotations',
  'PodColor',
  'ContainerColor',
  'Context',
] as const;
export type LogField = (typeof LOG_FIELDS)[number];
const FIELD_SET: ReadonlySet<string> = new Set(LOG_FIELDS);

export function isLogField(name: string): name is LogField {
  return FIELD_SET.has(name);
}

/**
 * What a template receives for one line. One object per source: the writer sets Message and
 * Timestamp before each execution, the rest is the source's and never changes.
 */
export class LogRecord {
  Message = '';
  Timestamp = '';

  constructor(
    readonly Namespace: string,
    readonly PodName: string,
    readonly ContainerName: string,
    readonly NodeName: string,
    readonly Labels: Readonly<Record<string, string>>,
    readonly Annotations: Readonly<Record<string, string>>,
    readonly PodColor: Color,
    readonly ContainerColor: Color,
    readonly Context: string,
    /** `json .` names the context only when several are followed, as `-o json` does */
    private readonly contextShown = false,
  ) {}

  /** `json .`: stern's Log struct in its field order; an empty timestamp is left out (omitempty) */
  toJSON(): Record<string, unknown> {
    return keepOrder({
      message: this.Message,
      ...(this.Timestamp === '' ? {} : { timestamp: this.Timestamp }),
      nodeName: this.NodeName,
      namespace: this.Namespace,
      podName: this.PodName,
      containerName: this.ContainerName,
      labels: this.Labels,
      annotations: this.Annotations,
      ...(this.contextShown ? { context: this.Context } : {}),
    });
  }

  /** `{{.}}`: Go would print the struct with its colours' addresses; the JSON of the line says more. */
  goText(): string {
    return goJson(this);
  }
}

/** Objects whose keys print in their own order (a struct in Go), not sorted like a map's. */
const ORDERED = new WeakSet();

function keepOrder<T extends object>(o: T): T {
  ORDERED.add(o);
  return o;
}

/** Maps that are nil in Go (stern's Labels under --stdin, tryParseJSON of no JSON): `map[]`, JSON null. */
const NIL_MAPS = new WeakSet();

export function nilMap(stringValued: boolean): Readonly<Record<string, never>> {
  const m = Object.freeze({});
  NIL_MAPS.add(m);
  if (stringValued) STRING_MAPS.add(m);
  return m;
}

/** nil in Go: no value, a JSON null, a nil map (eq compares these by their nil-ness). */
export function isGoNil(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === 'object' && NIL_MAPS.has(v));
}

/** A failure while running a template on a line (not while parsing it). */
export class ExecError extends Error {}

/**
 * The most one line's output (and any one string a template builds) may hold: 1 MiB, counted
 * in UTF-16 units. Past it the line fails with an ExecError (dropped, said once on stderr), so a
 * `{{range 100000000}}` or a doubling variable cannot take the process's memory and time.
 */
export const MAX_LINE_OUTPUT = 1 << 20;

export function tooLong(what: string): ExecError {
  return new ExecError(`${what} is longer than the 1 MiB a line may hold`);
}

/** A map of a template: a JSON object, labels, annotations (not a line, time or colour). */
export function isMap(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function typeName(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return 'int';
  if (v instanceof GoFloat) return 'float64';
  if (v instanceof JsonNumber) return 'json.Number';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof LogRecord) return 'stern.Log';
  if (v instanceof GoTime) return 'time.Time';
  if (v instanceof Color) return '*color.Color';
  if (STRING_MAPS.has(v)) return 'map[string]string';
  return 'map[string]interface {}';
}

/** `.name` on a value: fields of a line, keys of a map (missing: no value); anything else is an error, as in Go. */
export function fieldOf(v: unknown, name: string): unknown {
  if (v instanceof LogRecord) {
    if (isLogField(name)) return v[name];
    throw new ExecError(`can't evaluate field ${name} in type stern.Log`);
  }
  if (isMap(v)) return Object.prototype.hasOwnProperty.call(v, name) ? v[name] : undefined;
  if (v === undefined || v === null) return undefined;
  throw new ExecError(`can't evaluate field ${name} in type ${typeName(v)}`);
}

/** Go's truth: false, 0, "", nil, empty slices and maps are false; everything else is true. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (v instanceof GoFloat) return v.value !== 0;
  if (v instanceof JsonNumber) return v.text !== '';
  if (Array.isArray(v)) return v.length > 0;
  if (isMap(v)) return Object.keys(v).length > 0;
  return true;
}

/** The sorted entries of a map (keys as fmt sorts strings), or undefined for what is no map. */
export function showMapEntries(v: unknown): [string, unknown][] | undefined {
  if (!isMap(v) || ORDERED.has(v)) return undefined;
  return Object.keys(v)
    .sort()
    .map((k) => [k, v[k]]);
}

/** fmt's %v of a value inside print, printf or a slice or map: nil is `<nil>`. */
export function leafText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'number') return String(v);
  if (v instanceof GoFloat) return formatFloatV(v.value);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map(leafText).join(' ')}]`;
  if (v instanceof LogRecord) return v.goText();
  const entries = showMapEntries(v);
  if (entries !== undefined) return `map[${entries.map(([k, e]) => `${k}:${leafText(e)}`).join(' ')}]`;
  return (v as { toString(): string }).toString();
}

/** How `{{pipeline}}` prints its value: a missing key or a nil is `<no value>`, as text/template writes it. */
export function show(v: unknown): string {
  return v === undefined || v === null ? '<no value>' : leafText(v);
}

/** Go's json.Marshal: map keys sorted, a line's record in its struct's field order, HTML characters escaped. */
export function goJson(v: unknown, indent = '', depth = 0): string {
  if (v === undefined || v === null) return 'null';
  if (v instanceof LogRecord) return goJson(v.toJSON(), indent, depth);
  if (v instanceof GoTime) return goQuote(formatLayout(v.instant, RFC3339_NANO, v.zone));
  if (v instanceof Color) return '{}';
  if (typeof v === 'string') return goQuote(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (typeof v === 'number') return String(v);
  if (v instanceof GoFloat) return Object.is(v.value, -0) ? '-0' : JSON.stringify(v.value);
  if (v instanceof JsonNumber) return v.text;
  const nl = indent === '' ? '' : `\n${indent.repeat(depth + 1)}`;
  const close = indent === '' ? '' : `\n${indent.repeat(depth)}`;
  const colon = indent === '' ? ':' : ': ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${v.map((x) => nl + goJson(x, indent, depth + 1)).join(',')}${close}]`;
  }
  if (isMap(v)) {
    if (NIL_MAPS.has(v)) return 'null';
    // the record's own key order is kept; other maps are sorted, as Go sorts map keys
    const keys = ORDERED.has(v) ? Object.keys(v) : Object.keys(v).sort();
    if (keys.length === 0) return '{}';
    return `{${keys.map((k) => `${nl}${goQuote(k)}${colon}${goJson(v[k], indent, depth + 1)}`).join(',')}${close}}`;
  }
  return goQuote(leafText(v));
}
