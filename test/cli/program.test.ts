import { describe, expect, it } from 'vitest';
import { EXAMPLES, parseArgs, type ParsedArgs } from '../../src/cli/program.js';
import { FLAGS, flagName, type FlagSpec } from '../../src/cli/flag-table.js';
import { UsageError } from '../../src/common/errors.js';
import type { RawOptions } from '../../src/cli/options.js';
import { usageError as usageErrorOf } from '../helpers/errors.js';

const VERSION = '9.8.7-test';

function run(argv: readonly string[]): ParsedArgs {
  const outcome = parseArgs(argv, VERSION);
  if (outcome.kind !== 'run') throw new Error(`expected a run, got exit with ${JSON.stringify(outcome.text)}`);
  return outcome.args;
}

function exitText(argv: readonly string[]): string {
  const outcome = parseArgs(argv, VERSION);
  if (outcome.kind !== 'exit') throw new Error(`expected an exit, got ${JSON.stringify(outcome.args)}`);
  return outcome.text;
}

const usageError = (argv: readonly string[]): UsageError => usageErrorOf(() => parseArgs(argv, VERSION));

/** the flag as typed: { short: '-c', long: '--container' } */
function names(spec: FlagSpec): { short: string | undefined; long: string } {
  return { short: spec.short === undefined ? undefined : `-${spec.short}`, long: `--${flagName(spec)}` };
}

/** argv setting one flag, and the RawOptions value it must produce */
function caseFor(spec: FlagSpec, name: string): { argv: string[]; value: unknown } {
  switch (spec.argument.kind) {
    case 'none':
      // --no-follow sets follow to false; every other switch sets its key to true
      return { argv: [name], value: !spec.negated };
    case 'required':
      return spec.repeatable ? { argv: [name, 'v1', name, 'v2,v3'], value: ['v1', 'v2,v3'] } : { argv: [name, 'v1'], value: 'v1' };
    case 'optional':
      // alone, a flag means its value for "alone": -t the default style, --ordered 1s, --events warning
      return { argv: [name], value: spec.argument.whenAlone };
  }
}

const flagCases = FLAGS.flatMap((spec) => {
  const { short, long } = names(spec);
  return [long, ...(short ? [short] : [])].map((name) => ({ name, spec }));
});

describe('parseArgs: every flag of FLAGS', () => {
  it('the table covers the flags the brief promises', () => {
    const longs = FLAGS.map((s) => names(s).long).sort();
    expect(longs).toEqual(
      [
        '--all-namespaces',
        '--color',
        '--container',
        '--context',
        '--demo',
        '--exclude-container',
        '--exclude-pod',
        '--field-selector',
        '--kubeconfig',
        '--max-log-requests',
        '--namespace',
        '--no-follow',
        '--only-log-lines',
        '--output',
        '--selector',
        '--since',
        '--since-time',
        '--tail',
        '--timestamps',
        '--verbose',
        '--node',
        '--container-state',
        '--init-containers',
        '--no-init-containers',
        '--ephemeral-containers',
        '--no-ephemeral-containers',
        '--previous',
        '--timezone',
        '--template',
        '--template-file',
        '--include',
        '--exclude',
        '--highlight',
        '--pod-colors',
        '--container-colors',
        '--diff-container',
        '--ordered',
        '--config',
        '--completion',
        '--follow',
        '--verbosity',
        '--show-hidden-options',
        '--condition',
        '--stdin',
        '--events',
        '--palette',
        '--exclude-namespace',
        '--prompt',
        // kubectl's connection flags
        '--server',
        '--token',
        '--user',
        '--cluster',
        '--as',
        '--as-group',
        '--as-uid',
        '--certificate-authority',
        '--client-certificate',
        '--client-key',
        '--tls-server-name',
        '--insecure-skip-tls-verify',
        '--request-timeout',
        '--disable-compression',
      ].sort(),
    );
  });

  it.each(flagCases)('$name sets $spec.key', ({ name, spec }) => {
    const { argv, value } = caseFor(spec, name);
    const { query, raw } = run(['web', ...argv]);
    expect(query).toBe('web');
    expect(raw[spec.key]).toEqual(value);
  });

  it.each(FLAGS.filter((s) => s.key !== 'follow'))('without its flag, $key is left unset', (spec) => {
    const { raw } = run(['web']);
    expect(raw[spec.key]).toBeUndefined();
  });

  it('follow defaults to true', () => {
    expect(run(['web']).raw.follow).toBe(true);
  });

  it('flags and the query may come in any order', () => {
    expect(run(['-n', 'shop', 'web', '--since', '15m'])).toEqual({
      query: 'web',
      raw: { namespace: ['shop'], since: '15m', follow: true },
    });
  });

  it('the query is optional', () => {
    expect(run(['-l', 'app=web']).query).toBeUndefined();
  });
});

