/**
 * `-i/--include`, `-e/--exclude`, `-H/--highlight`: which lines are shown, and which parts of
 * them are painted. Built once; when none of the flags is given there is no filter at all and the
 * line path runs no regular expression (and decodes nothing).
 */
import type { Pattern } from '../common/regex.js';

/** stern's highlight: bold red. */
const HIGHLIGHT_SGR = '31;1';
const RESET = '\x1b[0m';

export interface LineFilter {
  /** false: the line is dropped (an -e matches, or -i were given and none matches) */
  keep(text: string): boolean;
  /**
   * The text with every match of -i and -H painted, or null when no colour is wanted or nothing
   * matched. `resume` is the SGR to switch on again after each match (the line's own colour).
   */
  highlight(text: string, resume?: string): string | null;
}

/** The patterns, compiled with RE2 as stern's are: linear in the line, Go's syntax. */
export interface FilterFlags {
  readonly include: readonly Pattern[];
  readonly exclude: readonly Pattern[];
  readonly highlight: readonly Pattern[];
}

/** undefined when no flag asks for anything on this output (so the writer stays as it is). */
export function makeLineFilter(flags: FilterFlags, color: boolean): LineFilter | undefined {
  const { include, exclude } = flags;
  const painters = color ? [...include, ...flags.highlight] : [];
  if (include.length === 0 && exclude.length === 0 && painters.length === 0) return undefined;

  const keep = (text: string): boolean => {
    for (const r of exclude) if (r.test(text)) return false;
    if (include.length === 0) return true;
    for (const r of include) if (r.test(text)) return true;
    return false;
  };

  const highlight = (text: string, resume = ''): string | null => {
    if (painters.length === 0) return null;
    // every match of every regex, merged where they overlap, so that one painting never nests in another
    const ranges: [number, number][] = [];
    for (const r of painters) ranges.push(...r.ranges(text));
    if (ranges.length === 0) return null;
    ranges.sort((a, b) => a[0] - b[0] || b[1] - a[1]);
    let out = '';
    let at = 0;
    let cur = ranges[0]!;
    const emit = ([from, to]: [number, number]): void => {
      out += `${text.slice(at, from)}\x1b[${HIGHLIGHT_SGR}m${text.slice(from, to)}${RESET}${resume}`;
      at = to;
    };
    for (let i = 1; i < ranges.length; i++) {
      const next = ranges[i]!;
      if (next[0] <= cur[1]) cur = [cur[0], Math.max(cur[1], next[1])];
      else {
        emit(cur);
        cur = next;
      }
    }
    emit(cur);
    return out + text.slice(at);
  };

  return { keep, highlight };
}
