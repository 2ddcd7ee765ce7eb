// Label and field selectors with the grammar and semantics of k8s.io/apimachinery.
import { badRequest } from './status.js';

type LabelOp = 'exists' | '!exists' | '=' | '!=' | 'in' | 'notin' | 'gt' | 'lt';
interface LabelRequirement {
  key: string;
  op: LabelOp;
  values: string[];
}
export type LabelSelector = LabelRequirement[];
export type Labels = Readonly<Record<string, string>>;

type Token = { t: 'id'; v: string } | { t: '!' | '=' | '==' | '!=' | '(' | ')' | ',' | '>' | '<' | 'in' | 'notin' | 'end'; v: string };

const SPECIAL = new Set(['!', '=', '(', ')', ',', '<', '>']);

function lex(s: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < s.length) {
    const c = s[i]!;
    if (c === ' ' || c === '\t' || c === '\n' || c === '\r') {
      i++;
    } else if (c === '!' && s[i + 1] === '=') {
      out.push({ t: '!=', v: '!=' });
      i += 2;
    } else if (c === '=' && s[i + 1] === '=') {
      out.push({ t: '==', v: '==' });
      i += 2;
    } else if (SPECIAL.has(c)) {
      out.push({ t: c as '!', v: c });
      i++;
    } else {
      let j = i;
      while (j < s.length && !SPECIAL.has(s[j]!) && !/\s/.test(s[j]!)) j++;
      const v = s.slice(i, j);
      out.push(v === 'in' || v === 'notin' ? { t: v, v } : { t: 'id', v });
      i = j;
    }
  }
  out.push({ t: 'end', v: '' });
  return out;
}

