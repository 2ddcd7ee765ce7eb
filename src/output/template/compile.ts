/**
 * Syntax tree → closures, once per run: each node becomes a function of the execution state, so
 * a line costs function calls and string appends, never a tree walk with lookups by name, and
 * never `eval`. Function names, arities, variables and the fields of a line are checked here,
 * before the first line, with the position of the mistake.
 */
import { FUNCS, type TemplateEnv } from './funcs.js';
import type { Command, Node, Operand, ParsedTemplate, Pipe } from './parse.js';
import { ExecError, fieldOf, isLogField, isMap, leafText, LOG_FIELDS, MAX_LINE_OUTPUT, show, tooLong, truthy } from './values.js';

interface State {
  dot: unknown;
  /** the variables of the running body ($ first); a {{template}} call swaps in its own */
  vars: unknown[];
  /** {{template}} calls in progress */
  depth: number;
  out: string;
  readonly env: TemplateEnv;
  /** {{range}} iterations left for this line */
  steps: number;
}

/**
 * The {{range}} iterations one line may run, all ranges together: past it the line fails (it is
 * dropped with a message) instead of holding every source up, as `{{range 100000000}}` would.
 */
const MAX_RANGE_STEPS = 1_000_000;

/**
 * How deeply {{template}} calls may nest (a template calling itself). Go allows 100,000; each
 * level costs stack here, so a runaway recursion fails the line well before the stack ends.
 */
const MAX_TEMPLATE_DEPTH = 1000;

/** A compiled body: run it and how many variable slots it needs. */
interface Body {
  run: Run;
  slots: number;
}

type Eval = (s: State) => unknown;
type Run = (s: State) => void;

