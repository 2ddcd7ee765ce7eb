/**
 * logfmt (`time=… level=info msg="order paid" id=42`), read and written as go-logfmt does, for
 * -o pretty. A line is logfmt only when every word is a `key=value` pair: prose with an `=` in it
 * (`GET /?a=b`) is not, and is shown unchanged.
 */

/** One key and its value, as -o pretty shows it. */
export interface Field {
  readonly key: string;
  /** the value as text: a string decoded, any other JSON value as its JSON text */
  readonly value: string;
  /** the value as `key=value` shows it: quoted when it has to be */
  readonly shown: string;
}

const UNSAFE = /[\u0000-\u0020="\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;
const UNESCAPED_BY_JSON = /[\u007f-\u009f\u202a-\u202e\u2066-\u2069]/g;

/**
 * A value as logfmt writes it: bare, or quoted when it is empty or holds a space, `=`, `"`, or a
 * control character. Controls are escaped inside the quotes (`\n`, `\u001b`, and also DEL, C1
 * and the bidi controls, which JSON leaves raw), so a quoted value is safe on any terminal.
 */
export function logfmtQuote(s: string): string {
  if (s !== '' && !UNSAFE.test(s)) return s;
  return JSON.stringify(s).replace(UNESCAPED_BY_JSON, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const isSpace = (c: string | undefined): boolean => c === ' ' || c === '\t';

/** The pairs of a logfmt line, or undefined when it is not one (a word without `=`, an open quote). */
export function logfmtFields(text: string): Field[] | undefined {
  const out: Field[] = [];
  const n = text.length;
  let i = 0;
  while (i < n && isSpace(text[i])) i++;
  while (i < n) {
    const keyStart = i;
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x3d || c <= 0x20 || c === 0x22) break; // = space/control "
      i++;
    }
    if (i === keyStart || text[i] !== '=') return undefined;
    const key = text.slice(keyStart, i);
    i++;
    let value: string;
    let shown: string;
    if (text[i] === '"') {
      let j = i + 1;
      let escaped = false;
      while (j < n && text[j] !== '"') {
        if (text[j] === '\\') {
          escaped = true;
          j++;
        }
        j++;
      }
      if (j >= n) return undefined;
      shown = text.slice(i, j + 1);
      value = escaped ? unquote(shown) : shown.slice(1, -1);
      i = j + 1;
    } else {
      const valueStart = i;
      while (i < n && !isSpace(text[i])) {
        if (text[i] === '"') return undefined;
        i++;
      }
      value = text.slice(valueStart, i);
      shown = value;
    }
    if (i < n && !isSpace(text[i])) return undefined;
    out.push({ key, value, shown });
    while (i < n && isSpace(text[i])) i++;
  }
  return out.length === 0 ? undefined : out;
}

/** A quoted value's text: JSON's escapes, which are Go's too for what loggers write; else as it is. */
function unquote(quoted: string): string {
  try {
    return JSON.parse(quoted) as string;
  } catch {
    // a Go escape JSON has not (\x1b, \a): the text between the quotes, escapes visible
    return quoted.slice(1, -1);
  }
}
