/**
 * The functions a template may call: Go's builtins (and, or, not, len, index, eq…, print,
 * printf, println) and stern's (color, levelColor, json, parseJSON, toRFC3339Nano, toTimestamp…).
 * Plain functions of values; none of them reads a file, the network or the environment.
 */
import { formatLayout, GoTime, parseInstant, resolveZone, RFC3339_NANO, UTC, type Instant, type Zone } from '../timefmt.js';
import { Color, ExecError, goJson, isStringMap, MAX_LINE_OUTPUT, show, tooLong, truthy, typeName } from './values.js';

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

function text(v: unknown, what: string): string {
  if (typeof v === 'string') return v;
  throw new ExecError(`wrong type for value; expected string; got ${typeName(v)} (${what})`);
}

function parseObject(textValue: string): Record<string, unknown> {
  const value = JSON.parse(textValue) as unknown;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new Error(
      `json: cannot unmarshal ${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value} into Go value of type map[string]interface {}`,
    );
  }
  return value as Record<string, unknown>;
}

function tryParseObject(textValue: unknown): Record<string, unknown> | null {
  if (typeof textValue !== 'string') return null;
  const s = textValue.trimStart();
  if (s[0] !== '{') return null;
  try {
    return parseObject(s);
  } catch {
    return null;
  }
}

function isValidJson(s: string): boolean {
  try {
    JSON.parse(s);
    return true;
  } catch {
    return false;
  }
}

const ZERO_TIME: Instant = { sec: -62135596800, nsec: 0 };

function instantOf(v: unknown): Instant {
  const t = parseInstant(v);
  if (t === undefined) throw new ExecError(`unable to parse ${JSON.stringify(show(v))} as a time`);
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

function compare(a: unknown, b: unknown, name: string): number {
  if (typeof a === 'number' && typeof b === 'number') return a < b ? -1 : a > b ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  throw new ExecError(`error calling ${name}: incompatible types for comparison (${typeName(a)} and ${typeName(b)})`);
}

function equal(a: unknown, b: unknown): boolean {
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  return a === b;
}

/** fmt.Sprint: a space between operands when neither is a string. */
function sprint(args: unknown[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0 && typeof args[i] !== 'string' && typeof args[i - 1] !== 'string') out += ' ';
    out += show(args[i]);
  }
  return out;
}

function goExponent(s: string): string {
  // JS 1.5e+6 → Go 1.5e+06
  return s.replace(/e([+-])(\d)$/, 'e$10$2');
}

