import { describe, expect, it } from 'vitest';
import { FLAGS, flagName } from '../../src/cli/flag-table.js';
import { CONFIG_KEYS, configSource, lineOfKey, mergeConfig, parseConfig, suggestKey, type ConfigSource } from '../../src/cli/config.js';
import { UsageError } from '../../src/common/errors.js';
import type { RawOptions } from '../../src/cli/options.js';

const SOURCE: ConfigSource = { path: '/h/.config/ktail/config.yaml', shown: '~/.config/ktail/config.yaml', explicit: undefined };

function parse(text: string): RawOptions {
  return parseConfig(text, SOURCE);
}

function failure(text: string): string {
  try {
    parse(text);
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`expected a UsageError for ${JSON.stringify(text)}`);
}

describe('config keys', () => {
  it('every long flag is a key, except --config, --completion, --show-hidden-options, --stdin, --prompt, the ignored -f/--follow and the connection flags but two', () => {
    const longs = FLAGS.filter((s) => s.inConfigFile !== false).map(flagName);
    // kubectl's connection flags name the kubeconfig's clusters, files and identities, or carry
    // a secret: the kubeconfig's business, per context; only the two preferences are keys
    const connection = FLAGS.filter((s) => s.group === 'Connection').map(flagName);
    expect(connection.filter((n) => CONFIG_KEYS.has(n)).sort()).toEqual(['disable-compression', 'request-timeout']);
    expect(
      FLAGS.filter((s) => s.inConfigFile === false && s.group !== 'Connection')
        .map(flagName)
        .sort(),
    ).toEqual(['completion', 'config', 'follow', 'prompt', 'show-hidden-options', 'stdin']);
    expect(CONFIG_KEYS.has('token')).toBe(false);
    expect(CONFIG_KEYS.has('insecure-skip-tls-verify')).toBe(false);
    for (const name of longs) expect(CONFIG_KEYS.has(name), name).toBe(true);
    expect(CONFIG_KEYS.has('config')).toBe(false);
    expect(CONFIG_KEYS.has('completion')).toBe(false);
    // the positive form of a flag that only exists as --no-X
    expect(CONFIG_KEYS.get('follow')).toMatchObject({ key: 'follow', negate: false });
    expect(CONFIG_KEYS.get('no-follow')).toMatchObject({ key: 'follow', negate: true });
  });

  it.each([
    ['colour', 'color'],
    ['namespaces', 'namespace'],
    ['excludeContainer', 'exclude-container'],
    ['exclude_container', 'exclude-container'],
    ['n', 'namespace'],
    ['timestamp', 'timestamps'],
    ['kubeconfg', 'kubeconfig'],
    ['zzz', undefined],
  ])('suggests a key for %s', (typo, expected) => {
    expect(suggestKey(typo)).toBe(expected);
  });
});

describe('parseConfig: values become what the flags would give', () => {
  it.each<[string, string, RawOptions]>([
    ['a string', 'namespace: shop', { namespace: ['shop'] }],
    ['a list', 'namespace: [shop, payments]', { namespace: ['shop', 'payments'] }],
    ['a block list', 'exclude-container:\n  - istio-proxy\n  - linkerd-proxy', { excludeContainer: ['istio-proxy', 'linkerd-proxy'] }],
    ['a duration', 'since: 15m', { since: '15m' }],
    ['a number', 'tail: 100', { tail: '100' }],
    ['a negative number', 'tail: -1', { tail: '-1' }],
    ['an RFC3339 time stays text', 'since-time: 2026-11-22T10:00:00Z', { sinceTime: '2026-11-22T10:00:00Z' }],
    ['a switch', 'all-namespaces: true', { allNamespaces: true }],
    ['a switch off', 'only-log-lines: false', { onlyLogLines: false }],
    ['no-follow', 'no-follow: true', { follow: false }],
    ['follow: false', 'follow: false', { follow: false }],
    ['init-containers: false', 'init-containers: false', { initContainers: false }],
    ['no-init-containers', 'no-init-containers: true', { initContainers: false }],
    ['timestamps: true is -t', 'timestamps: true', { timestamps: true }],
    ['timestamps: short', 'timestamps: short', { timestamps: 'short' }],
    ['timestamps: false is off', 'timestamps: false', {}],
    ['ordered: 2s', 'ordered: 2s', { ordered: '2s' }],
    ['colours', 'pod-colors: "91,92"\ncontainer-colors: [31, 32]', { podColors: ['91,92'], containerColors: ['31', '32'] }],
    ['comments and quotes', '# mine\n"color": never # always never\n', { color: 'never' }],
    ['an empty file', '', {}],
    ['only comments', '# nothing yet\n', {}],
  ])('%s', (_, text, expected) => {
    expect(parse(text)).toEqual(expected);
  });
});

