import { describe, expect, it } from 'vitest';
import { FLAGS, flagName, type FlagSpec } from '../../src/cli/flag-table.js';
import { parseArgs } from '../../src/cli/program.js';
import { parseConfig, type ConfigSource } from '../../src/cli/config.js';
import { completionFlags } from '../../src/cli/completion/flags.js';
import { completionScript } from '../../src/cli/completion/scripts.js';
import { flagTable } from '../../src/cli/readme-table.js';
import { resolveOptions, type RawOptions } from '../../src/cli/options.js';
import { UsageError } from '../../src/common/errors.js';

const SOURCE: ConfigSource = { path: '/h/ktail.yaml', shown: 'ktail.yaml', explicit: 'flag' };

/** A flag that is not in ktail: one row more in the table, and nothing else. */
const FLAVOUR: FlagSpec = {
  key: 'flavour' as keyof RawOptions,
  long: 'flavour',
  short: 'F',
  argument: { kind: 'required', name: 'taste' },
  choices: ['sweet', 'sour'],
  group: 'Output',
  help: 'how the lines taste',
  defaultText: 'sweet',
};
/** and a switch that only exists as --no-X */
const SUGAR: FlagSpec = {
  key: 'sugar' as keyof RawOptions,
  long: 'sugar',
  negated: true,
  argument: { kind: 'none' },
  group: 'Output',
  help: 'no sugar',
};
const TABLE: readonly FlagSpec[] = [...FLAGS, FLAVOUR, SUGAR];

function help(flags: readonly FlagSpec[]): string {
  const outcome = parseArgs(['--help'], '1.0.0', flags);
  if (outcome.kind !== 'exit') throw new Error('--help should exit');
  return outcome.text;
}

function configError(text: string, flags: readonly FlagSpec[]): string {
  try {
    parseConfig(text, SOURCE, flags);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`expected a UsageError for ${JSON.stringify(text)}`);
}

describe('a flag added to the table', () => {
  it('is in --help, under its group', () => {
    const output = help(TABLE).split('\nOutput:\n')[1]!.split('\n\n')[0]!;
    expect(output).toMatch(/\n {2}-F, --flavour <taste> +how the lines taste\n/);
    expect(output).toContain('--no-sugar');
    expect(help(FLAGS)).not.toContain('--flavour');
  });

  it('is parsed from the command line', () => {
    const outcome = parseArgs(['web', '-F', 'sour', '--no-sugar'], '1.0.0', TABLE);
    expect(outcome).toMatchObject({ kind: 'run', args: { queries: ['web'], raw: { flavour: 'sour', sugar: false } } });
  });

  it('is a config-file key, whose value is checked against its choices', () => {
    expect(parseConfig('flavour: sour\nsugar: false', SOURCE, TABLE)).toEqual({ flavour: 'sour', sugar: false });
    expect(parseConfig('no-sugar: true', SOURCE, TABLE)).toEqual({ sugar: false });
    expect(configError('since: 1h\nflavour: bitter', TABLE)).toBe(
      'ktail.yaml:2: invalid value "bitter" for --flavour: expected one of sweet, sour',
    );
    expect(configError('flavour: [sweet]', TABLE)).toBe('ktail.yaml:1: invalid value for flavour: expected a string, got a list');
    expect(configError('flavor: sweet', TABLE)).toBe(
      'ktail.yaml:1: unknown key "flavor" (did you mean "flavour"?): keys are long flag names, as in ktail --help',
    );
    expect(configError('F: sweet', TABLE)).toContain('(did you mean "flavour"?)');
    expect(configError('flavour: sweet', FLAGS)).toContain('unknown key "flavour"');
  });

  it('completes its words, in every shell', () => {
    expect(completionFlags(TABLE).find((f) => f.long === 'flavour')).toMatchObject({
      short: 'F',
      arg: 'required',
      placeholder: 'taste',
      values: { kind: 'words', words: ['sweet', 'sour'] },
    });
    expect(completionScript('bash', TABLE)).toContain('--flavour|-F) _ktail_reply "sweet sour"; return ;;');
    expect(completionScript('zsh', TABLE)).toContain("'--flavour=[how the lines taste]:taste:(sweet sour)'");
    expect(completionScript('fish', TABLE)).toContain("complete -c $cmd -s F -l flavour -x -a 'sweet sour' -d 'how the lines taste'");
    expect(completionScript('fish', TABLE)).toContain("complete -c $cmd -l no-sugar -d 'no sugar'");
    expect(completionScript('bash', FLAGS)).not.toContain('flavour');
  });

  it('is a row of the README table, in its group', () => {
    const output = flagTable(TABLE).split('**Output**')[1]!.split('**Operation**')[0]!;
    expect(output).toContain('| `-F, --flavour TASTE` | sweet | how the lines taste |\n');
    expect(output).toContain('| `--no-sugar` | – | no sugar |\n');
    expect(flagTable(FLAGS)).not.toContain('flavour');
  });
});

describe('the flag table', () => {
  it('names each flag once, long and short', () => {
    const longs = FLAGS.map(flagName);
    const shorts = FLAGS.flatMap((s) => (s.short === undefined ? [] : [s.short]));
    expect(new Set(longs).size).toBe(longs.length);
    expect(new Set(shorts).size).toBe(shorts.length);
    expect(shorts).not.toContain('h');
    expect(shorts).not.toContain('v');
  });

  it.each(FLAGS.filter((s) => s.choices !== undefined && s.key !== 'completion'))(
    'resolveOptions accepts exactly the choices of --$long',
    (spec) => {
      // -o none writes only files: it needs --output-dir
      const raw = (v: string): RawOptions => ({ [spec.key]: spec.repeatable ? [v] : v, ...(v === 'none' ? { outputDir: 'logs' } : {}) });
      for (const word of spec.choices!) expect(() => resolveOptions('web', raw(word))).not.toThrow();
      expect(() => resolveOptions('web', raw('bogus'))).toThrow(
        `invalid value "bogus" for --${spec.long}: expected one of ${spec.choices!.join(', ')}`,
      );
    },
  );

  it('--completion offers the shells completionScript knows', () => {
    const completion = FLAGS.find((s) => s.key === 'completion')!;
    for (const shell of completion.choices!) expect(() => completionScript(shell)).not.toThrow();
  });
});
