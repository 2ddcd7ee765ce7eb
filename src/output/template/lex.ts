/**
 * Go text/template lexing: text, `{{`/`}}` with trim markers, comments dropped, and the tokens of
 * actions (fields, variables, strings, raw strings, characters, numbers, identifiers, `|`, `(`,
 * `)`, `:=`, `=`, `,`), each with its source offset for error positions.
 */

type TokKind =
  | 'text'
  | 'lDelim'
  | 'rDelim'
  | 'space'
  | 'ident'
  | 'field'
  | 'var'
  | 'dot'
  | 'string'
  | 'number'
  | 'pipe'
  | 'lparen'
  | 'rparen'
  | 'declare'
  | 'assign'
  | 'comma'
  | 'eof';

export interface Token {
  readonly kind: TokKind;
  /** text for text tokens; name for ident/field/var; the decoded value for string; source for number */
  readonly value: string;
  readonly pos: number;
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t' || c === '\r' || c === '\n';
const isAlnum = (c: string | undefined): boolean => c !== undefined && /[A-Za-z0-9_]/.test(c);
const NUMBER = /[+-]?(?:0[xX][0-9a-fA-F_]+|0[bB][01_]+|0[oO][0-7_]+|(?:\d[\d_]*(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?)/y;
const ESCAPES: Record<string, string> = { n: '\n', t: '\t', r: '\r', a: '\x07', b: '\b', f: '\f', v: '\v', '\\': '\\', '"': '"', "'": "'" };

export class Lexer {
  readonly tokens: Token[] = [];
  private i = 0;

  constructor(
    private readonly src: string,
    private readonly fail: (pos: number, reason: string) => never,
  ) {}

  run(): Token[] {
    const src = this.src;
    let trimNext = false;
    while (this.i < src.length) {
      const open = src.indexOf('{{', this.i);
      const trimLeft = open !== -1 && src[open + 2] === '-' && isSpace(src[open + 3]);
      let text = src.slice(this.i, open === -1 ? src.length : open);
      if (trimNext) text = text.replace(/^[ \t\r\n]+/, '');
      if (trimLeft) text = text.replace(/[ \t\r\n]+$/, '');
      if (text !== '') this.tokens.push({ kind: 'text', value: text, pos: this.i });
      if (open === -1) break;
      this.i = open + (trimLeft ? 4 : 2);
      trimNext = this.comment(open) ?? this.action(open);
    }
    this.tokens.push({ kind: 'eof', value: '', pos: src.length });
    return this.tokens;
  }

  /** The right delimiter at i: 0 none, 2 `}}`, 4 ` -}}` (trims the text after it). */
  private rightDelim(i: number): 0 | 2 | 4 {
    const src = this.src;
    if (isSpace(src[i]) && src[i + 1] === '-' && src.startsWith('}}', i + 2)) return 4;
    return src.startsWith('}}', i) ? 2 : 0;
  }

  /** A `{{/* … *\/}}` comment: dropped. Returns whether it trims the text after it, or undefined if none. */
  private comment(open: number): boolean | undefined {
    const src = this.src;
    if (!src.startsWith('/*', this.i)) return undefined;
    const close = src.indexOf('*/', this.i + 2);
    if (close === -1) this.fail(open, 'unclosed comment');
    const delim = this.rightDelim(close + 2);
    if (delim === 0) this.fail(close + 2, 'comment ends before closing delimiter');
    this.i = close + 2 + delim;
    return delim === 4;
  }

  /** The tokens of one action, up to and including its right delimiter; returns its trim flag. */
  private action(open: number): boolean {
    const src = this.src;
    const push = (kind: TokKind, value: string, pos: number): void => void this.tokens.push({ kind, value, pos });
    push('lDelim', '{{', open);
    for (;;) {
      const i = this.i;
      const delim = this.rightDelim(i);
      if (delim !== 0) {
        push('rDelim', '}}', i);
        this.i = i + delim;
        return delim === 4;
      }
      if (i >= src.length) this.fail(open, 'unclosed action');
      const c = src[i]!;
      if (isSpace(c)) {
        let j = i;
        while (isSpace(src[j]) && this.rightDelim(j) !== 4) j++;
        if (j === i) j++;
        push('space', ' ', i);
        this.i = j;
        continue;
      }
      switch (c) {
        case '|':
          push('pipe', c, i);
          this.i++;
          continue;
        case '(':
          push('lparen', c, i);
          this.i++;
          continue;
        case ')':
          push('rparen', c, i);
          this.i++;
          continue;
        case ',':
          push('comma', c, i);
          this.i++;
          continue;
        case '=':
          push('assign', c, i);
          this.i++;
          continue;
        case ':':
          if (src[i + 1] !== '=') this.fail(i, 'expected :=');
          push('declare', ':=', i);
          this.i += 2;
          continue;
        case '"':
          push('string', this.quoted(i), i);
          continue;
        case '`': {
          const end = src.indexOf('`', i + 1);
          if (end === -1) this.fail(i, 'unterminated raw quoted string');
          push('string', src.slice(i + 1, end), i);
          this.i = end + 1;
          continue;
        }
        case "'":
          push('number', String(this.char(i)), i);
          continue;
        case '$': {
          let j = i + 1;
          while (isAlnum(src[j])) j++;
          push('var', src.slice(i, j), i);
          this.i = j;
          continue;
        }
        case '.':
          if (/[A-Za-z_]/.test(src[i + 1] ?? '')) {
            let j = i + 1;
            while (isAlnum(src[j])) j++;
            push('field', src.slice(i + 1, j), i);
            this.i = j;
            continue;
          }
          if (!/[0-9]/.test(src[i + 1] ?? '')) {
            push('dot', '.', i);
            this.i++;
            continue;
          }
      }
      if (/[0-9+\-.]/.test(c)) {
        NUMBER.lastIndex = i;
        const m = NUMBER.exec(src);
        if (m === null || isAlnum(src[i + m[0].length])) this.fail(i, `bad number syntax: "${src.slice(i, i + (m?.[0].length ?? 1) + 1)}"`);
        push('number', m[0], i);
        this.i = i + m[0].length;
        continue;
      }
      if (/[A-Za-z_]/.test(c)) {
        let j = i;
        while (isAlnum(src[j])) j++;
        push('ident', src.slice(i, j), i);
        this.i = j;
        continue;
      }
      this.fail(i, `unexpected "${c}" in action`);
    }
  }

  /** A Go interpreted string literal starting at i; leaves this.i after its closing quote. */
  private quoted(start: number): string {
    const src = this.src;
    let out = '';
    let i = start + 1;
    for (;;) {
      const c = src[i];
      if (c === undefined || c === '\n') this.fail(start, 'unterminated quoted string');
      if (c === '"') break;
      if (c !== '\\') {
        out += c;
        i++;
        continue;
      }
      const [value, next] = this.escape(i);
      out += value;
      i = next;
    }
    this.i = i + 1;
    return out;
  }

  /** The escape sequence at i (a backslash): its text and the index after it. */
  private escape(i: number): [string, number] {
    const src = this.src;
    const e = src[i + 1];
    if (e !== undefined && ESCAPES[e] !== undefined) return [ESCAPES[e], i + 2];
    const hex = (n: number): [string, number] => {
      const digits = src.slice(i + 2, i + 2 + n);
      if (!new RegExp(`^[0-9a-fA-F]{${n}}$`).test(digits)) this.fail(i, 'invalid escape sequence in quoted string');
      const code = parseInt(digits, 16);
      return [n === 2 ? String.fromCharCode(code) : String.fromCodePoint(code), i + 2 + n];
    };
    if (e === 'x') return hex(2);
    if (e === 'u') return hex(4);
    if (e === 'U') return hex(8);
    if (e !== undefined && /[0-7]/.test(e)) {
      const digits = src.slice(i + 1, i + 4);
      if (!/^[0-7]{3}$/.test(digits)) this.fail(i, 'invalid escape sequence in quoted string');
      return [String.fromCharCode(parseInt(digits, 8)), i + 4];
    }
    return this.fail(i, 'invalid escape sequence in quoted string');
  }

  /** A character constant: its code point. */
  private char(start: number): number {
    const src = this.src;
    let i = start + 1;
    let value: string;
    if (src[i] === '\\') {
      const [v, next] = this.escape(i);
      value = v;
      i = next;
    } else {
      const cp = src.codePointAt(i);
      if (cp === undefined || src[i] === "'") this.fail(start, 'empty character constant');
      value = String.fromCodePoint(cp);
      i += value.length;
    }
    if (src[i] !== "'") this.fail(start, 'unterminated character constant');
    this.i = i + 1;
    return value.codePointAt(0)!;
  }
}
