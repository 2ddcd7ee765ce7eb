/**
 * Go's fmt for template values: Sprint, Sprintln, Sprintf with the verbs, flags, width and
 * precision templates use, and the `%!verb(type=value)` text Go writes for a wrong one. Numbers
 * follow Go's types: a plain number is an int, a GoFloat a float64 (`%v` of 1e6 is `1e+06`), a
 * JsonNumber a string.
 */
import { formatFloatV, goExp, GoFloat, JsonNumber } from './numbers.js';
import { leafText, MAX_LINE_OUTPUT, showMapEntries, tooLong, typeName } from './values.js';

/**
 * JS rounds a tie away from zero (2.5 → "3"), Go to even (2.5 → "2"). A tie is exact in binary
 * only, so the value's longer expansion shows it: a 5 and nothing but zeros after the digits kept.
 */
function toEven(rounded: string, longer: string, keep: number, tail: number): string {
  const rest = longer.slice(keep, keep + tail + 1);
  if (!/^50*$/.test(rest)) return rounded;
  const truncated = longer.slice(0, keep);
  const last = truncated.replace(/\D/g, '').slice(-1);
  return Number(last) % 2 === 0 ? truncated.replace(/\.$/, '') : rounded;
}

const EXTRA = 60;

/** toFixed with Go's rounding of ties. */
function fixed(f: number, prec: number): string {
  const p = Math.min(prec, 100 - EXTRA);
  const rounded = f.toFixed(p);
  const longer = f.toFixed(p + EXTRA);
  return toEven(rounded, longer, longer.length - EXTRA, EXTRA - 1);
}

/** toExponential with Go's rounding of ties: [digits with a point, exponent]. */
function exponential(f: number, prec: number): [string, number] {
  const p = Math.min(prec, 100 - EXTRA);
  const [m, e] = f.toExponential(p).split('e') as [string, string];
  const [lm, le] = f.toExponential(p + EXTRA).split('e') as [string, string];
  // a tie rounds down only where the exponent stays the same
  const mantissa = le === e ? toEven(m, lm, lm.length - EXTRA, EXTRA - 1) : m;
  return [mantissa, Number(e)];
}

/** %e with a precision: mantissa digits and a two-digit (at least) exponent. */
function formatE(f: number, prec: number): string {
  if (!Number.isFinite(f)) return formatFloatV(f);
  const [mantissa, exp] = exponential(f, prec);
  return `${mantissa}e${goExp(exp)}`;
}

/** %g: shortest (no precision) or `prec` significant digits, trailing zeros dropped. */
function formatG(f: number, prec: number | undefined): string {
  if (!Number.isFinite(f) || f === 0) return formatFloatV(f);
  let digits: string;
  let exp: number;
  if (prec === undefined) {
    const [m, e] = f.toExponential().split('e') as [string, string];
    digits = m.replace('-', '').replace('.', '');
    exp = Number(e);
  } else {
    const p = Math.max(prec, 1);
    const [m, e] = exponential(f, p - 1);
    digits = m.replace('-', '').replace('.', '').replace(/0+$/, '') || '0';
    exp = e;
  }
  const nd = digits.length;
  let eprec = prec === undefined ? 6 : Math.max(prec, 1);
  if (prec !== undefined && eprec > nd && nd >= exp + 1) eprec = nd;
  const sign = f < 0 ? '-' : '';
  if (exp < -4 || exp >= eprec) return `${sign}${digits[0]}${nd > 1 ? `.${digits.slice(1)}` : ''}e${goExp(exp)}`;
  if (exp < 0) return `${sign}0.${'0'.repeat(-exp - 1)}${digits}`;
  if (nd <= exp + 1) return `${sign}${digits}${'0'.repeat(exp + 1 - nd)}`;
  return `${sign}${digits.slice(0, exp + 1)}.${digits.slice(exp + 1)}`;
}

