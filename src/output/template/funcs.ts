/**
 * The functions a template may call: Go's builtins (and, or, not, len, index, slice, eq…, print,
 * printf, println, html, js, urlquery, call) and stern's (color, colorCustom, levelColor, json,
 * parseJSON, toRFC3339Nano, toTimestamp…), each with Go's types and error texts.
 * Plain functions of values; none of them reads a file, the network or the environment.
 */
import { formatLayout, GoTime, parseInstant, resolveZone, RFC3339_NANO, UTC, type Instant, type Zone } from '../timefmt.js';
import { isPrint, sprint, sprintf, sprintln } from './gofmt.js';
import { decodeObjectUseNumber, goQuote, isValidJson, unmarshalObject } from './gojson.js';
import { GoFloat, JsonNumber } from './numbers.js';
import { Color, ExecError, goJson, isGoNil, isMap, isStringMap, leafText, nilMap, sgrWrap, truthy, typeName } from './values.js';

/** What a running template knows besides the line: colour on or off, and the display zone. */
export interface TemplateEnv {
  readonly color: boolean;
  /** zone for toRFC3339Nano (--timezone, else local) */
  readonly zone: Zone;
  /** zone for toTimestamp without its third argument (--timezone, else UTC as in stern) */
  readonly timestampZone: Zone;
}

export interface FuncSpec {
  /** fewest and most arguments (Infinity: variadic) */
  readonly min: number;
  readonly max: number;
  readonly call: (env: TemplateEnv, args: unknown[]) => unknown;
}

const fn = (min: number, max: number, call: FuncSpec['call']): FuncSpec => ({ min, max, call });

/** A string argument: Go converts nothing, so anything else is the error text/template gives. */
function text(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v === undefined || v === null) throw new ExecError('invalid value; expected string');
  throw new ExecError(`wrong type for value; expected string; got ${typeName(v)}`);
}

/** The text of a string kind: a string, or a json.Number (Go's len, index and slice take both). */
const stringKind = (v: string | JsonNumber): string => (typeof v === 'string' ? v : v.text);

/** An int argument (slice indexes, colour attributes): template integer constants and len. */
function int(v: unknown, expected: string): number {
  if (typeof v === 'number') return v;
  if (v === undefined || v === null) throw new ExecError(`invalid value; expected ${expected}`);
  throw new ExecError(`wrong type for value; expected ${expected}; got ${typeName(v)}`);
}

/** stern's tryParseJSON: the first JSON value of the text, numbers as json.Number; a nil map when it is no object. */
function tryParseObject(v: unknown): Record<string, unknown> {
  return decodeObjectUseNumber(text(v)) ?? nilMap(false);
}

const ZERO_TIME: Instant = { sec: -62135596800, nsec: 0 };
const ZERO_TEXT = '0001-01-01T00:00:00Z';

const OFFSET = /(?:[Zz]|([+-])(\d{2}):?(\d{2}))$/;

/**
 * The zone a time text carries, as Go's parse keeps it: its own offset, UTC when it has none
 * (spf13/cast's default). Undefined for Unix seconds, which Go puts in the local zone.
 */
function textZone(v: unknown): Zone | undefined {
  if (typeof v !== 'string' || /^\s*-?\d+(?:\.\d+)?\s*$/.test(v)) return undefined;
  const m = OFFSET.exec(v.trim());
  if (m === null || m[1] === undefined) return UTC;
  const seconds = (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 3600 + Number(m[3]) * 60);
  return { name: '', offsetSeconds: () => seconds };
}

/**
 * What stern's toTime reads (spf13/cast): a time, a text (Unix seconds, or a date and time), an
 * int or a json.Number as Unix seconds. A float64 (parseJSON's numbers) is none of them.
 */
function timeInput(v: unknown): unknown {
  if (v instanceof GoFloat) return undefined;
  if (v instanceof JsonNumber) return v.text;
  return v;
}

function instantOf(v: unknown): Instant {
  if (isNil(v)) return ZERO_TIME;
  const t = parseInstant(timeInput(v));
  if (t === undefined) {
    throw new Error(
      typeof v === 'string' ? `unable to parse date: ${v}` : `unable to cast ${leafText(v)} of type ${typeName(v)} to time.Time`,
    );
  }
  return t;
}

const sgr = (code: string): Color => new Color(code);
const BASIC_COLORS: Record<string, Color> = {
  colorBlack: sgr('30'),
  colorRed: sgr('31'),
  colorGreen: sgr('32'),
  colorYellow: sgr('33'),
  colorBlue: sgr('34'),
  colorMagenta: sgr('35'),
  colorCyan: sgr('36'),
  colorWhite: sgr('37'),
};

