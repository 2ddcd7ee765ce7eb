/**
 * The users' regular expressions (pod query, -c, -E, --exclude-pod, -i, -e, -H), compiled as
 * stern compiles them: Go's regexp, that is RE2. Matching is linear in the text (no pattern can
 * make a pod name or a log line cost minutes), and the syntax is Go's: `(?i)`, `[[:digit:]]`,
 * `\pL`, `\z`, `(?P<name>…)`. V8's RegExp stays for the program's own fixed patterns only.
 */
import { RE2JS } from 're2js';

export class Pattern {
  readonly #re: RE2JS;

  /** @throws RE2JSSyntaxException with Go's words (`missing closing )`) when the source is invalid */
  constructor(readonly source: string) {
    this.#re = RE2JS.compile(source);
  }

  /** Whether the pattern matches anywhere in the text (Go's MatchString). */
  test(text: string): boolean {
    return this.#re.test(text);
  }

  /**
   * A search over one text: each call gives [start, end) in UTF-16 units of the leftmost-first
   * match at or after `from`, or undefined (one matcher for all the calls on the text).
   */
  searcher(text: string): (from: number) => [number, number] | undefined {
    const m = this.#re.matcher(text);
    return (from) => (m.find(from) ? [m.start(), m.end()] : undefined);
  }
}
