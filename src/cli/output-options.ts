/**
 * The output flags of issue 6, validated and compiled: templates (parsed once; a mistake is exit
 * 2 with its line and column), --timezone, -i/-e/-H, --pod-colors/--container-colors,
 * -d, --ordered. Kept beside options.ts so that each flag's validation lives with its kind.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { parseDuration } from './duration.js';
import { DEFAULT_ORDERED_WINDOW, PALETTES, type PaletteName } from '../output/choices.js';
import { UsageError } from '../common/errors.js';
import { compileRegex, oneOf, splitList } from './parse.js';
import type { Pattern } from '../common/regex.js';
import { compileTemplate, TemplateError, type Template } from '../output/template/index.js';
import { resolveZone, type Zone } from '../output/timefmt.js';

/** Flag values as commander hands them over. */
export interface RawOutputOptions {
  template?: string;
  templateFile?: string;
  timezone?: string;
  include?: string[];
  exclude?: string[];
  highlight?: string[];
  podColors?: string[];
  containerColors?: string[];
  palette?: string;
  diffContainer?: boolean;
  ordered?: string | boolean;
}

export interface OutputOptions {
  /** --template or -T (the file wins, as in stern); replaces -o */
  readonly template: Template | undefined;
  /** --timezone; undefined: the kubelet's UTC text for -t default, local time for -t short */
  readonly timezone: Zone | undefined;
  readonly include: readonly Pattern[];
  readonly exclude: readonly Pattern[];
  readonly highlight: readonly Pattern[];
  /** --pod-colors: SGR parameters per colour; undefined: the built-in palette */
  readonly podColors: readonly string[] | undefined;
  /** --container-colors (default: the pod colours) */
  readonly containerColors: readonly string[] | undefined;
  /** --palette: the built-in colours when --pod-colors is not given */
  readonly palette: PaletteName;
  readonly diffContainer: boolean;
  /** --ordered: how long a line may be held, in ms; undefined: off */
  readonly orderedWindowMs: number | undefined;
}

// SGR parameters: numbers 0–255 separated by ';' (91, 1;31, 38;5;208, 38;2;255;97;136)
const SGR = /^(?:25[0-5]|2[0-4]\d|1?\d?\d)(?:;(?:25[0-5]|2[0-4]\d|1?\d?\d))*$/;

function colorList(values: readonly string[] | undefined, flag: string): string[] | undefined {
  const list = splitList(values);
  if (list.length === 0) return undefined;
  for (const c of list) {
    if (!SGR.test(c)) throw new UsageError(`invalid colour "${c}" for ${flag}: expected SGR parameters such as 91, 1;32 or 38;5;208`);
  }
  return list;
}

function expandHome(path: string): string {
  return path === '~' || path.startsWith('~/') ? homedir() + path.slice(1) : path;
}

function loadTemplate(raw: RawOutputOptions, readFile: (path: string) => string): Template | undefined {
  let source = raw.template;
  let where = '--template';
  if (raw.templateFile !== undefined) {
    const path = expandHome(raw.templateFile);
    try {
      source = readFile(path);
    } catch (err) {
      const code = (err as { code?: string }).code;
      const why =
        code === 'ENOENT'
          ? 'no such file'
          : code === 'EACCES'
            ? 'permission denied'
            : code === 'EISDIR'
              ? 'is a directory'
              : (err as Error).message;
      throw new UsageError(`cannot read template file ${raw.templateFile}: ${why}`, { cause: err });
    }
    where = `template file ${raw.templateFile}`;
  }
  if (source === undefined) return undefined;
  try {
    return compileTemplate(source);
  } catch (err) {
    if (err instanceof TemplateError) {
      const at = raw.templateFile === undefined ? `${where} at ${err.line}:${err.col}` : `${where}:${err.line}:${err.col}`;
      throw new UsageError(`invalid ${at}: ${err.reason}`, { cause: err });
    }
    throw err;
  }
}

export function resolveOutputOptions(
  raw: RawOutputOptions,
  readFile: (path: string) => string = (p) => readFileSync(p, 'utf8'),
): OutputOptions {
  let timezone: Zone | undefined;
  if (raw.timezone !== undefined) {
    try {
      timezone = resolveZone(raw.timezone);
    } catch (err) {
      throw new UsageError(`invalid value "${raw.timezone}" for --timezone: ${(err as Error).message}`, { cause: err });
    }
  }
  const podColors = colorList(raw.podColors, '--pod-colors');
  const containerColors = colorList(raw.containerColors, '--container-colors');
  if (containerColors !== undefined && podColors === undefined) {
    throw new UsageError('--container-colors needs --pod-colors: give the pod colours too');
  }
  if (containerColors !== undefined && podColors !== undefined && containerColors.length !== podColors.length) {
    throw new UsageError(
      `--container-colors has ${containerColors.length} colours and --pod-colors ${podColors.length}: give as many of each`,
    );
  }
  let orderedWindowMs: number | undefined;
  if (raw.ordered !== undefined && raw.ordered !== false) {
    const text = raw.ordered === true ? DEFAULT_ORDERED_WINDOW : raw.ordered;
    orderedWindowMs = parseDuration(text, '--ordered');
    if (orderedWindowMs <= 0) throw new UsageError(`invalid window "${text}" for --ordered: must be more than 0, like 500ms or 2s`);
  }
  return {
    template: loadTemplate(raw, readFile),
    timezone,
    include: (raw.include ?? []).map((r) => compileRegex(r, '--include regex')),
    exclude: (raw.exclude ?? []).map((r) => compileRegex(r, '--exclude regex')),
    highlight: (raw.highlight ?? []).map((r) => compileRegex(r, '--highlight regex')),
    podColors,
    containerColors,
    palette: oneOf(raw.palette ?? 'default', PALETTES, '--palette'),
    diffContainer: raw.diffContainer ?? false,
    orderedWindowMs,
  };
}