describe('parseConfig: mistakes name the file and the line', () => {
  it.each([
    [
      'an unknown key, with a suggestion',
      'namespace: shop\nsince: 15m\ncolour: never\n',
      '~/.config/ktail/config.yaml:3: unknown key "colour" (did you mean "color"?): keys are long flag names, as in ktail --help',
    ],
    [
      'an unknown key, without one',
      'zzz: 1',
      '~/.config/ktail/config.yaml:1: unknown key "zzz": keys are long flag names, as in ktail --help',
    ],
    [
      'a bad duration',
      'namespace: shop\nsince: 15x',
      '~/.config/ktail/config.yaml:2: invalid duration "15x" for --since: expected a number and a unit, like 30s, 15m, 1h30m or 2d',
    ],
    ['a bad number', '\n\ntail: many', '~/.config/ktail/config.yaml:3: invalid value "many" for --tail: expected a whole number'],
    [
      'a bad colour mode',
      'color: purple',
      '~/.config/ktail/config.yaml:1: invalid value "purple" for --color: expected one of auto, always, never',
    ],
    [
      'a bad output format',
      'output: yaml',
      '~/.config/ktail/config.yaml:1: invalid value "yaml" for --output: expected one of default, raw, json, extjson, ppextjson',
    ],
    [
      'a bad timestamp style',
      'timestamps: long',
      '~/.config/ktail/config.yaml:1: invalid value "long" for --timestamps: expected one of default, short',
    ],
    ['a bad regex', 'container: "app("', '~/.config/ktail/config.yaml:1: invalid --container regex "app(": missing closing )'],
    [
      'a switch that is not a boolean',
      'verbose: yes',
      '~/.config/ktail/config.yaml:1: invalid value for verbose: expected true or false, got string "yes"',
    ],
    ['a string that is a list', 'since: [1h]', '~/.config/ktail/config.yaml:1: invalid value for since: expected a string, got a list'],
    [
      'a list holding a mapping',
      'namespace:\n  - shop\n  - {a: 1}',
      '~/.config/ktail/config.yaml:1: invalid value for namespace: expected a list of strings, got a mapping',
    ],
    ['an empty value', 'since:', '~/.config/ktail/config.yaml:1: invalid value for since: expected a string, got nothing'],
    [
      'two keys that exclude each other',
      'since: 1h\nnamespace: shop\nsince-time: 2026-11-22T10:00:00Z',
      '~/.config/ktail/config.yaml:3: --since and --since-time cannot be used together: pick one',
    ],
    [
      'the same option twice',
      'follow: false\nno-follow: true',
      '~/.config/ktail/config.yaml:2: "no-follow" sets the same option as an earlier key: keep one',
    ],
    [
      'a key that only makes sense on the command line',
      'config: other.yaml',
      '~/.config/ktail/config.yaml:1: "config" cannot be set in a config file',
    ],
    [
      'YAML that does not parse',
      'namespace: shop\n  since: 1h\n',
      '~/.config/ktail/config.yaml:2: invalid YAML: bad indentation of a mapping entry',
    ],
    ['a duplicated key', 'since: 1h\nsince: 2h\n', '~/.config/ktail/config.yaml:2: invalid YAML: duplicated mapping key'],
    [
      'an unclosed quote',
      'namespace: "shop\n',
      '~/.config/ktail/config.yaml:2: invalid YAML: unexpected end of the stream within a double quoted scalar',
    ],
    [
      'a list at the top',
      '- namespace: shop',
      '~/.config/ktail/config.yaml:1: expected a mapping of flag names to values (since: 15m), got a list',
    ],
    [
      'a scalar at the top',
      'shop',
      '~/.config/ktail/config.yaml:1: expected a mapping of flag names to values (since: 15m), got string "shop"',
    ],
  ])('%s', (_, text, message) => {
    expect(failure(text)).toBe(message);
  });

  it('a mistake in a pair is on the line that completes it', () => {
    // --container-colors alone needs --pod-colors: the file gives both, of different lengths
    expect(failure('container-colors: [31, 32, 33]\nnamespace: shop\npod-colors: [91, 92]')).toBe(
      '~/.config/ktail/config.yaml:3: --container-colors has 3 colours and --pod-colors 2: give as many of each',
    );
  });
});