describe('parseArgs: values', () => {
  it.each<[string, string[], Partial<RawOptions>]>([
    ['repeatable -n collects', ['-n', 'a,b', '-n', 'c'], { namespace: ['a,b', 'c'] }],
    ['repeatable -E collects', ['-E', 'x', '--exclude-container', 'y'], { excludeContainer: ['x', 'y'] }],
    ['repeatable --exclude-pod collects', ['--exclude-pod', 'x', '--exclude-pod', 'y'], { excludePod: ['x', 'y'] }],
    ['repeatable --context collects', ['--context', 'a', '--context', 'b,c'], { context: ['a', 'b,c'] }],
    ['-t at the end', ['web', '-t'], { timestamps: 'default' }],
    ['-t short', ['web', '-t', 'short'], { timestamps: 'short' }],
    ['-t default', ['web', '-t', 'default'], { timestamps: 'default' }],
    ['--timestamps=short', ['web', '--timestamps=short'], { timestamps: 'short' }],
    ['--timestamps before another flag', ['web', '--timestamps', '-n', 'a'], { timestamps: 'default', namespace: ['a'] }],
    ['--no-follow', ['web', '--no-follow'], { follow: false }],
    ['--tail -1 takes a negative value', ['web', '--tail', '-1'], { tail: '-1' }],
    ['--since=15m', ['web', '--since=15m'], { since: '15m' }],
    ['-n=shop is not stern, but -nshop is', ['web', '-nshop'], { namespace: ['shop'] }],
    ['-A with -l', ['-A', '-l', 'app=web'], { allNamespaces: true, selector: 'app=web' }],
    [
      'repeatable --container-state collects',
      ['web', '--container-state', 'running', '--container-state', 'waiting,terminated'],
      { containerState: ['running', 'waiting,terminated'] },
    ],
    ['--no-init-containers', ['web', '--no-init-containers'], { initContainers: false }],
    [
      'the last of --init-containers and --no-init-containers wins',
      ['web', '--no-init-containers', '--init-containers'],
      { initContainers: true },
    ],
    ['--no-ephemeral-containers', ['web', '--no-ephemeral-containers'], { ephemeralContainers: false }],
    ['-p', ['web', '-p'], { previous: true }],
    ['--node', ['--node', 'worker-3'], { node: 'worker-3' }],
    ['KIND/NAME is the query', ['deployment/checkout', '-n', 'shop'], { namespace: ['shop'] }],
    [
      'repeatable -i, -e, -H collect',
      ['web', '-i', 'a', '--include', 'b', '-e', 'c', '-H', 'd', '-H', 'e'],
      { include: ['a', 'b'], exclude: ['c'], highlight: ['d', 'e'] },
    ],
    ['-e takes a regex that starts with a dash', ['web', '-e', '-debug'], { exclude: ['-debug'] }],
    ['--template may start with a dash', ['web', '--template', '-{{.Message}}'], { template: '-{{.Message}}' }],
    ['-T', ['web', '-T', 'log.tpl'], { templateFile: 'log.tpl' }],
    [
      '--pod-colors and --container-colors',
      ['web', '--pod-colors', '91,92', '--container-colors', '31,32'],
      { podColors: ['91,92'], containerColors: ['31,32'] },
    ],
    ['-d', ['web', '-d'], { diffContainer: true }],
    ['--timezone', ['web', '--timezone', 'Asia/Tokyo'], { timezone: 'Asia/Tokyo' }],
    ['--ordered alone, at the end', ['web', '--ordered'], { ordered: '1s' }],
    ['--events alone, before the query', ['--events', 'web'], { events: 'warning' }],
    ['--events all', ['web', '--events', 'all'], { events: 'all' }],
    ['--events=warning', ['web', '--events=warning'], { events: 'warning' }],
    ['--ordered=2s', ['web', '--ordered=2s'], { ordered: '2s' }],
    ['--ordered 500ms', ['web', '--ordered', '500ms'], { ordered: '500ms' }],
    ['--ordered 1m30s', ['--ordered', '1m30s', 'web'], { ordered: '1m30s' }],
  ])('%s', (_name, argv, expected) => {
    expect(run(argv).raw).toMatchObject(expected);
  });

  // SPEC §1 writes the flag `-t, --timestamps[=default|short]`: its value is attached with `=`,
  // as in stern, so `ktail -t web` shows timestamps for the pods matching "web".
  it('--ordered before the query does not swallow the query', () => {
    const { query, raw } = run(['--ordered', 'web']);
    expect(query).toBe('web');
    expect(raw.ordered).toBe('1s');
  });

  it('--events before the query does not swallow the query', () => {
    const { query, raw } = run(['--events', 'web']);
    expect(query).toBe('web');
    expect(raw.events).toBe('warning');
  });

  it('-t before the query does not swallow the query', () => {
    const { query, raw } = run(['-t', 'web']);
    expect(query).toBe('web');
    expect(raw.timestamps).toBe('default');
  });
});

