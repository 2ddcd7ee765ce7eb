/**
 * Go text/template syntax → a syntax tree, as stern's templates use it: text, `{{pipeline}}`,
 * `{{- trim -}}` markers, comments, `if`/`else if`/`else`/`end`, `with`/`else with`, `range`
 * (with `$i, $e :=`), `break`, `continue`, variables (`$x := …`, `$x = …`, `$`), fields
 * (`.A.B`, `$x.A`, `(pipeline).A`), pipelines with `|`, and string, raw-string, character,
 * number, bool and nil constants. Errors carry line and column.
 */

import { GoFloat } from './numbers.js';
import { Lexer, type Token } from './lex.js';

export class TemplateSyntaxError extends Error {
  constructor(
    readonly line: number,
    readonly col: number,
    readonly reason: string,
  ) {
    super(`${line}:${col}: ${reason}`);
  }
}

export type Operand =
  | { readonly kind: 'dot'; readonly pos: number }
  | { readonly kind: 'field'; readonly chain: readonly string[]; readonly pos: number }
  | { readonly kind: 'var'; readonly name: string; readonly chain: readonly string[]; readonly pos: number }
  | { readonly kind: 'func'; readonly name: string; readonly pos: number }
  | { readonly kind: 'const'; readonly value: string | number | GoFloat | boolean | null; readonly pos: number }
  | { readonly kind: 'paren'; readonly pipe: Pipe; readonly chain: readonly string[]; readonly pos: number };

export interface Command {
  readonly args: readonly Operand[];
  readonly pos: number;
  /** the command's source text, for error messages */
  readonly src: string;
}

export interface Pipe {
  readonly decl: { readonly names: readonly string[]; readonly op: ':=' | '=' } | undefined;
  readonly cmds: readonly Command[];
  readonly pos: number;
}

interface Branch {
  readonly pipe: Pipe;
  readonly body: readonly Node[];
}

export type Node =
  | { readonly kind: 'text'; readonly text: string }
  | { readonly kind: 'action'; readonly pipe: Pipe }
  | {
      readonly kind: 'if' | 'with';
      readonly branches: readonly Branch[];
      readonly elseBody: readonly Node[] | undefined;
      readonly pos: number;
    }
  | {
      readonly kind: 'range';
      readonly pipe: Pipe;
      readonly body: readonly Node[];
      readonly elseBody: readonly Node[] | undefined;
      readonly pos: number;
    }
  | { readonly kind: 'break' | 'continue'; readonly pos: number }
  /** `{{template "name" pipeline}}` (and the call half of `{{block}}`): pipe undefined runs it with no dot */
  | { readonly kind: 'template'; readonly name: string; readonly pipe: Pipe | undefined; readonly pos: number };

/** A parsed template: the main body and the bodies named by `{{define}}` and `{{block}}`. */
export interface ParsedTemplate {
  readonly main: readonly Node[];
  readonly defines: ReadonlyMap<string, readonly Node[]>;
}

/** The name stern gives its template: `{{template "log"}}` runs the main body. */
const MAIN_NAME = 'log';

/** text/template's IsEmptyTree: nothing but whitespace text (a body that may be redefined). */
function isEmptyBody(nodes: readonly Node[]): boolean {
  return nodes.every((n) => n.kind === 'text' && n.text.trim() === '');
}

const KEYWORDS = new Set(['if', 'else', 'end', 'range', 'with', 'break', 'continue', 'define', 'template', 'block']);

/**
 * How deep {{if}}, {{with}}, {{range}} and parentheses may nest. Go allows 10,000 (its
 * maxStackDepth); far fewer are ever written, and the parser, the compiler and each line's run
 * recurse once per level, so a deeper template is a parse error and never a stack overflow.
 */
const MAX_DEPTH = 100;

class Parser {
  private k = 0;
  private rangeDepth = 0;
  private depth = 0;
  private inDefine = false;
  readonly defines = new Map<string, readonly Node[]>();

  constructor(
    private readonly tokens: Token[],
    private readonly src: string,
    private readonly fail: (pos: number, reason: string) => never,
  ) {}

  parse(): ParsedTemplate {
    const { nodes, stop } = this.list();
    if (stop.kind !== 'eof') this.fail(stop.pos, `unexpected {{${stop.kind}}}`);
    // the main body is the template "log"; a {{define "log"}} stands in for an empty one
    const defined = this.defines.get(MAIN_NAME);
    if (defined !== undefined && !isEmptyBody(nodes) && !isEmptyBody(defined))
      this.fail(0, `template: multiple definition of template "${MAIN_NAME}"`);
    const main = defined !== undefined && isEmptyBody(nodes) ? defined : nodes;
    this.defines.set(MAIN_NAME, main);
    return { main, defines: this.defines };
  }

