/** Parsers shared by the flags: regular expressions said as Go's regexp says them, and lists. */
import { UsageError } from '../common/errors.js';

// V8's wording for the common mistakes, said as Go's regexp (and so stern) says them.
const REGEX_REASONS: Record<string, string> = {
  'Unterminated group': 'missing closing )',
  "Unmatched ')'": 'unexpected )',
  'Unterminated character class': 'missing closing ]',
  'Nothing to repeat': 'missing argument to repetition operator',
  '\\ at end of pattern': 'trailing backslash at end of expression',
};

export function compileRegex(source: string, what: string): RegExp {
  try {
    return new RegExp(source);
  } catch (err) {
    // V8's message: "Invalid regular expression: /web(/: Unterminated group"
    const v8 = err instanceof Error ? err.message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /s, '') : String(err);
    const reason = REGEX_REASONS[v8] ?? v8.toLowerCase();
    throw new UsageError(`invalid ${what} "${source}": ${reason}`, { cause: err });
  }
}

/** `-n a,b -n c` → [a, b, c]; empty items dropped. */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
}

/** A value of a flag with fixed words, or the usage error that lists them. */
export function oneOf<T extends string>(text: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`invalid value "${text}" for ${flag}: expected one of ${allowed.join(', ')}`);
}