describe('parseArgs: help and version', () => {
  it.each([['-h'], ['--help'], ['web', '--help']])('%s prints the help with groups and examples', (...argv) => {
    const text = exitText(argv);
    expect(text).toMatch(/^Usage: ktail \[flags\] \[QUERY\]/);
    for (const heading of ['Selection:', 'Time window:', 'Output:', 'Operation:', 'Examples:']) {
      expect(text).toContain(`\n${heading}\n`);
    }
    expect(text).toContain(EXAMPLES.trim());
    expect(text).toContain('ktail web -c app');
    expect(text).toContain('ktail --demo');
    for (const spec of FLAGS) expect(text).toContain(names(spec).long);
  });

  it('help lists each flag under its group', () => {
    const text = exitText(['--help']);
    const section = (heading: string): string => text.split(`\n${heading}\n`)[1]!.split('\n\n')[0]!;
    for (const spec of FLAGS) expect(section(`${spec.group}:`)).toContain(names(spec).long);
  });

  it.each([['-v'], ['--version']])('%s prints the version', (flag) => {
    expect(exitText([flag]).trim()).toBe(VERSION);
  });
});

describe('parseArgs: command-line errors', () => {
  it.each<[string, string[], RegExp]>([
    ['unknown flag', ['web', '--bogus'], /unknown option '--bogus'/],
    ['unknown short flag', ['web', '-Z'], /unknown option '-Z'/],
    ['missing value', ['web', '-c'], /argument missing/],
    ['missing value at the end', ['web', '--since'], /--since/],
    ['a flag where a value belongs', ['web', '-c', '-n', 'x'], /expected a value, got the flag "-n"/],
    ['too many arguments', ['web', 'api'], /too many arguments/],
  ])('%s', (_name, argv, message) => {
    const err = usageError(argv);
    expect(err.exitCode).toBe(2);
    expect(err.message).toMatch(message);
    expect(err.message).not.toMatch(/^error:/i);
    expect(err.message).not.toContain('\n');
    expect(err.message).toContain('ktail --help');
  });
});