  private peek(): Token {
    return this.tokens[this.k]!;
  }

  private next(): Token {
    return this.tokens[this.k++]!;
  }

  private peekNonSpace(): Token {
    while (this.peek().kind === 'space') this.k++;
    return this.peek();
  }

  private describe(t: Token): string {
    switch (t.kind) {
      case 'eof':
        return 'end of template';
      case 'rDelim':
        return '"}}"';
      case 'space':
        return 'space';
      case 'string':
        return `string ${JSON.stringify(t.value)}`;
      case 'field':
        return `field .${t.value}`;
      default:
        return `"${t.value}"`;
    }
  }

  private expectClose(context: string): void {
    const t = this.peekNonSpace();
    if (t.kind !== 'rDelim') this.fail(t.pos, `unexpected ${this.describe(t)} in ${context}`);
    this.k++;
  }

  /** One level deeper (a block or a parenthesis at pos), or the parse error past MAX_DEPTH. */
  private nested<T>(pos: number, parse: () => T): T {
    if (this.depth >= MAX_DEPTH)
      this.fail(pos, `max expression depth exceeded: more than ${MAX_DEPTH} nested {{if}}, {{with}}, {{range}} or parentheses`);
    this.depth++;
    try {
      return parse();
    } finally {
      this.depth--;
    }
  }

  /** Nodes up to `{{end}}`, `{{else…}}` or the end of the template. */
  private list(): { nodes: Node[]; stop: { kind: 'end' | 'else' | 'eof'; pos: number } } {
    const nodes: Node[] = [];
    for (;;) {
      const t = this.next();
      if (t.kind === 'eof') return { nodes, stop: { kind: 'eof', pos: t.pos } };
      if (t.kind === 'text') {
        nodes.push({ kind: 'text', text: t.value });
        continue;
      }
      // lDelim
      const first = this.peekNonSpace();
      if (first.kind === 'ident' && KEYWORDS.has(first.value)) {
        this.k++;
        switch (first.value) {
          case 'end':
            this.expectClose('{{end}}');
            return { nodes, stop: { kind: 'end', pos: first.pos } };
          case 'else':
            return { nodes, stop: { kind: 'else', pos: first.pos } };
          case 'if':
          case 'with':
            nodes.push(this.nested(first.pos, () => this.conditional(first.value as 'if' | 'with', first.pos)));
            continue;
          case 'range':
            nodes.push(this.nested(first.pos, () => this.range(first.pos)));
            continue;
          case 'break':
          case 'continue':
            if (this.rangeDepth === 0) this.fail(first.pos, `{{${first.value}}} outside {{range}}`);
            this.expectClose(`{{${first.value}}}`);
            nodes.push({ kind: first.value, pos: first.pos });
            continue;
          case 'define':
            if (this.depth > 0 || this.inDefine)
              this.fail(first.pos, 'unexpected {{define}}: a definition is allowed only at the top level');
            this.define(first.pos);
            continue;
          case 'template':
            nodes.push(this.templateCall(first.pos, 'template clause', false));
            continue;
          case 'block':
            nodes.push(this.nested(first.pos, () => this.block(first.pos)));
            continue;
          default:
            this.fail(first.pos, `unexpected keyword "${first.value}"`);
        }
      }
      const pipe = this.pipeline('action', false);
      this.expectClose('command');
      nodes.push({ kind: 'action', pipe });
    }
  }

  private conditional(kind: 'if' | 'with', pos: number): Node {
    const branches: Branch[] = [];
    let pipe = this.pipeline(kind, false);
    this.expectClose(`{{${kind}}}`);
    for (;;) {
      const { nodes, stop } = this.list();
      branches.push({ pipe, body: nodes });
      if (stop.kind === 'eof') this.fail(pos, `{{${kind}}} has no matching {{end}}`);
      if (stop.kind === 'end') return { kind, branches, elseBody: undefined, pos };
      // {{else}}, {{else if …}} / {{else with …}}
      const t = this.peekNonSpace();
      if (t.kind === 'ident' && t.value === kind) {
        this.k++;
        pipe = this.pipeline(kind, false);
        this.expectClose(`{{else ${kind}}}`);
        continue;
      }
      this.expectClose('{{else}}');
      const rest = this.list();
      if (rest.stop.kind !== 'end')
        this.fail(
          rest.stop.kind === 'eof' ? pos : rest.stop.pos,
          rest.stop.kind === 'eof' ? `{{${kind}}} has no matching {{end}}` : `expected {{end}}; found {{else}}`,
        );
      return { kind, branches, elseBody: rest.nodes, pos };
    }
  }

