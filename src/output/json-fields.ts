/**
 * A JSON object line as flat `key=value` fields for -o pretty: nested objects become dotted keys
 * (`{"http":{"status":500}}` → `http.status=500`), in the order the application wrote them.
 * Numbers, booleans, null and arrays keep their JSON text exactly (a parse would round integers
 * above 2^53, which trace and order ids often are); strings are decoded.
 */
import { logfmtQuote, type Field } from './logfmt.js';

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function skipWs(t: string, i: number): number {
  while (i < t.length && isWs(t.charCodeAt(i))) i++;
  return i;
}

/** The index after the string whose opening quote is at i. */
function stringEnd(t: string, i: number): number {
  let j = i + 1;
  while (t[j] !== '"') j += t[j] === '\\' ? 2 : 1;
  return j + 1;
}

function decodeString(t: string, from: number, to: number): string {
  const inner = t.slice(from + 1, to - 1);
  return inner.includes('\\') ? (JSON.parse(t.slice(from, to)) as string) : inner;
}

/** The index after the number, literal or array at i; an array's text without its whitespace. */
function scalarOrArray(t: string, i: number): [end: number, text: string] {
  if (t[i] !== '[') {
    let j = i;
    while (j < t.length && !isWs(t.charCodeAt(j)) && t[j] !== ',' && t[j] !== '}') j++;
    return [j, t.slice(i, j)];
  }
  let out = '';
  let depth = 0;
  let j = i;
  for (;;) {
    const c = t[j]!;
    if (c === '"') {
      const e = stringEnd(t, j);
      out += t.slice(j, e);
      j = e;
      continue;
    }
    j++;
    if (isWs(c.charCodeAt(0))) continue;
    out += c;
    if (c === '[' || c === '{') depth++;
    else if ((c === ']' || c === '}') && --depth === 0) return [j, out];
  }
}

/** Flattens the object at t[i] === '{' into out under `prefix`; returns the index after it. */
function flatten(t: string, i: number, prefix: string, out: Field[]): number {
  i = skipWs(t, i + 1);
  if (t[i] === '}') {
    if (prefix !== '') out.push({ key: prefix, value: '{}', shown: '{}' });
    return i + 1;
  }
  for (;;) {
    const keyEnd = stringEnd(t, i);
    const name = decodeString(t, i, keyEnd);
    const key = prefix === '' ? name : `${prefix}.${name}`;
    i = skipWs(t, skipWs(t, keyEnd) + 1); // past the colon
    if (t[i] === '{') i = flatten(t, i, key, out);
    else if (t[i] === '"') {
      const end = stringEnd(t, i);
      const value = decodeString(t, i, end);
      out.push({ key, value, shown: logfmtQuote(value) });
      i = end;
    } else {
      const [end, text] = scalarOrArray(t, i);
      out.push({ key, value: text, shown: text });
      i = end;
    }
    i = skipWs(t, i);
    if (t[i] !== ',') return i + 1;
    i = skipWs(t, i + 1);
  }
}

/** The fields of a JSON object line, or undefined when the text is no JSON object. */
export function jsonFields(text: string): Field[] | undefined {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return undefined;
  }
  // valid JSON from here on: the scanner needs no checks of its own
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return undefined;
  const out: Field[] = [];
  flatten(text, skipWs(text, 0), '', out);
  return out;
}
