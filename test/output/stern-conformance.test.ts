/**
 * `--stdin` conformance with stern: each vector of stern-vectors.ts is run through ktail's own
 * command line (parse, resolve, settings, the stdin runner) in process, and its stdout must be
 * the bytes stern writes for the same template, flags and input (the vector cites the stern or
 * Go source the expectation comes from). Where ktail differs on purpose the vector says so.
 *
 * The suite needs neither Go nor stern. With STERN=/path/to/stern in the environment it also runs
 * that binary on every vector and checks that the expected bytes are stern's own (vectors of
 * behaviour newer than stern v1.33.0 only with STERN_HEAD=1 too, for a stern built from its source).
 */
import { spawnSync } from 'node:child_process';
import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { resolveOptions } from '../../src/cli/options.js';
import { parseArgs } from '../../src/cli/program.js';
import { runSettings } from '../../src/cli/settings.js';
import { KtailError } from '../../src/common/errors.js';
import { runStdin } from '../../src/output/stdin.js';
import { STERN_VECTORS, type SternVector } from './stern-vectors.js';

interface Outcome {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** ktail --stdin ARGS with INPUT on standard input, stdout a pipe, as main() runs it. */
async function ktail(args: readonly string[], input: string): Promise<Outcome> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out: Buffer[] = [];
  const err: Buffer[] = [];
  stdout.on('data', (b: Buffer) => out.push(b));
  stderr.on('data', (b: Buffer) => err.push(b));
  const env = { TERM: 'xterm' };
  let code: number;
  try {
    const parsed = parseArgs(['--stdin', ...args], '0.0.0');
    if (parsed.kind !== 'run') throw new Error(`unexpected exit: ${parsed.text}`);
    const opts = resolveOptions(parsed.args.queries, parsed.args.raw);
    code = await runStdin(runSettings(opts, env).output, {
      stdin: Readable.from([Buffer.from(input)]),
      stdout,
      stdoutIsTTY: false,
      stderr,
      env,
      interrupt: new AbortController().signal,
    });
  } catch (e) {
    if (!(e instanceof KtailError)) throw e;
    stderr.write(`ktail: ${e.message}\n`);
    code = e.exitCode;
  }
  await new Promise((resolve) => setImmediate(resolve));
  return { code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') };
}

const messages = (stderr: string): string[] => stderr.split('\n').filter((l) => l !== '');

describe('--stdin: byte for byte as stern', () => {
  it.each(STERN_VECTORS.map((v) => [v.name, v] as [string, SternVector]))('%s', async (_name, v) => {
    const r = await ktail(v.args, v.input);
    expect(r.stdout).toBe(v.ktail?.stdout ?? v.stdout);
    expect(r.code).toBe(v.ktail?.code ?? v.code ?? 0);
    expect(messages(r.stderr)).toHaveLength(v.stderrMessages ?? 0);
    if (v.stderr !== undefined) expect(r.stderr).toMatch(v.stderr);
  });
});

describe('the suite covers every function', () => {
  const GO_BUILTINS = ['and', 'or', 'not', 'len', 'index', 'slice', 'print', 'printf', 'println', 'html', 'js', 'urlquery', 'call'];
  const GO_COMPARISONS = ['eq', 'ne', 'lt', 'le', 'gt', 'ge'];
  const STERN_FUNCS = [
    'json',
    'tryParseJSON',
    'parseJSON',
    'extractJSONParts',
    'tryExtractJSONParts',
    'extjson',
    'prettyJSON',
    'toRFC3339Nano',
    'toUTC',
    'toTimestamp',
    'color',
    'colorCustom',
    'colorBlack',
    'colorRed',
    'colorGreen',
    'colorYellow',
    'colorBlue',
    'colorMagenta',
    'colorCyan',
    'colorWhite',
    'levelColor',
    'bunyanLevelColor',
  ];
  const ACTIONS = ['define', 'template', 'block', 'with', 'range', 'break', 'continue', 'else'];
  const templates = STERN_VECTORS.flatMap((v) => v.args.filter((_a, i) => v.args[i - 1] === '--template'));

  it.each([...GO_BUILTINS, ...GO_COMPARISONS, ...STERN_FUNCS, ...ACTIONS])('%s', (name) => {
    const called = new RegExp(`[{(|\\s]${name}[\\s})]`);
    expect(templates.some((t) => called.test(t))).toBe(true);
  });
});

const stern = process.env.STERN;
describe.runIf(stern !== undefined)('the expected bytes are stern’s own (STERN is set)', () => {
  const vectors = STERN_VECTORS.filter((v) => v.sternHead !== true || process.env.STERN_HEAD !== undefined);
  it.each(vectors.map((v) => [v.name, v] as [string, SternVector]))('%s', (_name, v) => {
    const r = spawnSync(stern!, ['--stdin', ...v.args], { input: v.input, env: { PATH: process.env.PATH, TERM: 'xterm', TZ: 'UTC' } });
    // stern exits 1 where ktail exits 2 (a template that does not parse): the output must agree
    expect(JSON.stringify(r.stdout.toString('utf8'))).toBe(JSON.stringify(v.stdout));
    if (v.code === undefined) expect(r.status).toBe(0);
  });
});
