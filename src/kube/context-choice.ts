/**
 * `--context`: a name, a glob (`prod-*`, `eu-?`, `prod-[ab]`) or a `/regex/`, each a choice of
 * kubeconfig contexts. Pure: parsing the words (the regex is compiled by the caller, which owns
 * the usage errors) and choosing among the kubeconfig's names.
 */
import { ClusterError, UsageError } from '../common/errors.js';

/** What a test of a name needs: a compiled pattern (common/regex.ts). */
interface NameTest {
  test(name: string): boolean;
}

export type ContextChoice =
  | { readonly kind: 'name'; readonly name: string }
  /** text: as typed, for the error when nothing matches */
  | { readonly kind: 'pattern'; readonly text: string; readonly pattern: NameTest };

/** How a --context word reads: a regex between slashes, a glob (it has `*`, `?` or `[`), else a name. */
export function contextWordKind(word: string): 'regex' | 'glob' | 'name' {
  if (word.length >= 2 && word.startsWith('/') && word.endsWith('/')) return 'regex';
  return /[*?[]/.test(word) ? 'glob' : 'name';
}

/**
 * `--context a,b --context c` → [a, b, c]. A `/regex/` word is not split at its commas
 * (`/x{1,3}/`), so that a regex needs no escaping; a glob's `[a,b]` class is not split either.
 */
export function splitContextWords(values: readonly string[] | undefined): string[] {
  const out: string[] = [];
  for (const value of values ?? []) {
    const whole = value.trim();
    if (contextWordKind(whole) === 'regex') {
      out.push(whole);
      continue;
    }
    let depth = 0;
    let start = 0;
    for (let i = 0; i <= whole.length; i++) {
      const ch = whole[i];
      if (ch === '[') depth = 1;
      else if (ch === ']') depth = 0;
      else if (i === whole.length || (ch === ',' && depth === 0)) {
        const word = whole.slice(start, i).trim();
        if (word !== '') out.push(word);
        start = i + 1;
      }
    }
  }
  return out;
}

const REGEX_SPECIAL = /[\\^$.|+(){}]/;

/**
 * A glob as an RE2 source matching the whole name: `*` any run of characters, `?` one, `[...]` a
 * class (`[!...]` or `[^...]` negated; a `]` first in it is literal). Anything else is literal.
 */
export function globToRegex(glob: string): string {
  let out = '^(?:';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    if (ch === '*') out += '.*';
    else if (ch === '?') out += '.';
    else if (ch === '[') {
      let j = i + 1;
      let cls = '[';
      if (glob[j] === '!' || glob[j] === '^') {
        cls += '^';
        j++;
      }
      if (glob[j] === ']') {
        cls += '\\]';
        j++;
      }
      for (; j < glob.length && glob[j] !== ']'; j++) {
        const c = glob[j]!;
        cls += c === '\\' || c === '[' ? `\\${c}` : c;
      }
      if (j >= glob.length) throw new UsageError(`invalid --context glob "${glob}": missing ] after [`);
      out += `${cls}]`;
      i = j;
    } else out += REGEX_SPECIAL.test(ch) || ch === ']' ? `\\${ch}` : ch;
  }
  return `${out})$`;
}

/**
 * The context names the choices select, in the order given (a pattern's matches in the
 * kubeconfig's order), each once. A name is taken as it is (an unknown one is the kubeconfig's
 * error to give); a pattern that is itself a context's name selects that context; a pattern that
 * matches none is an error (exit 1) listing the contexts.
 */
export function chooseContexts(choices: readonly ContextChoice[], available: readonly string[]): string[] {
  const out = new Set<string>();
  for (const choice of choices) {
    if (choice.kind === 'name') {
      out.add(choice.name);
      continue;
    }
    if (available.includes(choice.text)) {
      out.add(choice.text);
      continue;
    }
    const matched = available.filter((name) => choice.pattern.test(name));
    if (matched.length === 0) {
      throw new ClusterError(`no context matches "${choice.text}" in kubeconfig (contexts: ${available.join(', ') || 'none'})`);
    }
    for (const name of matched) out.add(name);
  }
  return [...out];
}
