/**
 * Times for display: `--timezone` zones (IANA names through Intl, `UTC`, `Local`), Go time layouts
 * (`2006-01-02 15:04:05`, as stern's `toTimestamp` and `-t` use them) and the parsing of the
 * timestamps templates receive. Nothing here runs on the plain line path: only when `--timezone`,
 * `-t short` or a template asks for it.
 */

/** A point in time with nanoseconds: seconds since the epoch (whole) and 0–999,999,999 ns. */
export interface Instant {
  readonly sec: number;
  readonly nsec: number;
}

/** A time zone: its name and its offset from UTC, in seconds, at a given time. */
export interface Zone {
  readonly name: string;
  offsetSeconds(epochMs: number): number;
}

export const UTC: Zone = { name: 'UTC', offsetSeconds: () => 0 };

export const LOCAL: Zone = {
  name: 'Local',
  offsetSeconds: (ms) => -new Date(ms).getTimezoneOffset() * 60,
};

/** One Intl formatter per zone; offsets are cached per quarter hour (transitions fall on them). */
class IanaZone implements Zone {
  readonly #fmt: Intl.DateTimeFormat;
  #bucket = Number.NaN;
  #offset = 0;

  constructor(readonly name: string) {
    // throws RangeError for an unknown zone
    this.#fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: name,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  offsetSeconds(epochMs: number): number {
    const bucket = Math.floor(epochMs / 900_000);
    if (bucket !== this.#bucket) {
      this.#bucket = bucket;
      const at = bucket * 900_000;
      const p: Record<string, number> = {};
      for (const part of this.#fmt.formatToParts(at)) if (part.type !== 'literal') p[part.type] = Number(part.value);
      const wall = Date.UTC(p.year!, p.month! - 1, p.day, p.hour, p.minute, p.second);
      this.#offset = Math.round((wall - at) / 1000);
    }
    return this.#offset;
  }
}

/**
 * `UTC`, `Local` (the TZ of the process, as Go's time.Local) or an IANA name such as
 * `Europe/Berlin`. Throws a RangeError naming the zone when it is unknown.
 */
export function resolveZone(name: string): Zone {
  if (name === 'UTC' || name === '') return UTC;
  if (name === 'Local') return LOCAL;
  try {
    return new IanaZone(name);
  } catch {
    throw new RangeError(`unknown time zone "${name}": expected an IANA name such as Europe/Berlin, or UTC or Local`);
  }
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(?:[.,](\d{1,9})\d*)?(Z|z|[+-]\d{2}:?\d{2})?$/;
const UNIX = /^-?\d+(?:\.\d+)?$/;

/**
 * Parses what templates hand to toRFC3339Nano/toTimestamp (as stern, via spf13/cast): RFC3339
 * (with up to nine fraction digits; no zone means UTC), a date alone, Unix seconds as a number or
 * text (`1136171056.02`). Anything else: undefined.
 */
export function parseInstant(value: unknown): Instant | undefined {
  if (typeof value === 'number') return Number.isFinite(value) ? fromSeconds(value) : undefined;
  if (value instanceof GoTime) return value.instant;
  if (typeof value !== 'string') return undefined;
  const text = value.trim();
  if (UNIX.test(text)) {
    const [whole, frac = ''] = text.split('.');
    const sec = Number(whole);
    const nsec = Number(frac.slice(0, 9).padEnd(9, '0'));
    return sec < 0 || whole!.startsWith('-') ? normalize(sec, -nsec) : { sec, nsec };
  }
  const m = RFC3339.exec(text);
  if (m) {
    const [, y, mo, d, h, mi, s, frac = '', zone] = m;
    let sec = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s)) / 1000;
    if (zone !== undefined && zone !== 'Z' && zone !== 'z') {
      const sign = zone.startsWith('-') ? -1 : 1;
      const digits = zone.slice(1).replace(':', '');
      sec -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2)) * 60);
    }
    return Number.isNaN(sec) ? undefined : { sec, nsec: Number(frac.padEnd(9, '0')) };
  }
  if (/^\d{4}-\d{2}-\d{2}$/.test(text)) {
    const ms = Date.parse(`${text}T00:00:00Z`);
    return Number.isNaN(ms) ? undefined : { sec: ms / 1000, nsec: 0 };
  }
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : fromSeconds(ms / 1000);
}

/** Seconds as a float64 hold about microseconds next to a Unix time: the rest is binary noise. */
function fromSeconds(seconds: number): Instant {
  const sec = Math.floor(seconds);
  const usec = Math.round((seconds - sec) * 1e6);
  return usec === 1e6 ? { sec: sec + 1, nsec: 0 } : { sec, nsec: usec * 1000 };
}