const VERB = /%([-+# 0]*)(\d+)?(?:\.(\d+))?([a-zA-Z%])/g;

/** fmt.Sprintf for the verbs templates use: %v %s %q %d %f %e %g %t %x %X %c %T %%. */
function sprintf(format: string, args: unknown[]): string {
  let next = 0;
  const out = format.replace(VERB, (_m, flags: string, width: string | undefined, precision: string | undefined, verb: string) => {
    if (verb === '%') return '%';
    if (next >= args.length) return `%!${verb}(MISSING)`;
    const arg = args[next++];
    const prec = precision === undefined ? undefined : Number(precision);
    let s: string;
    switch (verb) {
      case 'v':
      case 's':
        s = show(arg);
        if (prec !== undefined) s = s.slice(0, prec);
        break;
      case 'q':
        s = JSON.stringify(show(arg));
        break;
      case 'd':
        if (typeof arg !== 'number') return `%!d(${typeName(arg)}=${show(arg)})`;
        s = String(Math.trunc(arg));
        break;
      case 'f':
      case 'F':
        if (typeof arg !== 'number') return `%!${verb}(${typeName(arg)}=${show(arg)})`;
        s = arg.toFixed(prec ?? 6);
        break;
      case 'e':
      case 'E':
        if (typeof arg !== 'number') return `%!${verb}(${typeName(arg)}=${show(arg)})`;
        s = goExponent(arg.toExponential(prec ?? 6));
        if (verb === 'E') s = s.toUpperCase();
        break;
      case 'g':
      case 'G':
        if (typeof arg !== 'number') return `%!${verb}(${typeName(arg)}=${show(arg)})`;
        s = prec === undefined ? String(arg) : goExponent(arg.toPrecision(prec));
        break;
      case 't':
        s = typeof arg === 'boolean' ? String(arg) : `%!t(${typeName(arg)}=${show(arg)})`;
        break;
      case 'x':
      case 'X':
        s = typeof arg === 'number' ? Math.trunc(arg).toString(16) : Buffer.from(show(arg)).toString('hex');
        if (verb === 'X') s = s.toUpperCase();
        break;
      case 'c':
        s = typeof arg === 'number' ? String.fromCodePoint(arg) : `%!c(${typeName(arg)}=${show(arg)})`;
        break;
      case 'T':
        s = typeName(arg);
        break;
      default:
        return `%!${verb}(${typeName(arg)}=${show(arg)})`;
    }
    if (flags.includes('+') && typeof arg === 'number' && arg >= 0 && 'dfeEgG'.includes(verb)) s = `+${s}`;
    const w = width === undefined ? 0 : Number(width);
    if (w > MAX_LINE_OUTPUT) throw tooLong(`the width ${width}`);
    if (s.length < w) {
      if (flags.includes('-')) s = s.padEnd(w, ' ');
      else if (flags.includes('0') && typeof arg === 'number')
        s = s.startsWith('-') ? `-${s.slice(1).padStart(w - 1, '0')}` : s.padStart(w, '0');
      else s = s.padStart(w, ' ');
    }
    return s;
  });
  if (next < args.length) {
    return `${out}%!(EXTRA ${args
      .slice(next)
      .map((a) => `${typeName(a)}=${show(a)}`)
      .join(', ')})`;
  }
  return out;
}

function jsonParts(obj: Record<string, unknown>, keys: unknown[]): string {
  return keys
    .map((k) => {
      const v = obj[show(k)];
      return v === undefined || v === null ? '<nil>' : show(v);
    })
    .join(', ');
}

function lenOf(v: unknown): number {
  if (typeof v === 'string') return Buffer.byteLength(v);
  if (Array.isArray(v)) return v.length;
  if (typeof v === 'object' && v !== null && !(v instanceof Color) && !(v instanceof GoTime)) return Object.keys(v).length;
  throw new ExecError(`error calling len: len of type ${typeName(v)}`);
}

function indexOf(v: unknown, keys: unknown[]): unknown {
  let cur = v;
  for (const k of keys) {
    if (Array.isArray(cur)) {
      if (typeof k !== 'number' || !Number.isInteger(k))
        throw new ExecError(`error calling index: cannot index slice/array with type ${typeName(k)}`);
      if (k < 0 || k >= cur.length) throw new ExecError(`error calling index: index out of range: ${k}`);
      cur = cur[k];
    } else if (typeof cur === 'object' && cur !== null && !(cur instanceof Color) && !(cur instanceof GoTime)) {
      const key = show(k);
      const map = cur as Record<string, unknown>;
      cur = Object.prototype.hasOwnProperty.call(map, key) ? map[key] : isStringMap(map) ? '' : undefined;
    } else if (cur === undefined || cur === null) {
      throw new ExecError('error calling index: index of untyped nil');
    } else {
      throw new ExecError(`error calling index: can't index item of type ${typeName(cur)}`);
    }
  }
  return cur;
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
    eq: fn(2, Infinity, (_e, [x, ...others]) => others.some((o) => equal(x, o))),
    ne: fn(2, 2, (_e, [x, y]) => !equal(x, y)),
    lt: fn(2, 2, (_e, [x, y]) => compare(x, y, 'lt') < 0),
    le: fn(2, 2, (_e, [x, y]) => compare(x, y, 'le') <= 0),
    gt: fn(2, 2, (_e, [x, y]) => compare(x, y, 'gt') > 0),
    ge: fn(2, 2, (_e, [x, y]) => compare(x, y, 'ge') >= 0),
    print: fn(0, Infinity, (_e, a) => sprint(a)),
    println: fn(0, Infinity, (_e, a) => `${a.map(show).join(' ')}\n`),
    printf: fn(1, Infinity, (_e, [f, ...a]) => sprintf(text(f, 'printf format'), a)),

    // stern's
    json: fn(1, 1, (_e, [x]) => goJson(x)),
    parseJSON: fn(1, 1, (_e, [x]) => parseObject(text(x, 'parseJSON'))),
    tryParseJSON: fn(1, 1, (_e, [x]) => tryParseObject(x)),
    extractJSONParts: fn(1, Infinity, (_e, [x, ...keys]) => jsonParts(parseObject(text(x, 'extractJSONParts')), keys)),
    tryExtractJSONParts: fn(1, Infinity, (_e, [x, ...keys]) => {
      const obj = tryParseObject(x);
      return obj === null ? show(x) : jsonParts(obj, keys);
    }),
    extjson: fn(1, 1, (_e, [x]) => {
      const s = text(x, 'extjson');
      return isValidJson(s) ? s.replace(/\n$/, '') : JSON.stringify(s);
    }),
    prettyJSON: fn(1, 1, (_e, [x]) => {
      if (typeof x === 'string') {
        const obj = tryParseObject(x);
        return obj === null ? x : goJson(obj, '  ');
      }
      if (typeof x === 'object' && x !== null && !Array.isArray(x) && !(x instanceof Color) && !(x instanceof GoTime))
        return goJson(x, '  ');
      return show(x);
    }),
    toRFC3339Nano: fn(1, 1, (e, [x]) => formatLayout(parseInstant(x) ?? ZERO_TIME, RFC3339_NANO, e.zone)),
    toUTC: fn(1, 1, (_e, [x]) => new GoTime(parseInstant(x) ?? ZERO_TIME, UTC)),
    toTimestamp: fn(2, 3, (e, [x, layout, tz]) => {
      let zone = e.timestampZone;
      if (tz !== undefined) {
        try {
          zone = resolveZone(text(tz, 'toTimestamp zone'));
        } catch (err) {
          throw new ExecError(`error calling toTimestamp: ${(err as Error).message}`);
        }
      }
      return formatLayout(instantOf(x), text(layout, 'toTimestamp layout'), zone);
    }),
    color: fn(2, 2, (e, [c, x]) => {
      if (!(c instanceof Color)) throw new ExecError(`error calling color: expected a colour such as .PodColor, got ${typeName(c)}`);
      return c.paint(show(x), e.color);
    }),
    levelColor: fn(1, 1, (e, [x]) => {
      if (typeof x !== 'string') return '';
      const c = LEVEL_COLORS[x.toLowerCase()];
      return c === undefined ? x : c.paint(x, e.color);
    }),
    bunyanLevelColor: fn(1, 1, (e, [x]) => {
      if (typeof x !== 'number') return '';
      const level = Math.trunc(x);
      const c = bunyanColor(level);
      return c === undefined ? String(level) : c.paint(String(level), e.color);
    }),
    ...Object.fromEntries(
      Object.entries(BASIC_COLORS).map(([name, c]) => [
        name,
        fn(1, Infinity, (e, [f, ...a]) => c.paint(a.length === 0 ? show(f) : sprintf(show(f), a), e.color)),
      ]),
    ),
  }),
);
