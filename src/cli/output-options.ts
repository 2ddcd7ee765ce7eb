/**
 * The output flags of issue 6, validated and compiled: templates (parsed once; a mistake is exit
 * 2 with its line and column), --timezone, -i/-e/-H, --pod-colors/--container-colors,
 * -d, --ordered. Kept beside options.ts so that each flag's validation lives with its kind.
 */
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { parseDuration } from './duration.js';
import { DEFAULT_ORDERED_WINDOW, LEVEL_NAMES, PALETTES } from '../output/choices.js';
import { UsageError } from '../common/errors.js';
import { compileRegex, oneOf, splitList } from './parse.js';
import { compileTemplate, TemplateError, type Template } from '../output/template/index.js';
import type { OutputSettings } from '../output/settings.js';
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
  level?: string;
  levelStrict?: boolean;
}

/** The output flags resolved: these fields go to the output stage as they are (cli/settings.ts). */
export type OutputOptions = Pick<
  OutputSettings,
  | 'template'
  | 'timezone'
  | 'include'
  | 'exclude'
  | 'highlight'
  | 'podColors'
  | 'containerColors'
  | 'palette'
  | 'diffContainer'
  | 'orderedWindowMs'
  | 'level'
  | 'levelStrict'
>;

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
  const level = raw.level === undefined ? undefined : oneOf(raw.level, LEVEL_NAMES, '--level');
  // alone it would change nothing, silently: say so
  if (raw.levelStrict === true && level === undefined) {
    throw new UsageError(`--level-strict needs --level: give --level ${LEVEL_NAMES.join('|')} too`);
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
    level,
    levelStrict: raw.levelStrict ?? false,
  };
}
