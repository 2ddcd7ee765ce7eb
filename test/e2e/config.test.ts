/**
 * Issue 8, the config file: --config, KTAIL_CONFIG, ~/.config/ktail/config.yaml; the command
 * line wins; every mistake is exit 2 with the file and the line, before any connection.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runKtail } from '../helpers/spawn.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';

let fx: SimFixture;
let dir: string;
beforeAll(async () => {
  fx = await fileSim({ namespaces: ['shop'] });
  dir = mkdtempSync(join(tmpdir(), 'ktail-config-'));
  for (const [namespace, pod] of [
    ['shop', 'web-shop'],
    ['default', 'web-default'],
  ] as const) {
    fx.sim.createPod({ namespace, name: pod, containers: [{ name: 'app' }, { name: 'istio-proxy' }] });
    fx.sim.writeLines({ namespace, pod, container: 'app' }, [`app of ${pod}`]);
    fx.sim.writeLines({ namespace, pod, container: 'istio-proxy' }, [`proxy of ${pod}`]);
  }
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

let n = 0;
function configFile(text: string): string {
  const path = join(dir, `config-${++n}.yaml`);
  writeFileSync(path, text);
  return path;
}

const lines = (stdout: string): string[] => stdout.split('\n').filter(Boolean).sort();

describe('the config file sets defaults, the command line wins', () => {
  const config = 'namespace: shop\nexclude-container: [istio-proxy]\noutput: raw\nno-follow: true\n';

  it('--config PATH: its namespace, exclusions, format and no-follow', async () => {
    const r = await runKtail(['web', '--kubeconfig', fx.kubeconfig, '--config', configFile(config)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['app of web-shop']);
  });

  it('a flag replaces the value, a list flag replaces the list', async () => {
    const path = configFile(config);
    const r = await runKtail(['web', '--kubeconfig', fx.kubeconfig, '--config', path, '-n', 'default', '-E', 'app', '-o', 'default']);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['web-default istio-proxy proxy of web-default']);
  });

  it('KTAIL_CONFIG names the file', async () => {
    const r = await runKtail(['web', '--kubeconfig', fx.kubeconfig], { KTAIL_CONFIG: configFile(config) });
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['app of web-shop']);
  });

  it('~/.config/ktail/config.yaml is read by default, and $XDG_CONFIG_HOME/ktail/config.yaml', async () => {
    const home = join(dir, 'home');
    mkdirSync(join(home, '.config', 'ktail'), { recursive: true });
    writeFileSync(join(home, '.config', 'ktail', 'config.yaml'), config);
    const r = await runKtail(['web', '--kubeconfig', fx.kubeconfig], { HOME: home, KTAIL_CONFIG: '' });
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['app of web-shop']);

    const xdg = join(dir, 'xdg');
    mkdirSync(join(xdg, 'ktail'), { recursive: true });
    writeFileSync(join(xdg, 'ktail', 'config.yaml'), 'namespace: default\nno-follow: true\ncontainer: istio\n');
    const x = await runKtail(['web', '--kubeconfig', fx.kubeconfig], { HOME: home, KTAIL_CONFIG: '', XDG_CONFIG_HOME: xdg });
    expect(x.code).toBe(0);
    expect(lines(x.stdout)).toEqual(['web-default istio-proxy proxy of web-default']);
  });

  it('the kubeconfig and the context can come from the file too', async () => {
    const r = await runKtail([
      'web',
      '--config',
      configFile(`kubeconfig: ${fx.kubeconfig}\ncontext: sim-shop\nno-follow: true\ncontainer: app\n`),
    ]);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['web-shop app app of web-shop']);
  });

  it('no default file is fine', async () => {
    const r = await runKtail(['web', '--kubeconfig', fx.kubeconfig, '--no-follow', '-c', 'app'], {
      HOME: join(dir, 'nohome'),
      KTAIL_CONFIG: '',
    });
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(['web-default app app of web-default']);
  });
});

describe('mistakes: exit 2, one line with the file and the line, before any connection', () => {
  it.each([
    [
      'an unknown key',
      'namespace: shop\nsince: 15m\ncolour: never\n',
      ':3: unknown key "colour" (did you mean "color"?): keys are long flag names, as in ktail --help',
    ],
    [
      'a bad duration',
      'namespace: shop\nsince: 15x\n',
      ':2: invalid duration "15x" for --since: expected a number and a unit, like 30s, 15m, 1h30m or 2d',
    ],
    [
      'a bad output format',
      '# team defaults\noutput: yaml\n',
      ':2: invalid value "yaml" for --output: expected one of default, raw, json, extjson, ppextjson',
    ],
    [
      'a bad regex',
      'exclude-container:\n  - istio-proxy\n  - "envoy("\n',
      ':1: invalid --exclude-container regex "envoy(": missing closing )',
    ],
    [
      'a switch that is not true or false',
      'all-namespaces: maybe\n',
      ':1: invalid value for all-namespaces: expected true or false, got string "maybe"',
    ],
    ['YAML that does not parse', 'namespace: shop\n  since: 1h\n', ':2: invalid YAML: bad indentation of a mapping entry'],
    ['a template that does not parse', 'template: "{{.Podname}}"\n', ':1: invalid --template at 1:3: '],
  ])('%s', async (_, text, message) => {
    const path = configFile(text);
    const r = await runKtail(['web', '--kubeconfig', '/nonexistent/kubeconfig', '--config', path]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr.startsWith(`ktail: ${path}${message}`), r.stderr).toBe(true);
    expect(r.stderr.trimEnd().split('\n')).toHaveLength(1);
  });

  it('the default file shows as ~/.config/ktail/config.yaml', async () => {
    const home = join(dir, 'home-bad');
    mkdirSync(join(home, '.config', 'ktail'), { recursive: true });
    writeFileSync(join(home, '.config', 'ktail', 'config.yaml'), '# mine\nnamespace: shop\ncolour: never\n');
    const r = await runKtail(['web'], { HOME: home, KTAIL_CONFIG: '' });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(
      'ktail: ~/.config/ktail/config.yaml:3: unknown key "colour" (did you mean "color"?): keys are long flag names, as in ktail --help\n',
    );
  });

  it('a missing --config file', async () => {
    const r = await runKtail(['web', '--config', join(dir, 'nope.yaml')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ktail: config file ${join(dir, 'nope.yaml')} does not exist — check --config\n`);
  });

  it('a missing KTAIL_CONFIG file', async () => {
    const r = await runKtail(['web'], { KTAIL_CONFIG: join(dir, 'nope.yaml') });
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ktail: config file ${join(dir, 'nope.yaml')} does not exist — check KTAIL_CONFIG\n`);
  });

  it('a directory', async () => {
    const r = await runKtail(['web', '--config', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`ktail: cannot read config file ${dir}: is a directory — check --config\n`);
  });

  it('the file and the command line together: the command line names the mistake', async () => {
    const r = await runKtail(['web', '--config', configFile('since: 15m\n'), '--tail', 'x']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe('ktail: invalid value "x" for --tail: expected a whole number\n');
  });

  it('--help and --completion do not read the file', async () => {
    const bad = configFile('colour: never\n');
    expect((await runKtail(['--help', '--config', bad])).code).toBe(0);
    expect((await runKtail(['--completion', 'bash', '--config', bad])).code).toBe(0);
  });
});