  /** The quoted name after define, template or block. */
  private templateName(context: string): { name: string; pos: number } {
    const t = this.peekNonSpace();
    if (t.kind !== 'string') this.fail(t.pos, `unexpected ${this.describe(t)} in ${context}`);
    this.k++;
    return { name: t.value, pos: t.pos };
  }

  /** Adds a named body; two non-empty bodies of one name are an error, as Go's multiple definition. */
  private addDefinition(name: string, body: readonly Node[], pos: number): void {
    const before = this.defines.get(name);
    if (before !== undefined && !isEmptyBody(before) && !isEmptyBody(body))
      this.fail(pos, `template: multiple definition of template "${name}"`);
    if (before === undefined || isEmptyBody(before)) this.defines.set(name, body);
  }

  private define(pos: number): void {
    const { name } = this.templateName('define clause');
    this.expectClose('define clause');
    const saved = this.rangeDepth;
    this.rangeDepth = 0;
    this.inDefine = true;
    const { nodes, stop } = this.list();
    this.inDefine = false;
    this.rangeDepth = saved;
    if (stop.kind === 'eof') this.fail(pos, `{{define}} has no matching {{end}}`);
    if (stop.kind === 'else') this.fail(stop.pos, 'unexpected {{else}} in {{define}}');
    this.addDefinition(name, nodes, pos);
  }

  private templateCall(pos: number, context: string, pipeRequired: boolean): Node & { kind: 'template' } {
    const { name } = this.templateName(context);
    let pipe: Pipe | undefined;
    if (pipeRequired || this.peekNonSpace().kind !== 'rDelim') pipe = this.pipeline(context.split(' ')[0]!, false);
    this.expectClose(context);
    return { kind: 'template', name, pipe, pos };
  }

  /** `{{block "name" pipeline}}body{{end}}`: defines name and runs it here. */
  private block(pos: number): Node {
    const call = this.templateCall(pos, 'block clause', true);
    const saved = this.rangeDepth;
    this.rangeDepth = 0;
    const wasInDefine = this.inDefine;
    this.inDefine = true;
    const { nodes, stop } = this.list();
    this.inDefine = wasInDefine;
    this.rangeDepth = saved;
    if (stop.kind === 'eof') this.fail(pos, `{{block}} has no matching {{end}}`);
    if (stop.kind === 'else') this.fail(stop.pos, 'unexpected {{else}} in {{block}}');
    this.addDefinition(call.name, nodes, pos);
    return call;
  }

  private range(pos: number): Node {
    const pipe = this.pipeline('range', true);
    this.expectClose('{{range}}');
    this.rangeDepth++;
    const { nodes, stop } = this.list();
    this.rangeDepth--;
    if (stop.kind === 'eof') this.fail(pos, '{{range}} has no matching {{end}}');
    if (stop.kind === 'end') return { kind: 'range', pipe, body: nodes, elseBody: undefined, pos };
    this.expectClose('{{else}}');
    const rest = this.list();
    if (rest.stop.kind !== 'end')
      this.fail(
        rest.stop.kind === 'eof' ? pos : rest.stop.pos,
        rest.stop.kind === 'eof' ? '{{range}} has no matching {{end}}' : 'expected {{end}}; found {{else}}',
      );
    return { kind: 'range', pipe, body: nodes, elseBody: rest.nodes, pos };
  }

  /** `[$x :=] command | command …` up to `}}` (or `)` inside parentheses). */
  private pipeline(context: string, allowTwoVars: boolean): Pipe {
    const start = this.peekNonSpace();
    let decl: Pipe['decl'];
    if (start.kind === 'var') {
      const save = this.k;
      const names = [this.next().value];
      let t = this.peekNonSpace();
      if (t.kind === 'comma' && allowTwoVars) {
        this.k++;
        const second = this.peekNonSpace();
        if (second.kind !== 'var') this.fail(second.pos, `unexpected ${this.describe(second)} in range declaration`);
        names.push(this.next().value);
        t = this.peekNonSpace();
        if (t.kind !== 'declare' && t.kind !== 'assign') this.fail(t.pos, `unexpected ${this.describe(t)} in range declaration`);
      }
      if (t.kind === 'declare' || t.kind === 'assign') {
        this.k++;
        decl = { names, op: t.kind === 'declare' ? ':=' : '=' };
      } else {
        this.k = save;
      }
    }
    const cmds: Command[] = [];
    for (;;) {
      const t = this.peekNonSpace();
      if (t.kind === 'rDelim' || t.kind === 'rparen' || t.kind === 'eof') break;
      cmds.push(this.command());
      if (this.peekNonSpace().kind === 'pipe') {
        const bar = this.next();
        const after = this.peekNonSpace();
        if (after.kind === 'rDelim' || after.kind === 'rparen' || after.kind === 'pipe')
          this.fail(bar.pos, `missing command after "|" in ${context}`);
      }
    }
    if (cmds.length === 0) this.fail(start.pos, `missing value for ${context}`);
    return { decl, cmds, pos: start.pos };
  }