const KEY_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/;
const KEY_PREFIX = /^[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?$/;
const VALUE = /^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$/;

function checkKey(key: string): void {
  const slash = key.indexOf('/');
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  const prefix = slash >= 0 ? key.slice(0, slash) : undefined;
  if (!KEY_NAME.test(name) || (prefix !== undefined && !KEY_PREFIX.test(prefix))) {
    throw badRequest(
      `unable to parse requirement: <nil>: Invalid value: "${key}": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')`,
    );
  }
}

function checkValue(v: string): void {
  if (!VALUE.test(v)) {
    throw badRequest(
      `unable to parse requirement: values[0][${v}]: Invalid value: "${v}": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    );
  }
}

const expected = (tok: Token, what: string) => badRequest(`unable to parse requirement: found '${tok.v}', expected: ${what}`);

/** Parse `app=web,tier!=db,env in (a,b),!canary,release`. An empty string selects everything. */
export function parseLabelSelector(text: string): LabelSelector {
  const toks = lex(text);
  let p = 0;
  const peek = () => toks[p]!;
  const next = () => toks[p++]!;
  const reqs: LabelRequirement[] = [];
  if (peek().t === 'end') return reqs;
  for (;;) {
    let tok = next();
    if (tok.t === '!') {
      const key = next();
      if (key.t !== 'id') throw expected(key, 'identifier');
      checkKey(key.v);
      reqs.push({ key: key.v, op: '!exists', values: [] });
    } else if (tok.t === 'id') {
      const key = tok.v;
      checkKey(key);
      const op = peek();
      if (op.t === ',' || op.t === 'end') {
        reqs.push({ key, op: 'exists', values: [] });
      } else if (op.t === '=' || op.t === '==' || op.t === '!=') {
        next();
        const v = peek();
        let value = '';
        if (v.t === 'id') {
          value = next().v;
        } else if (v.t !== ',' && v.t !== 'end') {
          throw expected(v, 'identifier');
        }
        checkValue(value);
        reqs.push({ key, op: op.t === '!=' ? '!=' : '=', values: [value] });
      } else if (op.t === 'in' || op.t === 'notin') {
        next();
        const open = next();
        if (open.t !== '(') throw expected(open, "'('");
        const values: string[] = [];
        for (;;) {
          const v = peek();
          if (v.t === 'id') {
            checkValue(v.v);
            values.push(next().v);
          } else if (v.t === ',' || v.t === ')') {
            values.push(''); // an empty member, as apimachinery allows: "in (a,)"
          } else {
            throw expected(v, "',' or ')'");
          }
          const sep = next();
          if (sep.t === ')') break;
          if (sep.t !== ',') throw expected(sep, "',' or ')'");
        }
        reqs.push({ key, op: op.t, values });
      } else if (op.t === '>' || op.t === '<') {
        next();
        const v = next();
        if (v.t !== 'id' || !/^-?\d+$/.test(v.v)) throw expected(v, 'an integer');
        reqs.push({ key, op: op.t === '>' ? 'gt' : 'lt', values: [v.v] });
      } else {
        throw expected(op, "'=', '!=', '==', 'in', notin'");
      }
    } else {
      throw expected(tok, "'!', identifier");
    }
    tok = next();
    if (tok.t === 'end') return reqs;
    if (tok.t !== ',') throw expected(tok, "','");
  }
}

export function matchLabels(sel: LabelSelector, labels: Labels | undefined): boolean {
  for (const r of sel) {
    const has = labels !== undefined && Object.prototype.hasOwnProperty.call(labels, r.key);
    const v = has ? labels[r.key] : undefined;
    switch (r.op) {
      case 'exists':
        if (!has) return false;
        break;
      case '!exists':
        if (has) return false;
        break;
      case '=':
        if (!has || v !== r.values[0]) return false;
        break;
      case '!=':
        if (has && v === r.values[0]) return false;
        break;
      case 'in':
        if (!has || !r.values.includes(v!)) return false;
        break;
      case 'notin':
        if (has && r.values.includes(v!)) return false;
        break;
      case 'gt':
      case 'lt': {
        if (!has || !/^-?\d+$/.test(v!)) return false;
        const n = Number(v);
        const bound = Number(r.values[0]);
        if (r.op === 'gt' ? !(n > bound) : !(n < bound)) return false;
        break;
      }
    }
  }
  return true;
}

interface FieldRequirement {
  field: string;
  op: '=' | '!=';
  value: string;
}
export type FieldSelector = FieldRequirement[];

function splitUnescaped(s: string, sep: string): string[] {
  const parts: string[] = [];
  let cur = '';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c === '\\' && i + 1 < s.length) {
      cur += c + s[i + 1]!;
      i++;
    } else if (c === sep) {
      parts.push(cur);
      cur = '';
    } else {
      cur += c;
    }
  }
  parts.push(cur);
  return parts;
}

function unescapeValue(v: string): string {
  return v.replace(/\\(.)/g, '$1');
}

/** Parse `metadata.name=web,status.phase!=Running`; `allowed` lists the supported fields. */
export function parseFieldSelector(text: string, allowed: ReadonlySet<string>): FieldSelector {
  const out: FieldSelector = [];
  if (text.trim() === '') return out;
  for (const term of splitUnescaped(text, ',')) {
    let m: RegExpExecArray | null;
    let req: FieldRequirement;
    if ((m = /^([^=!]*)!=(.*)$/s.exec(term))) req = { field: m[1]!.trim(), op: '!=', value: unescapeValue(m[2]!) };
    else if ((m = /^([^=!]*)==(.*)$/s.exec(term))) req = { field: m[1]!.trim(), op: '=', value: unescapeValue(m[2]!) };
    else if ((m = /^([^=!]*)=(.*)$/s.exec(term))) req = { field: m[1]!.trim(), op: '=', value: unescapeValue(m[2]!) };
    else throw badRequest(`invalid selector: '${text}'; can't understand '${term}'`);
    if (!allowed.has(req.field)) throw badRequest(`field label not supported: ${req.field}`);
    out.push(req);
  }
  return out;
}

export function matchFields(sel: FieldSelector, fields: (field: string) => string): boolean {
  for (const r of sel) {
    const v = fields(r.field);
    if (r.op === '=' ? v !== r.value : v === r.value) return false;
  }
  return true;
}