// stern's levelColor: debug magenta, info blue, warn yellow, error red, fatal cyan
const LEVEL_COLORS: Record<string, Color> = {
  debug: BASIC_COLORS.colorMagenta!,
  info: BASIC_COLORS.colorBlue!,
  warn: BASIC_COLORS.colorYellow!,
  warning: BASIC_COLORS.colorYellow!,
  error: BASIC_COLORS.colorRed!,
  dpanic: BASIC_COLORS.colorRed!,
  panic: BASIC_COLORS.colorRed!,
  fatal: BASIC_COLORS.colorCyan!,
  critical: BASIC_COLORS.colorCyan!,
};

function bunyanColor(level: number): Color | undefined {
  if (level < 30) return BASIC_COLORS.colorMagenta;
  if (level < 40) return BASIC_COLORS.colorBlue;
  if (level < 50) return BASIC_COLORS.colorYellow;
  if (level < 60) return BASIC_COLORS.colorRed;
  if (level < 100) return BASIC_COLORS.colorCyan;
  return undefined;
}

type Kind = 'bool' | 'int' | 'float' | 'string' | 'invalid';

/** text/template's basicKind: json.Number is a string kind, maps and slices none. */
function basicKind(v: unknown): Kind {
  if (typeof v === 'boolean') return 'bool';
  if (typeof v === 'number') return 'int';
  if (v instanceof GoFloat) return 'float';
  if (typeof v === 'string' || v instanceof JsonNumber) return 'string';
  return 'invalid';
}

function scalar(v: unknown): number | string | boolean {
  if (v instanceof GoFloat) return v.value;
  if (v instanceof JsonNumber) return v.text;
  return v as number | string | boolean;
}

const isNil = (v: unknown): boolean => v === undefined || v === null;

/** text/template's eq for one pair. */
function equal(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 !== k2) {
    if (!isNil(a) && !isNil(b)) throw new Error(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
    return false;
  }
  if (k1 !== 'invalid') return scalar(a) === scalar(b);
  if (isGoNil(a) || isGoNil(b)) return isGoNil(a) === isGoNil(b);
  const sameKind = Array.isArray(a) === Array.isArray(b) && isMap(a) === isMap(b);
  if (!sameKind) throw new Error(`non-comparable types ${leafText(a)}: ${typeName(a)}, ${typeName(b)}: ${leafText(b)}`);
  if (Array.isArray(b) || isMap(b)) throw new Error(`non-comparable type ${leafText(b)}: ${typeName(b)}`);
  return a === b;
}

/** text/template's lt. */
function less(a: unknown, b: unknown): boolean {
  const k1 = basicKind(a);
  const k2 = basicKind(b);
  if (k1 === 'invalid' || k2 === 'invalid') throw new Error('invalid type for comparison');
  if (k1 !== k2) throw new Error(`incompatible types for comparison: ${typeName(a)} and ${typeName(b)}`);
  if (k1 === 'bool') throw new Error('invalid type for comparison');
  return scalar(a) < scalar(b);
}

/** extractJSONParts: each key's value as %v prints it, joined by ", ". */
function jsonParts(obj: Record<string, unknown>, keys: unknown[]): string {
  return keys
    .map((k) => {
      const key = text(k);
      return leafText(Object.prototype.hasOwnProperty.call(obj, key) ? obj[key] : undefined);
    })
    .join(', ');
}

function lenOf(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (v instanceof JsonNumber) return Buffer.byteLength(v.text);
  if (Array.isArray(v)) return v.length;
  if (isMap(v)) return Object.keys(v).length;
  if (isNil(v)) throw new Error('len of nil pointer');
  throw new Error(`len of type ${typeName(v)}`);
}

function indexArg(k: unknown, cap: number): number {
  if (typeof k !== 'number')
    throw new Error(isNil(k) ? 'cannot index slice/array with nil' : `cannot index slice/array with type ${typeName(k)}`);
  if (k < 0 || k > cap) throw new Error(`index out of range: ${k}`);
  return k;
}

function indexOf(v: unknown, keys: unknown[]): unknown {
  let cur = v;
  for (const k of keys) {
    if (Array.isArray(cur)) {
      const i = indexArg(k, cur.length);
      if (i === cur.length) throw new Error(`index out of range: ${i}`);
      cur = cur[i];
    } else if (typeof cur === 'string' || cur instanceof JsonNumber) {
      const bytes = Buffer.from(stringKind(cur));
      const i = indexArg(k, bytes.length);
      if (i === bytes.length) throw new Error(`index out of range: ${i}`);
      cur = bytes[i]!;
    } else if (isMap(cur)) {
      if (typeof k !== 'string') {
        throw new Error(isNil(k) ? 'value is nil; should be of type string' : `value has type ${typeName(k)}; should be string`);
      }
      cur = Object.prototype.hasOwnProperty.call(cur, k) ? cur[k] : isStringMap(cur) ? '' : null;
    } else if (isNil(cur)) {
      throw new Error('index of untyped nil');
    } else {
      throw new Error(`can't index item of type ${typeName(cur)}`);
    }
  }
  return cur;
}