function normalize(sec: number, nsec: number): Instant {
  if (nsec < 0) return { sec: sec - 1, nsec: nsec + 1e9 };
  return { sec, nsec };
}

/** A time with its zone, as Go's time.Time: what toUTC returns; prints as Go prints a time. */
export class GoTime {
  constructor(
    readonly instant: Instant,
    readonly zone: Zone,
  ) {}

  toString(): string {
    return formatLayout(this.instant, '2006-01-02 15:04:05.999999999 -0700 MST', this.zone);
  }
}

const LONG_MONTHS = [
  'January',
  'February',
  'March',
  'April',
  'May',
  'June',
  'July',
  'August',
  'September',
  'October',
  'November',
  'December',
];
const LONG_DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

/** The parts of a Go layout: literal text, or a formatting element (Go's std chunks). */
type Chunk = { readonly lit: string } | { readonly std: string; readonly digits?: number; readonly trim?: boolean; readonly sep?: string };

const STD_PREFIXES: readonly string[] = [
  'January',
  'Jan',
  'Monday',
  'Mon',
  'MST',
  '2006',
  '002',
  '01',
  '02',
  '03',
  '04',
  '05',
  '06',
  '15',
  '__2',
  '_2',
  '-07:00:00',
  '-070000',
  '-07:00',
  '-0700',
  '-07',
  'Z07:00:00',
  'Z070000',
  'Z07:00',
  'Z0700',
  'Z07',
  'PM',
  'pm',
  '1',
  '2',
  '3',
  '4',
  '5',
];

const layoutCache = new Map<string, Chunk[]>();

/** Splits a Go layout once; later calls with the same layout reuse the chunks. */
function chunksOf(layout: string): Chunk[] {
  const cached = layoutCache.get(layout);
  if (cached) return cached;
  const chunks: Chunk[] = [];
  let lit = '';
  let i = 0;
  outer: while (i < layout.length) {
    const c = layout[i]!;
    if ((c === '.' || c === ',') && (layout[i + 1] === '0' || layout[i + 1] === '9')) {
      const digit = layout[i + 1]!;
      let j = i + 1;
      while (layout[j] === digit) j++;
      if (!/[0-9]/.test(layout[j] ?? '')) {
        if (lit) chunks.push({ lit });
        lit = '';
        chunks.push({ std: 'frac', digits: Math.min(9, j - i - 1), trim: digit === '9', sep: c });
        i = j;
        continue;
      }
    }
    for (const p of STD_PREFIXES) {
      if (!layout.startsWith(p, i)) continue;
      // "Jan" must not be the start of a word such as "Janet"; Go checks the same for Mon/Jan
      if ((p === 'Jan' || p === 'Mon') && /[a-z]/.test(layout[i + 3] ?? '')) continue;
      // "_2006" is an underscore and a year, as in Go
      if (p === '_2' && layout.startsWith('_2006', i)) continue;
      if (lit) chunks.push({ lit });
      lit = '';
      chunks.push({ std: p });
      i += p.length;
      continue outer;
    }
    lit += c;
    i++;
  }
  if (lit) chunks.push({ lit });
  if (layoutCache.size > 64) layoutCache.clear();
  layoutCache.set(layout, chunks);
  return chunks;
}

/**
 * Locales whose short zone names are the zone database's abbreviations for their regions (EST,
 * CET, JST, IST, AEDT…); Intl gives `GMT+1` where a locale knows none, and those are skipped.
 */
const ABBREVIATION_LOCALES = ['en-US', 'en-GB', 'en-AU', 'en-IN', 'ja-JP', 'en-NZ', 'en-ZA', 'ko-KR'];
const ABBREVIATIONS = new Map<string, string | null>();

function databaseAbbreviation(name: string, epochMs: number, offset: number): string | null {
  const key = `${name} ${offset}`;
  let found = ABBREVIATIONS.get(key);
  if (found !== undefined) return found;
  found = null;
  for (const locale of ABBREVIATION_LOCALES) {
    const part = new Intl.DateTimeFormat(locale, { timeZone: name, timeZoneName: 'short' })
      .formatToParts(epochMs)
      .find((p) => p.type === 'timeZoneName');
    if (part !== undefined && /^[A-Z]{2,5}$/.test(part.value)) {
      found = part.value;
      break;
    }
  }
  ABBREVIATIONS.set(key, found);
  return found;
}

/** The process's own zone name; asked of Intl when first needed (loading ICU's zones takes ~20 ms). */
let localName: string | undefined;
const localZoneName = (): string => (localName ??= new Intl.DateTimeFormat().resolvedOptions().timeZone);

