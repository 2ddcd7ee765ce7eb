// Time for the simulated cluster: a nanosecond wall clock and the two timestamp formats
// Kubernetes uses. Object timestamps (metav1.Time) are RFC 3339 in whole seconds; log
// timestamps are Go's RFC3339Nano (fraction with trailing zeros trimmed, no fraction at all
// when it is zero), always in UTC here.

const NS_PER_SEC = 1_000_000_000n;
const wallAtStartNs = BigInt(Date.now()) * 1_000_000n;
const hrAtStart = process.hrtime.bigint();

/** Nanoseconds since the Unix epoch, with hrtime resolution. */
export function nowNs(): bigint {
  return wallAtStartNs + (process.hrtime.bigint() - hrAtStart);
}

let cachedSec = Number.NaN;
let cachedSecStr = '';

/** `2006-01-02T15:04:05` for a Unix second (no zone); the last value is cached. */
export function secondsPrefix(sec: number): string {
  if (sec !== cachedSec) {
    cachedSec = sec;
    cachedSecStr = new Date(sec * 1000).toISOString().slice(0, 19);
  }
  return cachedSecStr;
}

/** `.123456789` with trailing zeros trimmed, or '' when the fraction is zero. */
function fractionSuffix(fracNs: number): string {
  if (fracNs === 0) return '';
  let s = String(fracNs).padStart(9, '0');
  let end = s.length;
  while (end > 0 && s.charCodeAt(end - 1) === 48) end--;
  s = s.slice(0, end);
  return '.' + s;
}

/** Split nanoseconds since the epoch into whole seconds and the nanosecond remainder. */
export function splitNs(ns: bigint): [sec: number, frac: number] {
  let sec = ns / NS_PER_SEC;
  let frac = ns % NS_PER_SEC;
  if (frac < 0n) {
    frac += NS_PER_SEC;
    sec -= 1n;
  }
  return [Number(sec), Number(frac)];
}

/** Go's `time.RFC3339Nano` in UTC: `2026-11-22T03:57:41.1234Z`. */
export function formatRFC3339Nano(ns: bigint): string {
  const [sec, frac] = splitNs(ns);
  return secondsPrefix(sec) + fractionSuffix(frac) + 'Z';
}

/** metav1.Time as the API server writes it: RFC 3339, whole seconds, UTC. */
export function formatRFC3339(ns: bigint): string {
  const [sec] = splitNs(ns);
  return secondsPrefix(sec) + 'Z';
}

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:([Zz])|([+-])(\d{2}):(\d{2}))$/;

/** Parse RFC 3339 (optional fraction of any length, `Z` or `±hh:mm`) at full precision. */
export function parseRFC3339(s: string): bigint | undefined {
  const m = RFC3339.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, se, frac, z, sign, oh, om] = m;
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(se);
  if (month < 1 || month > 12 || day < 1 || day > 31 || hour > 23 || minute > 59 || second > 59) {
    return undefined;
  }
  const ms = Date.UTC(Number(y), month - 1, day, hour, minute, second);
  let ns = BigInt(ms) * 1_000_000n;
  if (frac) ns += BigInt(frac.slice(0, 9).padEnd(9, '0'));
  if (!z && sign) {
    const offsetNs = BigInt((Number(oh) * 60 + Number(om)) * 60) * NS_PER_SEC;
    ns = sign === '+' ? ns - offsetNs : ns + offsetNs;
  }
  return ns;
}