/** A compile-time mistake at a source offset (turned into line:column by the caller). */
export class CompileError extends Error {
  constructor(
    readonly pos: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

// thrown through the evaluation of a range body; made once, so no stack is captured per throw
class BreakSignal extends Error {}
class ContinueSignal extends Error {}
const BREAK = new BreakSignal();
const CONTINUE = new ContinueSignal();

/** Variables visible at a point of the template: name → slot, innermost last. */
class Scope {
  private readonly names: { name: string; slot: number }[] = [{ name: '$', slot: 0 }];
  slots = 1;

  declare(name: string): number {
    const slot = this.slots++;
    this.names.push({ name, slot });
    return slot;
  }

  lookup(name: string, pos: number): number {
    for (let i = this.names.length - 1; i >= 0; i--) if (this.names[i]!.name === name) return this.names[i]!.slot;
    throw new CompileError(pos, `undefined variable "${name}"`);
  }

  mark(): number {
    return this.names.length;
  }

  release(mark: number): void {
    this.names.length = mark;
  }
}

/** Wraps errors from a function or field with the command they came from, as Go does. */
function located(cmd: Command, f: Eval): Eval {
  return (s) => {
    try {
      return f(s);
    } catch (err) {
      if (err instanceof BreakSignal || err instanceof ContinueSignal) throw err;
      const msg = err instanceof Error ? err.message : String(err);
      if (err instanceof ExecError && msg.startsWith('at <')) throw err;
      throw new ExecError(`at <${cmd.src}>: ${msg}`);
    }
  };
}

function chainOf(base: Eval, chain: readonly string[]): Eval {
  if (chain.length === 0) return base;
  if (chain.length === 1) {
    const [a] = chain as [string];
    return (s) => fieldOf(base(s), a);
  }
  return (s) => {
    let v = base(s);
    for (const name of chain) v = fieldOf(v, name);
    return v;
  };
}

class Compiler {
  readonly scope = new Scope();

  /**
   * @param rootIsLine the body's dot and $ are the line (the main body), so field names are
   *   checked here; a {{define}}d body's dot is whatever its caller passes
   * @param bodies every named body, filled in before the first line runs
   */
  constructor(
    private readonly rootIsLine: boolean,
    private readonly bodies: ReadonlyMap<string, Body>,
  ) {}

  nodes(nodes: readonly Node[], dotIsRoot: boolean): Run {
    const runs = nodes.map((n) => this.node(n, dotIsRoot));
    if (runs.length === 1) return runs[0]!;
    return (s) => {
      for (const r of runs) r(s);
    };
  }

  private node(n: Node, dotIsRoot: boolean): Run {
    switch (n.kind) {
      case 'text': {
        const text = n.text;
        return (s) => {
          s.out += text;
          if (s.out.length > MAX_LINE_OUTPUT) throw tooLong('the output');
        };
      }
      case 'action': {
        const value = this.pipe(n.pipe, dotIsRoot);
        if (n.pipe.decl !== undefined) return (s) => void value(s);
        return (s) => {
          s.out += show(value(s));
          if (s.out.length > MAX_LINE_OUTPUT) throw tooLong('the output');
        };
      }
      case 'if':
      case 'with':
        return this.conditional(n.kind, n.branches, n.elseBody, dotIsRoot);
      case 'range':
        return this.range(n.pipe, n.body, n.elseBody, dotIsRoot);
      case 'break':
        return () => {
          throw BREAK;
        };
      case 'continue':
        return () => {
          throw CONTINUE;
        };
      case 'template':
        return this.templateCall(n.name, n.pipe, dotIsRoot);
    }
  }

  private templateCall(name: string, pipe: Pipe | undefined, dotIsRoot: boolean): Run {
    const value = pipe === undefined ? undefined : this.pipe(pipe, dotIsRoot);
    const bodies = this.bodies;
    return (s) => {
      const dot = value?.(s);
      // looked up when run, as Go does: a call in a branch never taken may name no template
      const body = bodies.get(name);
      if (body === undefined) throw new ExecError(`template "${name}" not defined`);
      if (s.depth >= MAX_TEMPLATE_DEPTH) throw new ExecError(`exceeded maximum template depth (${MAX_TEMPLATE_DEPTH})`);
      const { dot: savedDot, vars: savedVars } = s;
      const vars = new Array<unknown>(body.slots);
      vars[0] = dot;
      s.dot = dot;
      s.vars = vars;
      s.depth++;
      try {
        body.run(s);
      } finally {
        s.depth--;
        s.dot = savedDot;
        s.vars = savedVars;
      }
    };
  }

  private conditional(
    kind: 'if' | 'with',
    branches: readonly { pipe: Pipe; body: readonly Node[] }[],
    elseBody: readonly Node[] | undefined,
    dotIsRoot: boolean,
  ): Run {
    const mark = this.scope.mark();
    const compiled = branches.map((b) => ({
      test: this.pipe(b.pipe, dotIsRoot),
      // with sets dot to the value: what it holds is unknown here
      body: this.nodes(b.body, kind === 'if' && dotIsRoot),
    }));
    const otherwise = elseBody === undefined ? undefined : this.nodes(elseBody, dotIsRoot);
    this.scope.release(mark);
    return (s) => {
      for (const b of compiled) {
        const v = b.test(s);
        if (!truthy(v)) continue;
        if (kind === 'if') {
          b.body(s);
        } else {
          const saved = s.dot;
          s.dot = v;
          try {
            b.body(s);
          } finally {
            s.dot = saved;
          }
        }
        return;
      }
      otherwise?.(s);
    };
  }

  private range(pipe: Pipe, body: readonly Node[], elseBody: readonly Node[] | undefined, dotIsRoot: boolean): Run {
    const mark = this.scope.mark();
    // the variables of `range $i, $e := x` receive index and element, not the pipeline's value
    const value = this.pipe({ ...pipe, decl: undefined }, dotIsRoot);
    const names = pipe.decl?.names ?? [];
    if (pipe.decl?.op === '=') throw new CompileError(pipe.pos, 'range can only declare variables (:=)');
    const slots = names.map((n) => this.scope.declare(n));
    const keySlot = slots.length === 2 ? slots[0] : undefined;
    const elemSlot = slots.length === 2 ? slots[1] : slots[0];
    const run = this.nodes(body, false);
    const otherwise = elseBody === undefined ? undefined : this.nodes(elseBody, dotIsRoot);
    this.scope.release(mark);
    const iterate = (s: State, key: unknown, elem: unknown): boolean => {
      if (--s.steps < 0) throw new ExecError(`range: more than ${MAX_RANGE_STEPS.toLocaleString('en-US')} iterations in one line`);
      if (keySlot !== undefined) s.vars[keySlot] = key;
      if (elemSlot !== undefined) s.vars[elemSlot] = elem;
      s.dot = elem;
      try {
        run(s);
      } catch (err) {
        if (err === BREAK) return false;
        if (err !== CONTINUE) throw err;
      }
      return true;
    };
    return (s) => {
      const v = value(s);
      const saved = s.dot;
      let any = false;
      try {
        if (Array.isArray(v)) {
          for (let i = 0; i < v.length; i++) {
            any = true;
            if (!iterate(s, i, v[i])) break;
          }
        } else if (typeof v === 'number') {
          if (keySlot !== undefined) throw new ExecError(`can't use ${v} to iterate over more than one variable`);
          for (let i = 0; i < v; i++) {
            any = true;
            if (!iterate(s, i, i)) break;
          }
        } else if (isMap(v)) {
          for (const k of Object.keys(v).sort()) {
            any = true;
            if (!iterate(s, k, v[k])) break;
          }
        } else if (v !== undefined && v !== null) {
          throw new ExecError(`range can't iterate over ${leafText(v)}`);
        }
      } finally {
        s.dot = saved;
      }
      if (!any) otherwise?.(s);
    };
  }

  pipe(pipe: Pipe, dotIsRoot: boolean): Eval {
    let value: Eval | undefined;
    for (let i = 0; i < pipe.cmds.length; i++) value = this.command(pipe.cmds[i]!, value, i, dotIsRoot);
    const result = value!;
    const decl = pipe.decl;
    if (decl === undefined) return result;
    if (decl.names.length !== 1) throw new CompileError(pipe.pos, 'too many declarations');
    const name = decl.names[0]!;
    if (decl.op === '=') {
      const slot = this.scope.lookup(name, pipe.pos);
      return (s) => (s.vars[slot] = result(s));
    }
    const slot = this.scope.declare(name);
    return (s) => (s.vars[slot] = result(s));
  }

  private command(cmd: Command, piped: Eval | undefined, stage: number, dotIsRoot: boolean): Eval {
    const [head, ...rest] = cmd.args;
    if (head === undefined) throw new CompileError(cmd.pos, 'empty command');
    if (head.kind !== 'func') {
      if (rest.length > 0) throw new CompileError(rest[0]!.pos, `can't give argument to non-function ${cmd.src.split(/\s/)[0]}`);
      if (piped !== undefined) throw new CompileError(cmd.pos, `non executable command in pipeline stage ${stage + 1}`);
      return located(cmd, this.operand(head, dotIsRoot));
    }
    const spec = FUNCS.get(head.name);
    if (spec === undefined) throw new CompileError(head.pos, `function "${head.name}" not defined`);
    const args = rest.map((a) => this.operand(a, dotIsRoot));
    if (piped !== undefined) args.push(piped);
    if (args.length < spec.min || args.length > spec.max) {
      const want = spec.min === spec.max ? `${spec.min}` : spec.max === Infinity ? `at least ${spec.min}` : `${spec.min} or ${spec.max}`;
      throw new CompileError(head.pos, `wrong number of args for ${head.name}: want ${want} got ${args.length}`);
    }
    // and/or stop at the first argument that decides, as in Go
    if (head.name === 'and' || head.name === 'or') {
      const stopOn = head.name === 'or';
      return located(cmd, (s) => {
        let v: unknown;
        for (const a of args) {
          v = a(s);
          if (truthy(v) === stopOn) return v;
        }
        return v;
      });
    }
    const call = spec.call;
    const name = head.name;
    const n = args.length;
    return located(cmd, (s) => {
      const values = new Array<unknown>(n);
      for (let i = 0; i < n; i++) values[i] = args[i]!(s);
      let result: unknown;
      try {
        result = call(s.env, values);
      } catch (err) {
        if (err instanceof ExecError) throw err;
        throw new ExecError(`error calling ${name}: ${err instanceof Error ? err.message : String(err)}`);
      }
      if (typeof result === 'string' && result.length > MAX_LINE_OUTPUT) throw tooLong(`the result of ${name}`);
      return result;
    });
  }

  private operand(op: Operand, dotIsRoot: boolean): Eval {
    switch (op.kind) {
      case 'dot':
        return (s) => s.dot;
      case 'field': {
        if (dotIsRoot) this.checkField(op.chain[0]!, op.pos);
        return chainOf((s) => s.dot, op.chain);
      }
      case 'var': {
        const slot = this.scope.lookup(op.name, op.pos);
        if (slot === 0 && this.rootIsLine && op.chain.length > 0) this.checkField(op.chain[0]!, op.pos);
        return chainOf((s) => s.vars[slot], op.chain);
      }
      case 'const': {
        const v = op.value;
        return () => v;
      }
      case 'paren':
        return chainOf(this.pipe(op.pipe, dotIsRoot), op.chain);
      case 'func':
        // a function named as an argument is called without arguments, as in Go
        return this.command({ args: [op], pos: op.pos, src: op.name }, undefined, 0, dotIsRoot);
    }
  }

  private checkField(name: string, pos: number): void {
    if (!isLogField(name)) {
      throw new CompileError(pos, `can't evaluate field ${name}: a line has ${LOG_FIELDS.map((f) => `.${f}`).join(', ')}`);
    }
  }
}

/** A compiled template: run(root, env) → the text, or an ExecError. */
export interface Compiled {
  execute(root: unknown, env: TemplateEnv): string;
}

export function compileTemplate(parsed: ParsedTemplate): Compiled {
  const bodies = new Map<string, Body>();
  const compileBody = (nodes: readonly Node[], rootIsLine: boolean): Body => {
    const c = new Compiler(rootIsLine, bodies);
    const run = c.nodes(nodes, rootIsLine);
    return { run, slots: c.scope.slots };
  };
  const main = compileBody(parsed.main, true);
  for (const [name, nodes] of parsed.defines) bodies.set(name, nodes === parsed.main ? main : compileBody(nodes, false));
  const { run, slots } = main;
  return {
    execute(root, env) {
      const vars = new Array<unknown>(slots);
      vars[0] = root;
      const s: State = { dot: root, vars, out: '', env, steps: MAX_RANGE_STEPS, depth: 0 };
      try {
        run(s);
      } catch (err) {
        // out of memory for a string or out of stack on a deep value: this line fails, the run goes on
        if (err instanceof RangeError) throw new ExecError(err.message);
        throw err;
      }
      return s.out;
    },
  };
}