/** strconv.Quote: Go's escapes, printable Unicode kept (QuoteToASCII, for %+q: escaped too). */
function goQuoteString(s: string, ascii = false): string {
  let out = '"';
  for (const ch of s) {
    const cp = ch.codePointAt(0)!;
    switch (ch) {
      case '"':
        out += '\\"';
        continue;
      case '\\':
        out += '\\\\';
        continue;
      case '\x07':
        out += '\\a';
        continue;
      case '\b':
        out += '\\b';
        continue;
      case '\f':
        out += '\\f';
        continue;
      case '\n':
        out += '\\n';
        continue;
      case '\r':
        out += '\\r';
        continue;
      case '\t':
        out += '\\t';
        continue;
      case '\v':
        out += '\\v';
        continue;
    }
    if (isPrint(ch) && !(ascii && cp >= 0x80)) out += ch;
    else if (cp < 0x80) out += `\\x${cp.toString(16).padStart(2, '0')}`;
    else if (cp < 0x10000) out += `\\u${cp.toString(16).padStart(4, '0')}`;
    else out += `\\U${cp.toString(16).padStart(8, '0')}`;
  }
  return `${out}"`;
}

const PRINTABLE = /^[\p{L}\p{M}\p{N}\p{P}\p{S} ]$/u;

/** unicode.IsPrint: letters, marks, numbers, punctuation, symbols and the ASCII space. */
export function isPrint(ch: string): boolean {
  return PRINTABLE.test(ch);
}

const isStringKind = (v: unknown): boolean => typeof v === 'string' || v instanceof JsonNumber;

/** fmt.Sprint: operands side by side, a space between two when neither is a string. */
export function sprint(args: readonly unknown[]): string {
  let out = '';
  for (let i = 0; i < args.length; i++) {
    if (i > 0 && !isStringKind(args[i]) && !isStringKind(args[i - 1])) out += ' ';
    out += leafText(args[i]);
  }
  return out;
}

/** fmt.Sprintln: a space between every two operands, and a newline. */
export function sprintln(args: readonly unknown[]): string {
  return `${args.map(leafText).join(' ')}\n`;
}

interface Spec {
  readonly minus: boolean;
  readonly plus: boolean;
  readonly sharp: boolean;
  readonly space: boolean;
  readonly zero: boolean;
  readonly width: number | undefined;
  readonly prec: number | undefined;
  readonly verb: string;
}

const bad = (verb: string, v: unknown): string =>
  v === undefined || v === null ? `%!${verb}(<nil>)` : `%!${verb}(${typeName(v)}=${leafText(v)})`;

function pad(s: string, spec: Spec, numeric: boolean): string {
  const w = spec.width;
  if (w === undefined || [...s].length >= w) return s;
  const fill = w - [...s].length;
  if (spec.minus) return s + ' '.repeat(fill);
  if (spec.zero) {
    // zeros go after a sign
    if (numeric && (s.startsWith('-') || s.startsWith('+') || s.startsWith(' '))) return s.charAt(0) + '0'.repeat(fill) + s.slice(1);
    return '0'.repeat(fill) + s;
  }
  return ' '.repeat(fill) + s;
}

function signed(s: string, negative: boolean, spec: Spec): string {
  if (negative) return s;
  if (spec.plus) return `+${s}`;
  if (spec.space) return ` ${s}`;
  return s;
}

function integer(n: number, spec: Spec): string {
  let s: string;
  const neg = n < 0;
  const abs = Math.abs(n);
  switch (spec.verb) {
    case 'd':
    case 'v':
      s = String(abs);
      break;
    case 'b':
      s = abs.toString(2);
      break;
    case 'o':
      s = (spec.sharp ? '0' : '') + abs.toString(8);
      break;
    case 'O':
      s = `0o${abs.toString(8)}`;
      break;
    case 'x':
      s = (spec.sharp ? '0x' : '') + abs.toString(16);
      break;
    case 'X':
      s = (spec.sharp ? '0X' : '') + abs.toString(16).toUpperCase();
      break;
    case 'c':
      return pad(String.fromCodePoint(n), spec, false);
    case 'q':
      return pad(`'${String.fromCodePoint(n)}'`, spec, false);
    case 'U':
      return pad(`U+${abs.toString(16).toUpperCase().padStart(4, '0')}`, spec, false);
    default:
      return bad(spec.verb, n);
  }
  if (spec.prec !== undefined) s = s.padStart(spec.prec, '0');
  return pad(signed(neg ? `-${s}` : s, neg, spec), spec, true);
}

