/**
 * `-i/--include`, `-e/--exclude`, `-H/--highlight`: which lines are shown, and which parts of
 * them are painted. Built once; when none of the flags is given there is no filter at all and the
 * line path runs no regular expression (and decodes nothing).
 */
import { Pattern } from '../common/regex.js';

/** stern's highlight, as fatih/color writes red and bold: `ESC[31;1m` on, `ESC[0;22m` off. */
const HIGHLIGHT_ON = '\x1b[31;1m';
const HIGHLIGHT_OFF = '\x1b[0;22m';

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

  // As stern: one expression of every -i and -H, the longest source first, so that an
  // alternative that starts at the same place as a longer one loses to it.
  const combined = painters.length === 0 ? undefined : combine(painters);

  const highlight = (text: string, resume = ''): string | null => {
    if (combined === undefined || !combined.test(text)) return null;
    // Go's ReplaceAllStringFunc: each match painted (an empty one too, unless it follows a match)
    let out = '';
    let last = 0;
    let pos = 0;
    const search = combined.searcher(text);
    while (pos <= text.length) {
      const m = search(pos);
      if (m === undefined) break;
      const [from, to] = m;
      out += text.slice(last, from);
      if (to > last || from === 0) out += `${HIGHLIGHT_ON}${text.slice(from, to)}${HIGHLIGHT_OFF}${resume}`;
      last = to;
      const width = pos < text.length ? String.fromCodePoint(text.codePointAt(pos)!).length : 1;
      if (pos + width > to) pos += width;
      else if (pos + 1 > to) pos++;
      else pos = to;
    }
    return out + text.slice(last);
  };

  return { keep, highlight };
}

/** `(a|b|…)` of the patterns' sources, longest first (a stable sort, as Go's for so few). */
function combine(patterns: readonly Pattern[]): Pattern {
  const sources = patterns.map((p) => p.source).sort((a, b) => b.length - a.length);
  return new Pattern(`(${sources.join('|')})`);
}
