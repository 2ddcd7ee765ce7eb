/**
 * Kubelet timestamps (RFC3339Nano, trailing zeros trimmed, so not comparable as strings).
 * Parsed only when a resume has to compare, and for `-t short`; never on the plain line path.
 */
const RFC3339 = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))?(Z|[+-]\d{2}:\d{2})$/;

/** [seconds since the epoch, nanoseconds], or undefined when the text is no RFC3339 time. */
export function parseTimestamp(text: string): [number, number] | undefined {
  const m = RFC3339.exec(text);
  if (!m) return undefined;
  const ms = Date.parse(`${m[1]}${m[3]}`);
  if (Number.isNaN(ms)) return undefined;
  return [ms / 1000, Number((m[2] ?? '').padEnd(9, '0'))];
}

/** -1, 0, 1; an unparsable time sorts first, so it is never mistaken for a newer line. */
export function compareTimestamps(a: string, b: string): number {
  const x = parseTimestamp(a);
  const y = parseTimestamp(b);
  if (!x || !y) return x ? 1 : y ? -1 : 0;
  if (x[0] !== y[0]) return x[0] < y[0] ? -1 : 1;
  return x[1] === y[1] ? 0 : x[1] < y[1] ? -1 : 1;
}

const pad = (n: number): string => (n < 10 ? `0${n}` : String(n));

/** `01-02 15:04:05` (stern's short format) in local time. */
export function shortTimestamp(text: string): string {
  const t = parseTimestamp(text);
  if (!t) return text;
  const d = new Date(t[0] * 1000);
  return `${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
