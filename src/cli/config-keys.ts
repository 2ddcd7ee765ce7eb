/**
 * The config file's keys and how their values become RawOptions, generated from the flag table
 * (flag-table.ts): a key is a long flag name, and a value is checked against the flag's kind
 * (switch, value, optional value, list) and its fixed words.
 */
import { FLAGS, flagName, type FlagSpec } from './flag-table.js';
import type { RawOptions } from './options.js';
import { oneOf, splitList } from './parse.js';

type RawKey = keyof RawOptions;

/** What a config key sets: which flag (and so which RawOptions key), and whether it negates (`no-follow`). */
export interface ConfigKey {
  readonly key: RawKey;
  readonly spec: FlagSpec;
  readonly negate: boolean;
}

/** Every key a config file may hold: long names, and `follow` beside `no-follow`. */
export function configKeys(flags: readonly FlagSpec[]): ReadonlyMap<string, ConfigKey> {
  const keys = new Map<string, ConfigKey>();
  for (const spec of flags) {
    if (spec.inConfigFile === false) continue;
    keys.set(flagName(spec), { key: spec.key, spec, negate: spec.negated === true });
  }
  // `follow: false` reads better than `no-follow: true`; both work
  for (const k of [...keys.values()]) {
    if (k.negate && !keys.has(k.spec.long)) keys.set(k.spec.long, { ...k, negate: false });
  }
  return keys;
}

export const CONFIG_KEYS: ReadonlyMap<string, ConfigKey> = configKeys(FLAGS);

/** The flag a name would be but that a config file may not set (`config`, `completion`). */
export function commandLineOnly(name: string, flags: readonly FlagSpec[] = FLAGS): boolean {
  return flags.some((s) => s.inConfigFile === false && flagName(s) === name);
}

/** Boolean options whose only flag is `--no-X`: commander reports `true` for them when not given. */
export function onlyNegative(flags: readonly FlagSpec[]): ReadonlySet<RawKey> {
  return new Set(flags.filter((s) => s.negated && flags.every((t) => t.key !== s.key || t.negated)).map((s) => s.key));
}

function levenshtein(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

/** `colour` → `color`, `excludeContainer` → `exclude-container`, `n` → `namespace`. */
export function suggestKey(unknown: string, flags: readonly FlagSpec[] = FLAGS): string | undefined {
  const names = [...configKeys(flags).keys()];
  const squash = (s: string): string => s.toLowerCase().replace(/[-_]/g, '');
  const same = names.find((n) => squash(n) === squash(unknown));
  if (same) return same;
  const short = flags.find((s) => s.short !== undefined && s.short === unknown.replace(/^-/, ''));
  if (short && short.inConfigFile !== false) return flagName(short);
  let best: { name: string; d: number } | undefined;
  for (const n of names) {
    const d = levenshtein(unknown.toLowerCase(), n);
    if (d <= Math.max(1, Math.floor(n.length / 4)) && (!best || d < best.d)) best = { name: n, d };
  }
  return best?.name;
}

export function describe(v: unknown): string {
  if (v === null) return 'nothing';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a mapping';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function scalar(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  return undefined;
}

type Converted = { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: string };

/** One config value as commander would have handed the flag over. */
export function toRaw(name: string, { spec, negate }: ConfigKey, v: unknown): Converted {
  const bad = (expected: string, got: unknown = v): Converted => ({
    ok: false,
    error: `invalid value for ${name}: expected ${expected}, got ${describe(got)}`,
  });
  if (spec.argument.kind === 'none') {
    if (typeof v !== 'boolean') return bad('true or false');
    return { ok: true, value: negate ? !v : v };
  }
  if (spec.repeatable) {
    const out: string[] = [];
    for (const item of Array.isArray(v) ? v : [v]) {
      const s = scalar(item);
      if (s === undefined) return bad(Array.isArray(v) ? 'a list of strings' : 'a string or a list of strings', item);
      out.push(s);
    }
    return { ok: true, value: out };
  }
  if (spec.argument.kind === 'optional') {
    // `timestamps: true` is `-t`, `timestamps: short` is `-t short`, `false` is off
    if (typeof v === 'boolean') return { ok: true, value: v ? true : undefined };
    const s = scalar(v);
    return s === undefined ? bad('true, false or a string') : { ok: true, value: s };
  }
  const s = scalar(v);
  return s === undefined ? bad('a string') : { ok: true, value: s };
}

/**
 * The flags' fixed words, checked as on the command line (`invalid value "foo" for --color:
 * expected one of auto, always, never`); a list's items one by one, split at commas.
 */
export function checkChoices(raw: RawOptions, flags: readonly FlagSpec[] = FLAGS): void {
  for (const spec of flags) {
    const v = raw[spec.key];
    if (spec.choices === undefined || v === undefined || typeof v === 'boolean') continue;
    for (const word of Array.isArray(v) ? splitList(v) : [v]) oneOf(word, spec.choices, `--${spec.long}`);
  }
}
