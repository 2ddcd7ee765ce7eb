/**
 * JSON log lines with a level (`level`, `severity` or `lvl`) are coloured by it in the default
 * output on a terminal: errors red, warnings yellow, debug dim. Only a line whose first byte is
 * `{` and that holds one of the keys is parsed; every other line costs one byte compare.
 */

const LEVEL_SGR = { error: '31', warn: '33', debug: '2' } as const;

const KEYS = ['level', 'severity', 'lvl'] as const;
const KEY_BYTES = KEYS.map((k) => Buffer.from(`"${k}"`));
const OPEN_BRACE = 0x7b;

const BY_NAME: Readonly<Record<string, string>> = {
  error: LEVEL_SGR.error,
  err: LEVEL_SGR.error,
  fatal: LEVEL_SGR.error,
  critical: LEVEL_SGR.error,
  crit: LEVEL_SGR.error,
  panic: LEVEL_SGR.error,
  dpanic: LEVEL_SGR.error,
  alert: LEVEL_SGR.error,
  emerg: LEVEL_SGR.error,
  emergency: LEVEL_SGR.error,
  warn: LEVEL_SGR.warn,
  warning: LEVEL_SGR.warn,
  debug: LEVEL_SGR.debug,
  trace: LEVEL_SGR.debug,
  verbose: LEVEL_SGR.debug,
};

/** The SGR for a level value: names in any case, or pino/bunyan numbers (≤20 debug, 40 warn, ≥50 error). */
export function levelSgr(level: unknown): string | undefined {
  if (typeof level === 'string') return BY_NAME[level.toLowerCase()];
  if (typeof level === 'number') {
    if (level >= 50) return LEVEL_SGR.error;
    if (level >= 40) return LEVEL_SGR.warn;
    if (level <= 20) return LEVEL_SGR.debug;
  }
  return undefined;
}

/**
 * The colour of the JSON line buf[start, end) by its level, or undefined (not JSON, no level,
 * info/notice, or an unknown level).
 */
export function jsonLineLevel(buf: Buffer, start: number, end: number): string | undefined {
  if (buf[start] !== OPEN_BRACE) return undefined;
  const line = buf.subarray(start, end);
  if (!KEY_BYTES.some((k) => line.includes(k))) return undefined;
  let obj: unknown;
  try {
    obj = JSON.parse(line.toString('utf8'));
  } catch {
    return undefined;
  }
  if (typeof obj !== 'object' || obj === null) return undefined;
  const o = obj as Record<string, unknown>;
  for (const k of KEYS) if (k in o) return levelSgr(o[k]);
  return undefined;
}
