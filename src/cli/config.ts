/**
 * The config file (SPEC §1 Operation): `--config PATH`, else `$KTAIL_CONFIG`, else
 * `$XDG_CONFIG_HOME/ktail/config.yaml` (`~/.config/ktail/config.yaml`). A YAML mapping whose
 * keys are long flag names; its values become RawOptions and go through the flags' own
 * validation, so a bad value is the same error as on the command line, plus the file and line.
 * The command line wins, key by key (a list given on the command line replaces the file's).
 * Nothing in the file is executed: it is data for the flags, nothing more.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CORE_SCHEMA, load, YAMLException } from 'js-yaml';
import { FLAGS, type FlagSpec } from './flag-table.js';
import { UsageError } from '../common/errors.js';
import { resolveOptions, type RawOptions } from './options.js';
import { checkChoices, commandLineOnly, configKeys, describe, onlyNegative, suggestKey, toRaw } from './config-keys.js';

export { CONFIG_KEYS, suggestKey } from './config-keys.js';

type RawKey = keyof RawOptions;

/**
 * Options that decide together: when the command line gives one of a group, the file's whole
 * group is dropped, so the command line wins (`--since-time` over the file's `since`, `-n` over
 * its `all-namespaces`, `--template` over its `output`).
 */
const GROUPS: readonly (readonly RawKey[])[] = [
  ['since', 'sinceTime'],
  ['namespace', 'allNamespaces'],
  ['output', 'template', 'templateFile'],
  ['podColors', 'containerColors'],
  ['verbose', 'verbosity'],
];

export interface ConfigSource {
  /** the file to read */
  readonly path: string;
  /** how the user named it, for messages: `~/.config/ktail/config.yaml` */
  readonly shown: string;
  /** --config or KTAIL_CONFIG: a missing file is an error; the default file may be absent */
  readonly explicit: 'flag' | 'env' | undefined;
}

function expandHome(path: string, home: string): string {
  return path === '~' || path.startsWith('~/') ? home + path.slice(1) : path;
}

function shorten(path: string, home: string): string {
  return home !== '' && path.startsWith(`${home}/`) ? `~${path.slice(home.length)}` : path;
}

/** Which config file applies: --config, else $KTAIL_CONFIG, else the default path. */
export function configSource(flag: string | undefined, env: NodeJS.ProcessEnv): ConfigSource {
  const home = env.HOME || homedir();
  if (flag !== undefined) return { path: expandHome(flag, home), shown: flag, explicit: 'flag' };
  const fromEnv = env.KTAIL_CONFIG;
  if (fromEnv !== undefined && fromEnv !== '') return { path: expandHome(fromEnv, home), shown: fromEnv, explicit: 'env' };
  const base = env.XDG_CONFIG_HOME ? env.XDG_CONFIG_HOME : join(home, '.config');
  const path = join(base, 'ktail', 'config.yaml');
  return { path, shown: shorten(path, home), explicit: undefined };
}

function readConfig(source: ConfigSource): string | undefined {
  try {
    return readFileSync(source.path, 'utf8');
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' && source.explicit === undefined) return undefined;
    const fix = source.explicit === 'flag' ? ' — check --config' : source.explicit === 'env' ? ' — check KTAIL_CONFIG' : '';
    if (code === 'ENOENT') throw new UsageError(`config file ${source.shown} does not exist${fix}`, { cause: err });
    const why = code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : (err as Error).message;
    throw new UsageError(`cannot read config file ${source.shown}: ${why}${fix}`, { cause: err });
  }
}

/** The 1-based line of a top-level key, by a scan of the text (js-yaml keeps no positions). */
export function lineOfKey(text: string, key: string): number | undefined {
  const lines = text.split(/\r?\n/);
  const escaped = key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const top = new RegExp(`^(["']?)${escaped}\\1\\s*:`);
  const anywhere = new RegExp(`(^|[\\s{,])(["']?)${escaped}\\2\\s*:`);
  for (const re of [top, anywhere]) {
    const i = lines.findIndex((l) => re.test(l));
    if (i !== -1) return i + 1;
  }
  return undefined;
}

export interface LoadedConfig {
  readonly source: ConfigSource;
  /** the file's options, validated on their own */
  readonly raw: RawOptions;
}

function at(source: ConfigSource, line: number | undefined): string {
  return line === undefined ? `${source.shown}: ` : `${source.shown}:${line}: `;
}