/** Go's slice builtin: x[i:j] of a string (by bytes) or a slice, x[i:j:k] of a slice only. */
function sliceOf(v: unknown, indexes: unknown[]): unknown {
  if (isNil(v)) throw new Error('slice of untyped nil');
  if (indexes.length > 3) throw new Error(`too many slice indexes: ${indexes.length}`);
  let len: number;
  if (typeof v === 'string' || v instanceof JsonNumber) {
    if (indexes.length === 3) throw new Error('cannot 3-index slice a string');
    len = Buffer.byteLength(stringKind(v));
  } else if (Array.isArray(v)) {
    len = v.length;
  } else {
    throw new Error(`can't slice item of type ${typeName(v)}`);
  }
  const idx = [0, len, len];
  indexes.forEach((k, i) => (idx[i] = indexArg(k, len)));
  if (idx[0]! > idx[1]!) throw new Error(`invalid slice index: ${idx[0]} > ${idx[1]}`);
  if (indexes.length === 3 && idx[1]! > idx[2]!) throw new Error(`invalid slice index: ${idx[1]} > ${idx[2]}`);
  if (Array.isArray(v)) return v.slice(idx[0], idx[1]);
  const bytes = Buffer.from(stringKind(v)).subarray(idx[0], idx[1]);
  const s = bytes.toString('utf8');
  return v instanceof JsonNumber ? new JsonNumber(s) : s;
}

/** text/template's evalArgs: one string as it is, else fmt.Sprint of the values (a nil is `<no value>`). */
function argsText(args: readonly unknown[]): string {
  if (args.length === 1 && typeof args[0] === 'string') return args[0];
  return sprint(args.map((a) => (isNil(a) ? '<no value>' : a)));
}

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '\0': '\uFFFD',
  '"': '&#34;',
  "'": '&#39;',
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
};

function htmlEscape(s: string): string {
  return s.replace(/[\0"'&<>]/g, (c) => HTML_ESCAPES[c]!);
}

const JS_ESCAPES: Readonly<Record<string, string>> = {
  '\\': '\\\\',
  "'": "\\'",
  '"': '\\"',
  '<': '\\u003C',
  '>': '\\u003E',
  '&': '\\u0026',
  '=': '\\u003D',
};

/** template.JSEscapeString: quotes, <>&= and controls as \\uXXXX; Unicode that does not print too. */
function jsEscape(s: string): string {
  let out = '';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    const known = JS_ESCAPES[ch];
    if (known !== undefined) out += known;
    else if (cp < 0x20) out += `\\u00${cp.toString(16).toUpperCase().padStart(2, '0')}`;
    else if (cp < 0x80 || isPrint(ch)) out += ch;
    else out += `\\u${cp.toString(16).toUpperCase().padStart(4, '0')}`;
  }
  return out;
}

/** url.QueryEscape: letters, digits and -_.~ as they are, space as +, every other byte %XX. */
function queryEscape(s: string): string {
  return encodeURIComponent(s)
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)
    .replace(/%20/g, '+');
}

