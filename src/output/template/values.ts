/**
 * Template values as Go's text/template sees them: what is true, how a value prints (fmt's %v),
 * how fields are looked up, and the data one log line hands to a template.
 */
import { GoTime } from '../timefmt.js';

/** An SGR colour a template can pass to `color` (.PodColor, .ContainerColor); undefined: none. */
export class Color {
  constructor(readonly sgr: string | undefined) {}

  paint(text: string, enabled: boolean): string {
    return enabled && this.sgr !== undefined ? `\x1b[${this.sgr}m${text}\x1b[0m` : text;
  }

  toString(): string {
    return '';
  }
}

/** Maps whose missing keys read as "" rather than Go's <no value> (map[string]string). */
const STRING_MAPS = new WeakSet();

export function isStringMap(v: object): boolean {
  return STRING_MAPS.has(v);
}

export function stringMap(values: Readonly<Record<string, string>>): Readonly<Record<string, string>> {
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

  /** `json .`: the keys and order of `-o json` */
  toJSON(): Record<string, unknown> {
    return keepOrder({
      message: this.Message,
      timestamp: this.Timestamp,
      namespace: this.Namespace,
      podName: this.PodName,
      containerName: this.ContainerName,
      nodeName: this.NodeName,
      labels: this.Labels,
      annotations: this.Annotations,
      ...(this.contextShown ? { context: this.Context } : {}),
    });
  }
}

/** Objects whose keys print in their own order (a struct in Go), not sorted like a map's. */
const ORDERED = new WeakSet();

function keepOrder<T extends object>(o: T): T {
  ORDERED.add(o);
  return o;
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

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const proto = Object.getPrototypeOf(v) as unknown;
  return proto === Object.prototype || proto === null;
}

export function typeName(v: unknown): string {
  if (v === undefined || v === null) return '<nil>';
  if (typeof v === 'string') return 'string';
  if (typeof v === 'number') return Number.isInteger(v) ? 'int' : 'float64';
  if (typeof v === 'boolean') return 'bool';
  if (Array.isArray(v)) return '[]interface {}';
  if (v instanceof LogRecord) return 'log';
  if (v instanceof GoTime) return 'time.Time';
  if (v instanceof Color) return '*color.Color';
  if (STRING_MAPS.has(v)) return 'map[string]string';
  return 'map[string]interface {}';
}

/** `.name` on a value: fields of a line, keys of a map; anything else is an error, as in Go. */
export function fieldOf(v: unknown, name: string): unknown {
  if (v instanceof LogRecord) {
    if (isLogField(name)) return v[name];
    throw new ExecError(`can't evaluate field ${name} in type log (fields: ${LOG_FIELDS.join(', ')})`);
  }
  if (isPlainObject(v)) {
    if (Object.prototype.hasOwnProperty.call(v, name)) return v[name];
    return STRING_MAPS.has(v) ? '' : undefined;
  }
  // a missing key or a JSON null: Go yields the zero value, printed <no value>
  if (v === undefined || v === null) return undefined;
  throw new ExecError(`can't evaluate field ${name} in type ${typeName(v)}`);
}

/** Go's truth: false, 0, "", nil, empty slices and maps are false; everything else is true. */
export function truthy(v: unknown): boolean {
  if (v === undefined || v === null || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (isPlainObject(v)) return Object.keys(v).length > 0;
  return true;
}

/** Numbers print as JSON writes them (`12345`, `0.5`), not in Go's %v exponent form. */
function showNumber(n: number): string {
  return Number.isFinite(n) ? String(n) : n > 0 ? '+Inf' : n < 0 ? '-Inf' : 'NaN';
}

function showInner(v: unknown): string {
  return v === undefined || v === null ? '<nil>' : show(v);
}

/** fmt's %v: how `{{.X}}` prints a value. */
export function show(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined) return '<no value>';
  if (v === null) return '<nil>';
  if (typeof v === 'number') return showNumber(v);
  if (typeof v === 'boolean') return v ? 'true' : 'false';
  if (Array.isArray(v)) return `[${v.map(showInner).join(' ')}]`;
  if (v instanceof LogRecord) return goJson(v);
  if (isPlainObject(v)) {
    return `map[${Object.keys(v)
      .sort()
      .map((k) => `${k}:${showInner(v[k])}`)
      .join(' ')}]`;
  }
  return otherText(v);
}

/** What is left (a time, a colour, a function value): the value's own toString, as fmt's Stringer. */
function otherText(v: unknown): string {
  return (v as { toString(): string }).toString();
}

/** Go's json.Marshal: map keys sorted; a line's record in the key order of `-o json`. */
export function goJson(v: unknown, indent = '', depth = 0): string {
  if (v === undefined || v === null) return 'null';
  if (v instanceof LogRecord) return goJson(v.toJSON(), indent, depth);
  if (v instanceof GoTime) return JSON.stringify(v.toString());
  if (v instanceof Color) return '{}';
  if (typeof v === 'string' || typeof v === 'boolean') return JSON.stringify(v);
  if (typeof v === 'number') return Number.isFinite(v) ? JSON.stringify(v) : 'null';
  const nl = indent === '' ? '' : `\n${indent.repeat(depth + 1)}`;
  const close = indent === '' ? '' : `\n${indent.repeat(depth)}`;
  const colon = indent === '' ? ':' : ': ';
  if (Array.isArray(v)) {
    if (v.length === 0) return '[]';
    return `[${v.map((x) => nl + goJson(x, indent, depth + 1)).join(',')}${close}]`;
  }
  if (isPlainObject(v)) {
    // the record's own key order is kept; other maps are sorted, as Go sorts map keys
    const keys = ORDERED.has(v) ? Object.keys(v) : Object.keys(v).sort();
    if (keys.length === 0) return '{}';
    return `{${keys.map((k) => `${nl}${JSON.stringify(k)}${colon}${goJson(v[k], indent, depth + 1)}`).join(',')}${close}}`;
  }
  return JSON.stringify(otherText(v));
}
