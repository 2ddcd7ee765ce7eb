/** Parsers shared by the flags: regular expressions said as Go's regexp says them, and lists. */
import { RE2JSSyntaxException } from 're2js';
import { UsageError } from '../common/errors.js';
import { Pattern } from '../common/regex.js';
import { contextWordKind, globToRegex, splitContextWords, type ContextChoice } from '../kube/context-choice.js';

/**
 * A user's regular expression, compiled with RE2 as Go's regexp (and so stern) compiles it; a
 * mistake is a usage error that gives Go's reason (`missing closing )`).
 */
export function compileRegex(source: string, what: string): Pattern {
  try {
    return new Pattern(source);
  } catch (err) {
    // RE2's message: "error parsing regexp: missing closing ): `web(`"; its description is the reason alone
    const reason =
      err instanceof RE2JSSyntaxException
        ? err.getDescription()
        : err instanceof Error
          ? err.message.replace(/^error parsing regexp: /, '')
          : String(err);
    throw new UsageError(`invalid ${what} "${source}": ${reason}`, { cause: err });
  }
}

/** `--context a,'prod-*','/^eu-/'`: each word a name, a glob or a regex (RE2), once. */
export function contextChoices(values: readonly string[] | undefined): ContextChoice[] {
  return [...new Set(splitContextWords(values))].map((word): ContextChoice => {
    switch (contextWordKind(word)) {
      case 'name':
        return { kind: 'name', name: word };
      case 'regex':
        return { kind: 'pattern', text: word, pattern: compileRegex(word.slice(1, -1), '--context regex') };
      case 'glob':
        return { kind: 'pattern', text: word, pattern: compileRegex(globToRegex(word), '--context glob') };
    }
  });
}

/** `-n a,b -n c` → [a, b, c]; empty items dropped. */
export function splitList(values: readonly string[] | undefined): string[] {
  return (values ?? [])
    .flatMap((v) => v.split(','))
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

/** A value of a flag with fixed words, or the usage error that lists them. */
export function oneOf<T extends string>(text: string, allowed: readonly T[], flag: string): T {
  if ((allowed as readonly string[]).includes(text)) return text as T;
  throw new UsageError(`invalid value "${text}" for ${flag}: expected one of ${allowed.join(', ')}`);
}
