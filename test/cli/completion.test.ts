import { describe, expect, it } from 'vitest';
import { FLAGS, flagName } from '../../src/cli/flag-table.js';
import { parseScope } from '../../src/cli/completion/complete.js';
import { completionFlags } from '../../src/cli/completion/flags.js';
import { completionScript, SHELLS } from '../../src/cli/completion/scripts.js';
import { UsageError } from '../../src/common/errors.js';
import { resolveOptions, type RawOptions } from '../../src/cli/options.js';

describe('completion flags', () => {
  it('cover the flag table, plus --help and --version', () => {
    const longs = completionFlags().map((f) => f.long);
    for (const spec of FLAGS) expect(longs).toContain(flagName(spec));
    expect(longs).toEqual(expect.arrayContaining(['help', 'version']));
  });

  /** the words completion offers for a flag */
  const words = (long: string): readonly string[] => {
    const values = completionFlags().find((f) => f.long === long)?.values;
    return values?.kind === 'words' ? values.words : [];
  };

  it.each([
    ['output', 'output'],
    ['color', 'color'],
    ['container-state', 'containerState'],
    ['timestamps', 'timestamps'],
  ] as const)('every value offered for --%s is accepted', (long, key) => {
    expect(words(long).length).toBeGreaterThan(1);
    for (const word of words(long)) {
      // -o none writes only files: it needs --output-dir
      const raw: RawOptions = { [key]: key === 'containerState' ? [word] : word, ...(word === 'none' ? { outputDir: 'logs' } : {}) };
      expect(() => resolveOptions('web', raw), `--${long} ${word}`).not.toThrow();
    }
  });

  it('every value offered for --completion makes a script', () => {
    expect(words('completion')).toEqual(SHELLS);
    for (const shell of SHELLS) expect(completionScript(shell).length).toBeGreaterThan(1000);
  });

  it('an unknown shell is a usage error', () => {
    expect(() => completionScript('tcsh')).toThrow(UsageError);
    expect(() => completionScript('tcsh')).toThrow('invalid value "tcsh" for --completion: expected one of bash, zsh, fish');
  });

  it.each<[string, string[], Partial<ReturnType<typeof parseScope>>]>([
    ['nothing', [], { kubeconfig: undefined, context: undefined, namespace: undefined, allNamespaces: false }],
    [
      'separate values',
      ['--kubeconfig', 'k', '--context', 'c', '-n', 'ns', '--config', 'f'],
      { kubeconfig: 'k', context: 'c', namespace: 'ns', config: 'f' },
    ],
    ['= values', ['--kubeconfig=k', '--context=a,b', '--namespace=x,y'], { kubeconfig: 'k', context: 'a', namespace: 'x' }],
    ['-nNS', ['-nshop'], { namespace: 'shop' }],
    ['-A', ['-A'], { allNamespaces: true }],
    ['other flags are ignored', ['--since', '1h', '-c', 'app'], { namespace: undefined, connection: {} }],
    [
      "kubectl's connection flags",
      ['--server', 'https://h:6443', '--token=t', '--as', 'jane', '--as-group', 'a', '--as-group=b', '--request-timeout', '5s'],
      { connection: { server: 'https://h:6443', token: 't', as: 'jane', asGroup: ['a', 'b'], requestTimeout: '5s' } },
    ],
    [
      'connection switches take no value',
      ['--insecure-skip-tls-verify', 'web', '--disable-compression=false'],
      { connection: { insecureSkipTlsVerify: true, disableCompression: false } },
    ],
  ])('__complete reads the cluster flags: %s', (_, args, expected) => {
    expect(parseScope(args)).toMatchObject(expected);
  });
});