function zoneAbbreviation(zone: Zone, offset: number, epochMs: number): string {
  if (zone === UTC || (offset === 0 && zone.name === 'UTC')) return 'UTC';
  if (zone instanceof IanaZone || zone === LOCAL) {
    // Go prints the abbreviation when the zone database has one, else the offset as -0700
    const known = databaseAbbreviation(zone === LOCAL ? localZoneName() : zone.name, epochMs, offset);
    if (known !== null) return known;
    const sign = offset < 0 ? '-' : '+';
    const a = Math.abs(offset);
    const hh = pad(Math.floor(a / 3600), 2);
    const mm = Math.floor((a % 3600) / 60);
    return mm === 0 ? `${sign}${hh}` : `${sign}${hh}${pad(mm, 2)}`;
  }
  return zone.name;
}

function offsetText(offset: number, std: string): string {
  if (offset === 0 && std.startsWith('Z')) return 'Z';
  const sign = offset < 0 ? '-' : '+';
  const a = Math.abs(offset);
  const hh = pad(Math.floor(a / 3600), 2);
  const mm = pad(Math.floor((a % 3600) / 60), 2);
  const ss = pad(a % 60, 2);
  const shape = std.slice(1);
  switch (shape) {
    case '07':
      return `${sign}${hh}`;
    case '0700':
      return `${sign}${hh}${mm}`;
    case '07:00':
      return `${sign}${hh}:${mm}`;
    case '070000':
      return `${sign}${hh}${mm}${ss}`;
    default:
      return `${sign}${hh}:${mm}:${ss}`;
  }
}

/** Formats an instant with a Go layout in a zone, as Go's time.Format does. */
export function formatLayout(t: Instant, layout: string, zone: Zone): string {
  const offset = zone.offsetSeconds(t.sec * 1000);
  const d = new Date((t.sec + offset) * 1000);
  const year = d.getUTCFullYear();
  const month = d.getUTCMonth();
  const day = d.getUTCDate();
  const hour = d.getUTCHours();
  let out = '';
  for (const chunk of chunksOf(layout)) {
    if ('lit' in chunk) {
      out += chunk.lit;
      continue;
    }
    switch (chunk.std) {
      case 'January':
        out += LONG_MONTHS[month]!;
        break;
      case 'Jan':
        out += LONG_MONTHS[month]!.slice(0, 3);
        break;
      case 'Monday':
        out += LONG_DAYS[d.getUTCDay()]!;
        break;
      case 'Mon':
        out += LONG_DAYS[d.getUTCDay()]!.slice(0, 3);
        break;
      case 'MST':
        out += zoneAbbreviation(zone, offset, t.sec * 1000);
        break;
      case '2006':
        out += pad(year, 4);
        break;
      case '06':
        out += pad(year % 100, 2);
        break;
      case '01':
        out += pad(month + 1, 2);
        break;
      case '1':
        out += String(month + 1);
        break;
      case '02':
        out += pad(day, 2);
        break;
      case '2':
        out += String(day);
        break;
      case '_2':
        out += String(day).padStart(2, ' ');
        break;
      case '002':
      case '__2': {
        const yday = Math.floor((Date.UTC(year, month, day) - Date.UTC(year, 0, 1)) / 86_400_000) + 1;
        out += chunk.std === '002' ? pad(yday, 3) : String(yday).padStart(3, ' ');
        break;
      }
      case '15':
        out += pad(hour, 2);
        break;
      case '03':
        out += pad(hour % 12 === 0 ? 12 : hour % 12, 2);
        break;
      case '3':
        out += String(hour % 12 === 0 ? 12 : hour % 12);
        break;
      case '04':
        out += pad(d.getUTCMinutes(), 2);
        break;
      case '4':
        out += String(d.getUTCMinutes());
        break;
      case '05':
        out += pad(d.getUTCSeconds(), 2);
        break;
      case '5':
        out += String(d.getUTCSeconds());
        break;
      case 'PM':
        out += hour >= 12 ? 'PM' : 'AM';
        break;
      case 'pm':
        out += hour >= 12 ? 'pm' : 'am';
        break;
      case 'frac': {
        let digits = pad(t.nsec, 9).slice(0, chunk.digits);
        if (chunk.trim) {
          digits = digits.replace(/0+$/, '');
          if (digits === '') break;
        }
        out += `${chunk.sep ?? '.'}${digits}`;
        break;
      }
      default:
        out += offsetText(offset, chunk.std);
    }
  }
  return out;
}

/** Go's time.RFC3339Nano: trailing zeros of the fraction trimmed. */
export const RFC3339_NANO = '2006-01-02T15:04:05.999999999Z07:00';
/** stern's `-t default` with a zone: nine fraction digits, always. */
export const RFC3339_NANO_FIXED = '2006-01-02T15:04:05.000000000Z07:00';
/** stern's `-t short` */
export const SHORT = '01-02 15:04:05';
