/**
 * JSON text as Go's encoding/json reads and writes it: strings escaped with `<`, `>`, `&`, U+2028
 * and U+2029 as `\u003c`…, as json.Marshal does (JSON.stringify leaves them raw); numbers read
 * as float64 (json.Unmarshal) or kept as their text (a Decoder with UseNumber, stern's
 * tryParseJSON), which the template values need to print as Go prints them.
 */
import { GoFloat, JsonNumber } from './numbers.js';

const HTML_UNSAFE = /[<>&\u2028\u2029]/g;
const hex4 = (c: string): string => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;

/** A JSON string literal as json.Marshal writes it. */
export function goQuote(s: string): string {
  const q = JSON.stringify(s);
  return q.replace(HTML_UNSAFE, hex4);
}

class JsonSyntaxError extends Error {}

const WS = /[ \t\n\r]*/y;
const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const STRING = /"(?:[^"\\\u0000-\u001f]|\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4}))*"/y;

/**
 * One JSON value at `pos` (after whitespace): numbers become GoFloat, or JsonNumber with
 * `useNumber`. Returns the value and the offset after it. Objects get no prototype-derived keys:
 * a key named `__proto__` is an own property, as JSON.parse makes it.
 */
function parseValue(text: string, pos: number, useNumber: boolean, depth: number): [unknown, number] {
  WS.lastIndex = pos;
  WS.exec(text);
  let i = WS.lastIndex;
  const c = text[i];
  if (depth > 10_000) throw new JsonSyntaxError('exceeded max depth');
  if (c === '{') {
    const obj: Record<string, unknown> = {};
    i = skipWs(text, i + 1);
    if (text[i] === '}') return [obj, i + 1];
    for (;;) {
      i = skipWs(text, i);
      STRING.lastIndex = i;
      const key = STRING.exec(text);
      if (key === null) throw syntax(text, i, 'looking for beginning of object key string');
      i = skipWs(text, STRING.lastIndex);
      if (text[i] !== ':') throw syntax(text, i, 'after object key');
      const [v, next] = parseValue(text, i + 1, useNumber, depth + 1);
      Object.defineProperty(obj, JSON.parse(key[0]) as string, { value: v, enumerable: true, writable: true, configurable: true });
      i = skipWs(text, next);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === '}') return [obj, i + 1];
      throw syntax(text, i, 'after object key:value pair');
    }
  }
  if (c === '[') {
    const arr: unknown[] = [];
    i = skipWs(text, i + 1);
    if (text[i] === ']') return [arr, i + 1];
    for (;;) {
      const [v, next] = parseValue(text, i, useNumber, depth + 1);
      arr.push(v);
      i = skipWs(text, next);
      if (text[i] === ',') {
        i++;
        continue;
      }
      if (text[i] === ']') return [arr, i + 1];
      throw syntax(text, i, 'after array element');
    }
  }
  if (c === '"') {
    STRING.lastIndex = i;
    const m = STRING.exec(text);
    if (m === null) throw syntax(text, i, 'in string literal');
    return [JSON.parse(m[0]) as string, STRING.lastIndex];
  }
  if (c === '-' || (c !== undefined && c >= '0' && c <= '9')) {
    NUMBER.lastIndex = i;
    const m = NUMBER.exec(text);
    if (m === null) throw syntax(text, i, 'in numeric literal');
    if (useNumber) return [new JsonNumber(m[0]), NUMBER.lastIndex];
    const f = Number(m[0]);
    if (!Number.isFinite(f)) throw new Error(`json: cannot unmarshal number ${m[0]} into Go value of type float64`);
    return [new GoFloat(f), NUMBER.lastIndex];
  }
  for (const [word, value] of [
    ['true', true],
    ['false', false],
    ['null', null],
  ] as const) {
    if (c !== word[0]) continue;
    // Go's scanner names the first wrong letter of a literal
    for (let k = 1; k < word.length; k++) {
      if (i + k >= text.length) throw new JsonSyntaxError('unexpected end of JSON input');
      if (text[i + k] !== word[k])
        throw new JsonSyntaxError(`invalid character ${goCharQuote(text[i + k]!)} in literal ${word} (expecting '${word[k]}')`);
    }
    return [value, i + word.length];
  }
  if (c === undefined) throw new JsonSyntaxError('unexpected end of JSON input');
  throw syntax(text, i, 'looking for beginning of value');
}

function skipWs(text: string, i: number): number {
  WS.lastIndex = i;
  WS.exec(text);
  return WS.lastIndex;
}

function syntax(text: string, i: number, context: string): JsonSyntaxError {
  if (i >= text.length) return new JsonSyntaxError('unexpected end of JSON input');
  return new JsonSyntaxError(`invalid character ${goCharQuote(text[i]!)} ${context}`);
}

function goCharQuote(c: string): string {
  return c === "'" ? `'\\''` : `'${c}'`;
}

function kindOf(v: unknown): string {
  if (Array.isArray(v)) return 'array';
  if (v === null) return 'null';
  if (typeof v === 'object') return 'object';
  if (typeof v === 'boolean') return 'bool';
  return v instanceof GoFloat || v instanceof JsonNumber ? 'number' : typeof v;
}

/**
 * json.Unmarshal of text into map[string]interface{}: numbers float64; the whole text must be
 * one value. A JSON `null` leaves the map as it was (empty, not nil), as in Go.
 */
export function unmarshalObject(text: string): Record<string, unknown> {
  const [value, end] = parseValue(text, 0, false, 0);
  if (skipWs(text, end) < text.length) throw syntax(text, skipWs(text, end), 'after top-level value');
  if (value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value))
    throw new Error(`json: cannot unmarshal ${kindOf(value)} into Go value of type map[string]interface {}`);
  return value as Record<string, unknown>;
}

/**
 * A json.Decoder with UseNumber decoding the first value of text into map[string]interface{}:
 * numbers stay json.Number, text after the first value is not read. Undefined when that fails.
 */
export function decodeObjectUseNumber(text: string): Record<string, unknown> | null | undefined {
  try {
    const [value] = parseValue(text, 0, true, 0);
    if (value === null) return {};
    if (typeof value !== 'object' || Array.isArray(value)) return undefined;
    return value as Record<string, unknown>;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return undefined;
    throw err;
  }
}

/** json.Valid */
export function isValidJson(text: string): boolean {
  try {
    // numbers as text: 1e400 is valid JSON, though no float64
    const [, end] = parseValue(text, 0, true, 0);
    return skipWs(text, end) === text.length;
  } catch (err) {
    if (err instanceof JsonSyntaxError) return false;
    throw err;
  }
}