  private command(): Command {
    const args: Operand[] = [];
    const first = this.peekNonSpace();
    for (;;) {
      const t = this.peekNonSpace();
      if (t.kind === 'rDelim' || t.kind === 'rparen' || t.kind === 'pipe' || t.kind === 'eof') break;
      args.push(this.operand());
      const after = this.peek();
      if (after.kind !== 'space' && after.kind !== 'rDelim' && after.kind !== 'rparen' && after.kind !== 'pipe') {
        this.fail(after.pos, `unexpected ${this.describe(after)} in operand`);
      }
    }
    const end = this.peek().pos;
    return { args, pos: first.pos, src: this.src.slice(first.pos, end).trim() };
  }

  private operand(): Operand {
    const t = this.next();
    let op: Operand;
    switch (t.kind) {
      case 'dot':
        op = { kind: 'dot', pos: t.pos };
        break;
      case 'field':
        op = { kind: 'field', chain: [t.value, ...this.chain()], pos: t.pos };
        return op;
      case 'var':
        return { kind: 'var', name: t.value, chain: this.chain(), pos: t.pos };
      case 'string':
        op = { kind: 'const', value: t.value, pos: t.pos };
        break;
      case 'number': {
        const digits = t.value.replace(/_/g, '');
        // Go's 017 is octal, as 0o17
        const negative = digits.startsWith('-');
        const magnitude = Number(digits.replace(/^[+-]/, '').replace(/^0([0-7]+)$/, '0o$1'));
        const n = negative ? -magnitude : magnitude;
        if (Number.isNaN(n)) this.fail(t.pos, `bad number syntax: "${t.value}"`);
        // as Go's idealConstant: a decimal with a point or an exponent is a float64, any other an int
        const float = !/^[+-]?0[xX]/.test(digits) && /[.eEpP]/.test(digits);
        op = { kind: 'const', value: float ? new GoFloat(n) : n, pos: t.pos };
        break;
      }
      case 'ident':
        if (t.value === 'true' || t.value === 'false') op = { kind: 'const', value: t.value === 'true', pos: t.pos };
        else if (t.value === 'nil') op = { kind: 'const', value: null, pos: t.pos };
        else if (KEYWORDS.has(t.value)) this.fail(t.pos, `unexpected keyword "${t.value}" in operand`);
        else op = { kind: 'func', name: t.value, pos: t.pos };
        break;
      case 'lparen': {
        const pipe = this.nested(t.pos, () => this.pipeline('parenthesized pipeline', false));
        const close = this.peekNonSpace();
        if (close.kind !== 'rparen') this.fail(t.pos, 'unclosed left paren');
        this.k++;
        return { kind: 'paren', pipe, chain: this.chain(), pos: t.pos };
      }
      default:
        this.fail(t.pos, `unexpected ${this.describe(t)} in operand`);
    }
    if (this.peek().kind === 'field') this.fail(this.peek().pos, `unexpected .${this.peek().value} after ${this.describe(t)}`);
    return op;
  }

  /** `.A.B` right after an operand, without spaces. */
  private chain(): string[] {
    const names: string[] = [];
    while (this.peek().kind === 'field') names.push(this.next().value);
    return names;
  }
}

/** Parses a template's text; throws TemplateSyntaxError with the line and column of the problem. */
export function parseTemplate(src: string): ParsedTemplate {
  const fail = (pos: number, reason: string): never => {
    const before = src.slice(0, pos);
    const line = before.split('\n').length;
    const col = pos - before.lastIndexOf('\n');
    throw new TemplateSyntaxError(line, col, reason);
  };
  const tokens = new Lexer(src, fail).run();
  return new Parser(tokens, src, fail).parse();
}