function float(f: number, spec: Spec): string {
  let s: string;
  switch (spec.verb) {
    case 'v':
    case 'g':
      s = formatG(f, spec.prec);
      break;
    case 'G':
      s = formatG(f, spec.prec).toUpperCase();
      break;
    case 'e':
      s = formatE(f, spec.prec ?? 6);
      break;
    case 'E':
      s = formatE(f, spec.prec ?? 6).toUpperCase();
      break;
    case 'f':
    case 'F':
      s = Number.isFinite(f) ? fixed(f, spec.prec ?? 6) : formatFloatV(f);
      break;
    default:
      return bad(spec.verb, new GoFloat(f));
  }
  if (s === '+Inf' && !spec.plus) s = spec.space ? ' Inf' : '+Inf';
  return pad(signed(s, s.startsWith('-') || s.startsWith('+'), spec), spec, Number.isFinite(f));
}

function text(s: string, spec: Spec, v: unknown): string {
  switch (spec.verb) {
    case 'v':
    case 's':
      return pad(spec.prec === undefined ? s : [...s].slice(0, spec.prec).join(''), spec, false);
    case 'q':
      return pad(goQuoteString(s, spec.plus), spec, false);
    case 'x':
    case 'X': {
      let h = Buffer.from(s).toString('hex');
      if (spec.verb === 'X') h = h.toUpperCase();
      return pad(h, spec, false);
    }
    default:
      return bad(spec.verb, v);
  }
}

/** One operand under one verb; slices and maps apply it to each element, as fmt does (a nil in them is `<nil>`). */
function formatOne(v: unknown, spec: Spec, nested = false): string {
  if (spec.verb === 'T') return pad(typeName(v), spec, false);
  if (v === undefined || v === null) return spec.verb === 'v' || nested ? pad('<nil>', spec, false) : bad(spec.verb, v);
  if (typeof v === 'number') return integer(v, spec);
  if (v instanceof GoFloat) return float(v.value, spec);
  if (typeof v === 'string') return text(v, spec, v);
  if (v instanceof JsonNumber) return text(v.text, spec, v);
  if (typeof v === 'boolean') return spec.verb === 'v' || spec.verb === 't' ? pad(String(v), spec, false) : bad(spec.verb, v);
  if (Array.isArray(v)) return `[${v.map((e) => formatOne(e, spec, true)).join(' ')}]`;
  const entries = showMapEntries(v);
  if (entries !== undefined) return `map[${entries.map(([k, e]) => `${formatOne(k, spec, true)}:${formatOne(e, spec, true)}`).join(' ')}]`;
  // a time, a colour, a line: their %v text for %v and %s
  return spec.verb === 'v' || spec.verb === 's' ? text(leafText(v), spec, v) : bad(spec.verb, v);
}

const VERB = /%([-+# 0]*)(\d+)?(?:\.(\d*))?(.|$)/gsu;

/** fmt.Sprintf */
export function sprintf(format: string, args: readonly unknown[]): string {
  let next = 0;
  const out = format.replace(VERB, (_m, flags: string, width: string | undefined, precision: string | undefined, verb: string) => {
    if (verb === '') return '%!(NOVERB)';
    if (verb === '%') return '%';
    if (next >= args.length) return `%!${verb}(MISSING)`;
    const w = width === undefined ? undefined : Number(width);
    if (w !== undefined && w > MAX_LINE_OUTPUT) throw tooLong(`the width ${width}`);
    const spec: Spec = {
      minus: flags.includes('-'),
      plus: flags.includes('+'),
      sharp: flags.includes('#'),
      space: flags.includes(' '),
      zero: flags.includes('0') && !flags.includes('-'),
      width: w,
      prec: precision === undefined ? undefined : precision === '' ? 0 : Number(precision),
      verb,
    };
    return formatOne(args[next++], spec);
  });
  if (next < args.length) {
    return `${out}%!(EXTRA ${args
      .slice(next)
      .map((a) => (a === undefined || a === null ? '<nil>' : `${typeName(a)}=${leafText(a)}`))
      .join(', ')})`;
  }
  return out;
}
