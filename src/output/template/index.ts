/**
 * stern-style log templates (Go text/template syntax), parsed and compiled once into closures.
 * Nothing in a template is ever evaluated as JavaScript: it can only read the line's fields and
 * call the functions of funcs.ts.
 */
import { CompileError, compileTemplate as compileParsed, type Compiled } from './compile.js';
import type { TemplateEnv } from './funcs.js';
import { parseTemplate, TemplateSyntaxError } from './parse.js';
import { ExecError } from './values.js';

export { Color, ExecError, LogRecord, nilMap, stringMap } from './values.js';
export type { TemplateEnv } from './funcs.js';

/** A template that did not parse or compile: line and column of the mistake, and what it is. */
export class TemplateError extends Error {
  constructor(
    readonly line: number,
    readonly col: number,
    readonly reason: string,
  ) {
    super(`${line}:${col}: ${reason}`);
  }
}

export interface Template {
  /** the template's text, as given */
  readonly source: string;
  /** The text for one line; throws ExecError (with the failing command) when a function fails. */
  execute(root: unknown, env: TemplateEnv): string;
}

function position(src: string, pos: number): { line: number; col: number } {
  const before = src.slice(0, pos);
  return { line: before.split('\n').length, col: pos - before.lastIndexOf('\n') };
}

/** Parses and compiles; throws TemplateError. */
export function compileTemplate(source: string): Template {
  let compiled: Compiled;
  try {
    compiled = compileParsed(parseTemplate(source));
  } catch (err) {
    if (err instanceof TemplateSyntaxError) throw new TemplateError(err.line, err.col, err.reason);
    if (err instanceof CompileError) {
      const { line, col } = position(source, err.pos);
      throw new TemplateError(line, col, err.reason);
    }
    throw err;
  }
  return {
    source,
    execute: (root, env) => compiled.execute(root, env),
  };
}

export function isExecError(err: unknown): err is ExecError {
  return err instanceof ExecError;
}
