/** Flags kept for stern's and kubectl's habits: -f, --verbosity, -v=N, --show-hidden-options, --tail 0 --no-follow. */
import { describe, expect, it } from 'vitest';
import { parseArgs, type ParsedArgs } from '../../src/cli/program.js';
import { resolveOptions } from '../../src/cli/options.js';
import { parseConfig, type ConfigSource } from '../../src/cli/config.js';
import { usageError } from '../helpers/errors.js';

function run(argv: readonly string[]): ParsedArgs {
  const outcome = parseArgs(argv, '1.2.3');
  if (outcome.kind !== 'run') throw new Error(`expected a run, got ${outcome.kind}`);
  return outcome.args;
}

const resolved = (argv: readonly string[]) => {
  const { queries, raw } = run(argv);
  return resolveOptions(queries, raw);
};

describe('-f/--follow (kubectl habit)', () => {
  it.each([['-f'], ['--follow']])('%s is accepted and changes nothing', (flag) => {
    expect(resolved(['web', flag]).follow).toBe(true);
  });

  it('does not undo --no-follow, whichever comes first', () => {
    expect(resolved(['web', '--no-follow', '-f']).follow).toBe(false);
    expect(resolved(['web', '-f', '--no-follow']).follow).toBe(false);
  });

  it('is not a config-file key; `follow: false` still means --no-follow', () => {
    const source: ConfigSource = { path: '/h/k.yaml', shown: 'k.yaml', explicit: 'flag' };
    expect(parseConfig('follow: false', source)).toEqual({ follow: false });
  });
});

describe('--tail 0 with --no-follow (stern #331)', () => {
  it.each([
    [
      ['web', '--tail', '0', '--no-follow'],
      '--tail 0 with --no-follow would print nothing: give --tail N with N above 0, or leave --tail out for all lines',
    ],
    [['web', '--tail', '0', '-p'], /^--tail 0 with --previous would print nothing/],
  ])('%j is a usage error', (argv, message) => {
    const err = usageError(() => resolved(argv));
    if (typeof message === 'string') expect(err.message).toBe(message);
    else expect(err.message).toMatch(message);
  });

  it('--tail 0 while following is fine (only new lines)', () => {
    expect(resolved(['web', '--tail', '0']).tail).toBe(0);
  });
});

describe('--verbosity', () => {
  it('0 by default; --verbose is --verbosity 1', () => {
    expect(resolved(['web'])).toMatchObject({ verbosity: 0, verbose: false });
    expect(resolved(['web', '--verbose'])).toMatchObject({ verbosity: 1, verbose: true });
    expect(resolved(['web', '--verbosity', '1'])).toMatchObject({ verbosity: 1, verbose: true });
    expect(resolved(['web', '--verbosity=9'])).toMatchObject({ verbosity: 9, verbose: true });
    expect(resolved(['web', '--verbosity', '0'])).toMatchObject({ verbosity: 0, verbose: false });
  });

  it.each([['x'], ['-1'], ['1.5']])('--verbosity %s is a usage error', (value) => {
    expect(usageError(() => resolveOptions('web', { verbosity: value })).message).toMatch(/^invalid value ".*" for --verbosity/);
  });
});

describe('-v given a value (kubectl habit)', () => {
  it.each([
    [['web', '-v=9'], '"-v=9"', '9'],
    [['web', '-v9'], '"-v9"', '9'],
    [['-v', '4', 'web'], '"-v 4"', '4'],
    [['web', '--version=2'], '"--version=2"', '2'],
  ])('%j is a usage error pointing at --verbosity', (argv, given, level) => {
    const err = usageError(() => parseArgs(argv, '1.2.3'));
    expect(err.message).toBe(`unexpected value in ${given}: -v is --version; for verbosity use --verbosity ${level}`);
  });

  it('-v alone still prints the version; after -- it is the query', () => {
    expect(parseArgs(['-v'], '1.2.3')).toEqual({ kind: 'exit', text: '1.2.3\n' });
    expect(run(['--', '-v=9']).queries).toEqual(['-v=9']);
  });
});

describe('--show-hidden-options', () => {
  it('is parsed (main prints that there are none and exits 0)', () => {
    expect(run(['--show-hidden-options']).raw.showHiddenOptions).toBe(true);
  });
});