/** Parses and validates a config file's text; every mistake is a UsageError with file and line. */
export function parseConfig(text: string, source: ConfigSource, flags: readonly FlagSpec[] = FLAGS): RawOptions {
  let doc: unknown;
  try {
    doc = load(text, { schema: CORE_SCHEMA, filename: source.shown });
  } catch (err) {
    if (err instanceof YAMLException) {
      throw new UsageError(`${at(source, err.mark.line + 1)}invalid YAML: ${err.reason}`, { cause: err });
    }
    throw err;
  }
  if (doc === null || doc === undefined) return {};
  if (typeof doc !== 'object' || Array.isArray(doc)) {
    throw new UsageError(`${at(source, 1)}expected a mapping of flag names to values (since: 15m), got ${describe(doc)}`);
  }
  const keys = configKeys(flags);
  const raw: Record<string, unknown> = {};
  const lines = new Map<RawKey, number | undefined>();
  const order: RawKey[] = [];
  for (const [name, value] of Object.entries(doc as Record<string, unknown>)) {
    const line = lineOfKey(text, name);
    const spec = keys.get(name);
    if (!spec) {
      if (commandLineOnly(name, flags)) throw new UsageError(`${at(source, line)}"${name}" cannot be set in a config file`);
      const hint = suggestKey(name, flags);
      throw new UsageError(
        `${at(source, line)}unknown key "${name}"${hint ? ` (did you mean "${hint}"?)` : ''}: keys are long flag names, as in ktail --help`,
      );
    }
    if (lines.has(spec.key)) {
      throw new UsageError(`${at(source, line)}"${name}" sets the same option as an earlier key: keep one`);
    }
    const v = toRaw(name, spec, value);
    if (!v.ok) throw new UsageError(`${at(source, line)}${v.error}`);
    lines.set(spec.key, line);
    order.push(spec.key);
    if (v.value !== undefined) raw[spec.key] = v.value;
  }
  validate(raw, order, lines, source, flags);
  return raw;
}

/**
 * The flags' own validation, run on the file's options alone, then the table's fixed words (for
 * a flag resolveOptions does not check). On a failure, the line is that of the first key (in
 * file order) by which the options fail with that very message.
 */
function validate(
  raw: RawOptions,
  order: readonly RawKey[],
  lines: ReadonlyMap<RawKey, number | undefined>,
  source: ConfigSource,
  flags: readonly FlagSpec[],
): void {
  const check = (r: RawOptions): UsageError | undefined => {
    try {
      resolveOptions('.*', r);
      checkChoices(r, flags);
      return undefined;
    } catch (err) {
      if (err instanceof UsageError) return err;
      throw err;
    }
  };
  const whole = check(raw);
  if (!whole) return;
  let line: number | undefined;
  const prefix: Record<string, unknown> = {};
  for (const key of order) {
    if (key in raw) prefix[key] = raw[key];
    if (check(prefix)?.message === whole.message) {
      line = lines.get(key);
      break;
    }
  }
  throw new UsageError(`${at(source, line)}${whole.message}`, { cause: whole });
}

/** Reads the config file that applies, if any. */
export function loadConfig(flag: string | undefined, env: NodeJS.ProcessEnv): LoadedConfig | undefined {
  const source = configSource(flag, env);
  const text = readConfig(source);
  if (text === undefined) return undefined;
  return { source, raw: parseConfig(text, source) };
}

/** Was this option given on the command line (rather than left to commander's default)? */
function isGiven(cli: RawOptions, key: RawKey, negativeOnly: ReadonlySet<RawKey>): boolean {
  const v = cli[key];
  if (v === undefined) return false;
  return !(negativeOnly.has(key) && v === true);
}

/** The command line over the config file, key by key and group by group. */
export function mergeConfig(cli: RawOptions, config: RawOptions, flags: readonly FlagSpec[] = FLAGS): RawOptions {
  const negativeOnly = onlyNegative(flags);
  const given = (k: RawKey): boolean => isGiven(cli, k, negativeOnly);
  const fromFile: Record<string, unknown> = { ...config };
  for (const group of GROUPS) {
    if (group.some(given)) for (const k of group) delete fromFile[k];
  }
  const merged: Record<string, unknown> = { ...fromFile };
  for (const [k, v] of Object.entries(cli)) {
    if (given(k as RawKey) || !(k in merged)) merged[k] = v;
  }
  return merged;
}

/** main(): the options of a run, the config file's under the command line's. */
export function applyConfig(cli: RawOptions, env: NodeJS.ProcessEnv): RawOptions {
  const loaded = loadConfig(cli.config, env);
  return loaded ? mergeConfig(cli, loaded.raw) : cli;
}
