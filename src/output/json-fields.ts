/**
 * A JSON object line as flat `key=value` fields for -o pretty: nested objects become dotted keys
 * (`{"http":{"status":500}}` → `http.status=500`), in the order the application wrote them.
 * Numbers, booleans, null and arrays keep their JSON text exactly (a parse would round integers
 * above 2^53, which trace and order ids often are); strings are decoded.
 *
 * One pass that checks the grammar as it goes (a JSON.parse first cost more than the rest
 * together): a line that is not JSON gives undefined, and is shown unchanged.
 */
import { logfmtQuote, type Field } from './logfmt.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const NOT_JSON = -1;

const isWs = (c: number): boolean => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;

function skipWs(t: string, i: number): number {
  while (i < t.length && isWs(t.charCodeAt(i))) i++;
  return i;
}

/** The index after the string whose opening quote is at i, or NOT_JSON. */
function stringEnd(t: string, i: number): number {
  for (let j = i + 1; j < t.length;) {
    const c = t.charCodeAt(j);
    if (c === QUOTE) return j + 1;
    if (c < 0x20) return NOT_JSON;
    j += c === BACKSLASH ? 2 : 1;
  }
  return NOT_JSON;
}

/** The string t[from, to) (quotes included) decoded, or undefined for a bad escape. */
function decodeString(t: string, from: number, to: number): string | undefined {
  const inner = t.slice(from + 1, to - 1);
  if (!inner.includes('\\')) return inner;
  try {
    return JSON.parse(t.slice(from, to)) as string;
  } catch {
    return undefined;
  }
}

const NUMBER = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?$/;

/** The index after the number or literal at i, or NOT_JSON. */
function scalarEnd(t: string, i: number): number {
  let j = i;
  while (j < t.length) {
    const c = t.charCodeAt(j);
    if (isWs(c) || c === 0x2c || c === 0x7d || c === 0x5d) break; // , } ]
    j++;
  }
  const text = t.slice(i, j);
  return text === 'true' || text === 'false' || text === 'null' || NUMBER.test(text) ? j : NOT_JSON;
}

/** The index after the value at i, or NOT_JSON: the grammar checked, nothing kept. */
function valueEnd(t: string, i: number): number {
  const c = t.charCodeAt(i);
  if (c === QUOTE) return stringEnd(t, i);
  if (c !== 0x7b && c !== 0x5b) return scalarEnd(t, i);
  const object = c === 0x7b;
  const close = object ? 0x7d : 0x5d;
  i = skipWs(t, i + 1);
  if (t.charCodeAt(i) === close) return i + 1;
  for (;;) {
    if (object) {
      if (t.charCodeAt(i) !== QUOTE) return NOT_JSON;
      i = stringEnd(t, i);
      if (i === NOT_JSON) return NOT_JSON;
      i = skipWs(t, i);
      if (t[i] !== ':') return NOT_JSON;
      i = skipWs(t, i + 1);
    }
    i = valueEnd(t, i);
    if (i === NOT_JSON) return NOT_JSON;
    i = skipWs(t, i);
    const next = t.charCodeAt(i);
    if (next === close) return i + 1;
    if (next !== 0x2c) return NOT_JSON;
    i = skipWs(t, i + 1);
  }
}

/** An array's text t[from, to), already checked, without the whitespace between its tokens. */
function compact(t: string, from: number, to: number): string {
  let out = '';
  for (let j = from; j < to;) {
    if (t.charCodeAt(j) === QUOTE) {
      const e = stringEnd(t, j);
      out += t.slice(j, e);
      j = e;
      continue;
    }
    if (!isWs(t.charCodeAt(j))) out += t.charAt(j);
    j++;
  }
  return out;
}

/** Flattens the object at t[i] === '{' into out under `prefix`; the index after it, or NOT_JSON. */
function flatten(t: string, i: number, prefix: string, out: Field[]): number {
  i = skipWs(t, i + 1);
  if (t[i] === '}') {
    if (prefix !== '') out.push({ key: prefix, value: '{}', shown: '{}' });
    return i + 1;
  }
  for (;;) {
    if (t.charCodeAt(i) !== QUOTE) return NOT_JSON;
    const keyEnd = stringEnd(t, i);
    if (keyEnd === NOT_JSON) return NOT_JSON;
    const name = decodeString(t, i, keyEnd);
    if (name === undefined) return NOT_JSON;
    const key = prefix === '' ? name : `${prefix}.${name}`;
    i = skipWs(t, keyEnd);
    if (t[i] !== ':') return NOT_JSON;
    i = skipWs(t, i + 1);
    const c = t[i];
    if (c === '{') {
      i = flatten(t, i, key, out);
      if (i === NOT_JSON) return NOT_JSON;
    } else {
      const end = valueEnd(t, i);
      if (end === NOT_JSON) return NOT_JSON;
      if (c === '"') {
        const value = decodeString(t, i, end);
        if (value === undefined) return NOT_JSON;
        out.push({ key, value, shown: logfmtQuote(value) });
      } else {
        const text = c === '[' ? compact(t, i, end) : t.slice(i, end);
        out.push({ key, value: text, shown: text });
      }
      i = end;
    }
    i = skipWs(t, i);
    if (t[i] === '}') return i + 1;
    if (t[i] !== ',') return NOT_JSON;
    i = skipWs(t, i + 1);
  }
}

/** The fields of a JSON object line, or undefined when the text is no JSON object. */
export function jsonFields(text: string): Field[] | undefined {
  const start = skipWs(text, 0);
  if (text[start] !== '{') return undefined;
  const out: Field[] = [];
  let end: number;
  try {
    end = flatten(text, start, '', out);
  } catch {
    // nesting deeper than the stack: not a line to render
    return undefined;
  }
  return end !== NOT_JSON && skipWs(text, end) === text.length ? out : undefined;
}