/** Every function a template may call, by name. `and`/`or` are evaluated lazily by the compiler. */
// a Map, not an object: `constructor`, `toString`, `__proto__` are no functions of a template
export const FUNCS: ReadonlyMap<string, FuncSpec> = new Map(
  Object.entries({
    // Go's builtins
    and: fn(1, Infinity, (_e, a) => a.find((x) => !truthy(x)) ?? a[a.length - 1]),
    or: fn(1, Infinity, (_e, a) => a.find((x) => truthy(x)) ?? a[a.length - 1]),
    not: fn(1, 1, (_e, [x]) => !truthy(x)),
    len: fn(1, 1, (_e, [x]) => lenOf(x)),
    index: fn(1, Infinity, (_e, [x, ...keys]) => indexOf(x, keys)),
    slice: fn(1, Infinity, (_e, [x, ...indexes]) => sliceOf(x, indexes)),
    eq: fn(1, Infinity, (_e, [x, ...others]) => {
      if (others.length === 0) throw new Error('missing argument for comparison');
      return others.some((o) => equal(x, o));
    }),
    ne: fn(2, 2, (_e, [x, y]) => !equal(x, y)),
    lt: fn(2, 2, (_e, [x, y]) => less(x, y)),
    le: fn(2, 2, (_e, [x, y]) => less(x, y) || equal(x, y)),
    gt: fn(2, 2, (_e, [x, y]) => !(less(x, y) || equal(x, y))),
    ge: fn(2, 2, (_e, [x, y]) => !less(x, y)),
    print: fn(0, Infinity, (_e, a) => sprint(a)),
    println: fn(0, Infinity, (_e, a) => sprintln(a)),
    printf: fn(1, Infinity, (_e, [f, ...a]) => sprintf(text(f), a)),
    html: fn(0, Infinity, (_e, a) => htmlEscape(argsText(a))),
    js: fn(0, Infinity, (_e, a) => jsEscape(argsText(a))),
    urlquery: fn(0, Infinity, (_e, a) => queryEscape(argsText(a))),
    // no value a template can reach is a function (a line's fields, JSON, labels): call always fails, as Go's would
    call: fn(1, Infinity, (_e, [f]) => {
      throw new Error(isNil(f) ? 'call of nil' : `non-function of type ${typeName(f)}`);
    }),

    // stern's
    json: fn(1, 1, (_e, [x]) => goJson(x)),
    parseJSON: fn(1, 1, (_e, [x]) => unmarshalObject(text(x))),
    tryParseJSON: fn(1, 1, (_e, [x]) => tryParseObject(x)),
    extractJSONParts: fn(1, Infinity, (_e, [x, ...keys]) => jsonParts(unmarshalObject(text(x)), keys)),
    tryExtractJSONParts: fn(1, Infinity, (_e, [x, ...keys]) => {
      const s = text(x);
      let obj: Record<string, unknown>;
      try {
        obj = unmarshalObject(s);
      } catch {
        return s;
      }
      return jsonParts(obj, keys);
    }),
    extjson: fn(1, 1, (_e, [x]) => {
      const s = text(x);
      return isValidJson(s) ? s.replace(/\n$/, '') : goQuote(s);
    }),
    prettyJSON: fn(1, 1, (_e, [x]) => {
      if (typeof x === 'string') {
        let obj: Record<string, unknown> | null;
        try {
          obj = x.trim() === 'null' ? null : unmarshalObject(x);
        } catch {
          return x;
        }
        return goJson(obj, '  ');
      }
      // map[string]any (parseJSON, tryParseJSON); labels are map[string]string and print as %v
      if (isMap(x) && !isStringMap(x)) return goJson(x, '  ');
      return leafText(x);
    }),
    toRFC3339Nano: fn(1, 1, (e, [x]) => {
      const t = parseInstant(timeInput(x));
      return t === undefined ? ZERO_TEXT : formatLayout(t, RFC3339_NANO, textZone(x) ?? e.zone);
    }),
    toUTC: fn(1, 1, (_e, [x]) => new GoTime(parseInstant(timeInput(x)) ?? ZERO_TIME, UTC)),
    toTimestamp: fn(2, 3, (e, [x, layout, tz]) => {
      let zone = e.timestampZone;
      if (tz !== undefined) {
        try {
          zone = resolveZone(text(tz));
        } catch (err) {
          throw new ExecError(`error calling toTimestamp: ${(err as Error).message}`);
        }
      }
      return formatLayout(instantOf(x), text(layout), zone);
    }),
    color: fn(2, 2, (e, [c, x]) => {
      if (!(c instanceof Color)) throw new ExecError(`wrong type for value; expected color.Color; got ${typeName(c)}`);
      return c.paint(text(x), e.color);
    }),
    colorCustom: fn(1, Infinity, (e, [x, ...attrs]) => {
      const s = text(x);
      const codes = attrs.map((a) => int(a, 'color.Attribute'));
      return e.color ? sgrWrap(codes.join(';'), s) : s;
    }),
    levelColor: fn(1, 1, (e, [x]) => {
      if (typeof x !== 'string') return '';
      const c = LEVEL_COLORS[x.toLowerCase()];
      return c === undefined ? x : c.paint(x, e.color);
    }),
    bunyanLevelColor: fn(1, 1, (e, [x]) => {
      let level: number;
      if (x instanceof GoFloat) level = Math.trunc(x.value);
      else if (x instanceof JsonNumber && /^-?\d+$/.test(x.text)) level = Number(x.text);
      else return '';
      const c = bunyanColor(level);
      return c === undefined ? String(level) : c.paint(String(level), e.color);
    }),
    ...Object.fromEntries(
      Object.entries(BASIC_COLORS).map(([name, c]) => [
        name,
        // fatih/color's RedString(format, a...): the format alone, or Sprintf of it
        fn(1, Infinity, (e, [f, ...a]) => c.paint(a.length === 0 ? text(f) : sprintf(text(f), a), e.color)),
      ]),
    ),
  }),
);