describe('lineOfKey', () => {
  it.each<[string, string, number | undefined]>([
    ['a: 1\nb: 2', 'b', 2],
    ['# c\n\n"b": 2', 'b', 3],
    ["'b' : 2", 'b', 1],
    ['nested:\n  b: 1\nb: 2', 'b', 3],
    ['{a: 1, b: 2}', 'b', 1],
    ['a: 1', 'b', undefined],
  ])('%j, %s → %s', (text, key, line) => {
    expect(lineOfKey(text, key)).toBe(line);
  });
});

describe('mergeConfig: the command line wins', () => {
  it.each<[string, RawOptions, RawOptions, RawOptions]>([
    [
      'the file fills what the command line leaves out',
      { follow: true },
      { namespace: ['shop'], since: '15m' },
      { follow: true, namespace: ['shop'], since: '15m' },
    ],
    ['a value given on both', { since: '1h', follow: true }, { since: '15m' }, { since: '1h', follow: true }],
    [
      "a list on the command line replaces the file's",
      { excludeContainer: ['linkerd'], follow: true },
      { excludeContainer: ['istio-proxy', 'envoy'] },
      { excludeContainer: ['linkerd'], follow: true },
    ],
    [
      'no-follow in the file (commander says follow: true when --no-follow is not given)',
      { follow: true },
      { follow: false },
      { follow: false },
    ],
    ['--no-follow on the command line', { follow: false }, { follow: true }, { follow: false }],
    ["--since-time over the file's since", { sinceTime: '2026-11-22T10:00:00Z' }, { since: '15m' }, { sinceTime: '2026-11-22T10:00:00Z' }],
    ["-n over the file's all-namespaces", { namespace: ['shop'] }, { allNamespaces: true }, { namespace: ['shop'] }],
    ["-A over the file's namespace", { allNamespaces: true }, { namespace: ['shop'] }, { allNamespaces: true }],
    ["-o over the file's template", { output: 'json' }, { template: '{{.Message}}' }, { output: 'json' }],
    [
      "--template over the file's output",
      { template: '{{.PodName}}' },
      { output: 'json', templateFile: 'x.tpl' },
      { template: '{{.PodName}}' },
    ],
    [
      "--pod-colors over the file's pair",
      { podColors: ['91'] },
      { podColors: ['31', '32'], containerColors: ['91', '92'] },
      { podColors: ['91'] },
    ],
    ['--no-init-containers over the file', { initContainers: false }, { initContainers: true }, { initContainers: false }],
    ['--init-containers over the file', { initContainers: true }, { initContainers: false }, { initContainers: true }],
  ])('%s', (_, cli, file, merged) => {
    expect(mergeConfig(cli, file)).toEqual(merged);
  });
});

describe('configSource', () => {
  const env = { HOME: '/home/dev' };
  it.each<[string, string | undefined, NodeJS.ProcessEnv, Partial<ConfigSource>]>([
    [
      'the default',
      undefined,
      env,
      { path: '/home/dev/.config/ktail/config.yaml', shown: '~/.config/ktail/config.yaml', explicit: undefined },
    ],
    [
      'XDG_CONFIG_HOME',
      undefined,
      { ...env, XDG_CONFIG_HOME: '/xdg' },
      { path: '/xdg/ktail/config.yaml', shown: '/xdg/ktail/config.yaml', explicit: undefined },
    ],
    ['KTAIL_CONFIG', undefined, { ...env, KTAIL_CONFIG: '~/k.yaml' }, { path: '/home/dev/k.yaml', shown: '~/k.yaml', explicit: 'env' }],
    [
      'an empty KTAIL_CONFIG is unset',
      undefined,
      { ...env, KTAIL_CONFIG: '' },
      { path: '/home/dev/.config/ktail/config.yaml', explicit: undefined },
    ],
    [
      '--config over KTAIL_CONFIG',
      'team.yaml',
      { ...env, KTAIL_CONFIG: '/k.yaml' },
      { path: 'team.yaml', shown: 'team.yaml', explicit: 'flag' },
    ],
  ])('%s', (_, flag, e, expected) => {
    expect(configSource(flag, e)).toMatchObject(expected);
  });
});
