/**
 * Issue 8, shell completion: the scripts of `ktail --completion bash|zsh|fish`, run in the real
 * shells against the simulated cluster. The scripts call back into the built ktail
 * (`ktail __complete …`) through a `ktail` on PATH that runs this test's Node.
 */
import { execFile, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completionFlags } from '../../src/cli/completion/flags.js';
import { OUTPUT_FORMATS } from '../../src/cli/options.js';
import { BIN, runKtail } from '../helpers/spawn.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { caCert } from '../../src/sim/index.js';

const ZSH_CAPTURE = fileURLToPath(new URL('../fixtures/zsh-complete.zsh', import.meta.url));
const has = (shell: string): boolean => spawnSync(shell, ['--version'], { stdio: 'ignore' }).status === 0;
const HAS_ZSH = has('zsh');
const HAS_FISH = has('fish');

let fx: SimFixture;
let dir: string;
let bin: string;
const scripts: Record<'bash' | 'zsh' | 'fish', string> = { bash: '', zsh: '', fish: '' };
const NAMESPACES = ['apps', 'default', 'kube-node-lease', 'kube-public', 'kube-system', 'shop'];
const DEFAULT_PODS = ['api-1', 'web-1', 'web-2'];

beforeAll(async () => {
  fx = await fileSim({ namespaces: ['shop', 'apps'] });
  for (const name of DEFAULT_PODS) fx.sim.createPod({ name, containers: [{ name: 'app' }] });
  fx.sim.createPod({ namespace: 'shop', name: 'cart-1', containers: [{ name: 'app' }] });
  fx.sim.createDeployment({ namespace: 'apps', name: 'checkout', replicas: 1 });
  dir = mkdtempSync(join(tmpdir(), 'ktail-completion-'));
  bin = join(dir, 'bin');
  mkdirSync(bin);
  for (const name of ['ktail', 'kubectl-ktail']) {
    writeFileSync(join(bin, name), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(join(bin, name), 0o755);
  }
  for (const shell of ['bash', 'zsh', 'fish'] as const) {
    const r = await runKtail(['--completion', shell]);
    expect(r.code).toBe(0);
    scripts[shell] = join(dir, `ktail.${shell}`);
    writeFileSync(scripts[shell], r.stdout);
  }
});
afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function shellEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { PATH: `${bin}:${process.env.PATH}`, HOME: process.env.HOME, KUBECONFIG: fx.kubeconfig, KTAIL_CONFIG: '/dev/null', ...env };
}

function run(
  file: string,
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { env: shellEnv(env), timeout: 20_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

/** `ktail __complete …` run directly, against the sim unless env says otherwise. */
async function complete(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { code, stdout, stderr } = await runKtail(['__complete', ...args], { KUBECONFIG: fx.kubeconfig, ...env });
  return { code, stdout, stderr };
}

const BASH_COMPLETE = 'source "$1"; shift; COMP_WORDS=("$@"); COMP_CWORD=$(( $# - 1 )); _ktail; printf "%s\\n" "${COMPREPLY[@]}"';

/** What bash's completion offers for the words (the last one is the word being completed). */
async function bash(words: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<string[]> {
  const r = await run('bash', ['--norc', '--noprofile', '-c', BASH_COMPLETE, 'bash', scripts.bash, ...words], env);
  expect(r.stderr).toBe('');
  return r.stdout.split('\n').filter(Boolean);
}

const longFlags = completionFlags().map((f) => `--${f.long}`);

describe('bash', () => {
  it('registers for ktail and kubectl-ktail', async () => {
    const r = await run('bash', ['--norc', '--noprofile', '-c', 'source "$1" && complete -p ktail kubectl-ktail', 'bash', scripts.bash]);
    expect(r.stdout).toBe('complete -F _ktail ktail\ncomplete -F _ktail kubectl-ktail\n');
  });

  it('completes flags from the flag table', async () => {
    expect(await bash(['ktail', '--co'])).toEqual([
      '--color',
      '--completion',
      '--condition',
      '--config',
      '--container',
      '--container-colors',
      '--container-state',
      '--context',
    ]);
    const all = await bash(['ktail', '-']);
    expect(all).toEqual(expect.arrayContaining([...longFlags, '-n', '-A', '-c', '-o', '-t', '-h', '-v']));
  });

  it.each<[string, string[], string[]]>([
    ['--output', ['--output', ''], [...OUTPUT_FORMATS]],
    ['-o with a prefix', ['-o', 'ext'], ['extjson']],
    ['--output=', ['--output', '=', 'j'], ['json']],
    ['--color', ['--color', ''], ['auto', 'always', 'never']],
    ['--container-state', ['--container-state', ''], ['running', 'waiting', 'terminated', 'all']],
    ['--container-state, after a comma', ['--container-state', 'running,w'], ['running,waiting']],
    ['--completion', ['--completion', ''], ['bash', 'zsh', 'fish']],
    ['a free-text value: nothing', ['--since', ''], []],
  ])('flag values: %s', async (_, words, expected) => {
    expect(await bash(['ktail', ...words])).toEqual(expected);
  });

  it('-t offers its styles, and pods, since QUERY may follow', async () => {
    expect(await bash(['ktail', '-t', ''])).toEqual(['default', 'short', ...DEFAULT_PODS]);
  });

  it.each<[string, string[], string[]]>([
    ['contexts', ['--context', ''], ['sim', 'sim-shop']],
    ['namespaces', ['-n', ''], NAMESPACES],
    ['namespaces, --namespace with a prefix', ['--namespace', 'kube-p'], ['kube-public']],
    ['namespaces, after a comma', ['-n', 'default,s'], ['default,shop']],
    ['nodes', ['--node', ''], ['sim-node-1', 'sim-node-2']],
    ["pods of the context's namespace", [''], DEFAULT_PODS],
    ['pods by prefix', ['w'], ['web-1', 'web-2']],
    ['pods of -n', ['-n', 'shop', ''], ['cart-1']],
    ['pods of -nshop', ['-nshop', ''], ['cart-1']],
    ['pods of --namespace=shop', ['--namespace', '=', 'shop', ''], ['cart-1']],
    ["pods of another context's namespace", ['--context', 'sim-shop', ''], ['cart-1']],
    ['pods of every namespace', ['-A', 'ca'], ['cart-1']],
    ['pods of every namespace (2)', ['--all-namespaces', 'w'], ['web-1', 'web-2']],
    ["pods after a flag's value", ['--since', '1h', 'a'], ['api-1']],
    ['KIND/NAME', ['-n', 'apps', 'deploy/'], ['deploy/checkout']],
    ['another QUERY after one', ['web-1', '-t', ''], ['default', 'short', ...DEFAULT_PODS]],
    ['another QUERY after one (2)', ['web-1', 'a'], ['api-1']],
    ['another KIND/NAME after one', ['web-1', '-n', 'apps', 'deploy/'], ['deploy/checkout']],
  ])('from the cluster: %s', async (_, words, expected) => {
    expect(await bash(['ktail', ...words])).toEqual(expected);
  });

  it('uses the --kubeconfig of the command line', async () => {
    expect(await bash(['ktail', '--kubeconfig', fx.kubeconfig, '-n', 's'], { KUBECONFIG: '' })).toEqual(['shop']);
  });

  it("passes kubectl's connection flags on: a wrong --token gets no names, the right one does", async () => {
    expect(await bash(['ktail', '--token', 'nope', '-n', 'shop', ''])).toEqual([]);
    expect(await bash(['ktail', '--token', fx.sim.token, '--insecure-skip-tls-verify', '-n', 'shop', ''])).toEqual(['cart-1']);
  });

  it("uses the config file's namespace", async () => {
    const config = join(dir, 'config.yaml');
    writeFileSync(config, 'namespace: shop\n');
    expect(await bash(['ktail', ''], { KTAIL_CONFIG: config })).toEqual(['cart-1']);
    expect(await bash(['ktail', '--config', config, ''])).toEqual(['cart-1']);
  });

  it('completes file names for --kubeconfig, --config and -T', async () => {
    expect(await bash(['ktail', '--kubeconfig', fx.kubeconfig.slice(0, -3)])).toEqual([fx.kubeconfig]);
    expect(await bash(['ktail', '-T', join(dir, 'ktail.ba')])).toEqual([scripts.bash]);
  });

  it('offers nothing, quietly, when the cluster cannot answer', async () => {
    expect(await bash(['ktail', '-n', ''], { KUBECONFIG: join(dir, 'missing') })).toEqual([]);
    expect(await bash(['ktail', '--context', 'nope', ''])).toEqual([]);
  });
});

describe('ktail __complete', () => {
  it.each<[string, string[], string]>([
    ['contexts', ['contexts'], 'sim\nsim-shop\n'],
    ['namespaces', ['namespaces'], `${NAMESPACES.join('\n')}\n`],
    ['pods', ['pods', '-n', 'shop'], 'cart-1\n'],
    ['workloads', ['workloads', 'deployment', '-n', 'apps'], 'deployment/checkout\n'],
    ['an unknown kind of workload', ['workloads', 'gadget'], ''],
    ['an unknown list', ['gadgets'], ''],
    ['nothing asked', [], ''],
  ])('%s', async (_, args, stdout) => {
    const r = await complete(args);
    expect(r).toEqual({ code: 0, stdout, stderr: '' });
  });

  it("with kubectl's connection flags and no kubeconfig at all: the cluster they name", async () => {
    const ca = join(dir, 'ca.crt');
    writeFileSync(ca, caCert);
    const flags = ['--server', fx.sim.url, '--token', fx.sim.token, '--certificate-authority', ca];
    const env = { KUBECONFIG: join(dir, 'missing'), HOME: join(dir, 'nohome') };
    expect(await complete(['pods', '-n', 'shop', ...flags], env)).toEqual({ code: 0, stdout: 'cart-1\n', stderr: '' });
    // the same flags without the token: the server refuses, completion stays quiet
    expect(await complete(['pods', '-n', 'shop', ...flags.slice(0, 2), ...flags.slice(4)], env)).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
  });

  it('no kubeconfig, an unknown context, a refused connection: nothing, exit 0', async () => {
    for (const env of [{ KUBECONFIG: join(dir, 'missing') }, { KUBECONFIG: '', HOME: join(dir, 'nohome') }]) {
      expect(await complete(['pods'], env)).toEqual({ code: 0, stdout: '', stderr: '' });
    }
    expect(await complete(['pods', '--context', 'nope'])).toEqual({ code: 0, stdout: '', stderr: '' });
    const refused = join(dir, 'refused.kubeconfig');
    writeFileSync(refused, readFileSync(fx.kubeconfig, 'utf8').replace(/https:\/\/127\.0\.0\.1:\d+/g, 'https://127.0.0.1:1'));
    expect(await complete(['pods', '--kubeconfig', refused])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  it('a server that never answers: nothing, within the deadline', async () => {
    const server: Server = createServer(() => {
      /* accept, never answer */
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as { port: number }).port;
    const silent = join(dir, 'silent.kubeconfig');
    writeFileSync(silent, readFileSync(fx.kubeconfig, 'utf8').replace(/https:\/\/127\.0\.0\.1:\d+/g, `https://127.0.0.1:${port}`));
    const started = Date.now();
    const r = await complete(['namespaces', '--kubeconfig', silent]);
    server.close();
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(Date.now() - started).toBeLessThan(6000);
  });
});

/** A typed line and what zsh and fish both offer after it; each shell adds its own spellings. */
const LINE_CASES: [string, string[]][] = [
  [
    'ktail --co',
    ['--color', '--completion', '--condition', '--config', '--container', '--container-colors', '--container-state', '--context'],
  ],
  ['ktail --output ', [...OUTPUT_FORMATS].sort()],
  ['ktail -n ', NAMESPACES],
  ['ktail -n default,s', ['default,shop']],
  ['ktail --context ', ['sim', 'sim-shop']],
  ['ktail w', ['web-1', 'web-2']],
  ['ktail -n shop ', ['cart-1']],
  ['ktail -n apps deploy/', ['deploy/checkout']],
  ['ktail web-1 a', ['api-1']],
  ['ktail --token nope -n shop c', []],
];

describe('zsh', () => {
  it('the script is zsh, for ktail and kubectl-ktail', () => {
    const text = readFileSync(scripts.zsh, 'utf8');
    expect(text.startsWith('#compdef ktail kubectl-ktail\n')).toBe(true);
    expect(text).toContain('compdef _ktail ktail kubectl-ktail');
    for (const flag of longFlags) expect(text).toContain(flag);
  });

  /** What zsh offers after typing the line and Tab. */
  async function zsh(line: string): Promise<string[]> {
    const out = join(dir, `zsh-${Math.random().toString(36).slice(2)}.out`);
    writeFileSync(out, '');
    const r = await run('zsh', ['-f', ZSH_CAPTURE, scripts.zsh, out, line]);
    expect(r.code).toBe(0);
    return [...new Set(readFileSync(out, 'utf8').split('\n').filter(Boolean))].sort();
  }

  it.skipIf(!HAS_ZSH)('zsh -n accepts it', async () => {
    expect(await run('zsh', ['-n', scripts.zsh])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  const cases: [string, string[]][] = [
    ...LINE_CASES,
    ['ktail --node ', ['sim-node-1', 'sim-node-2']],
    ['ktail --token=TOKEN -n shop c', ['cart-1']],
  ];
  it.skipIf(!HAS_ZSH).each(cases)('in a real zsh: %j', async (line, expected) => {
    // TOKEN: the simulated cluster's, known once it runs
    expect(await zsh(line.replace('TOKEN', fx.sim.token))).toEqual(expected);
  });
});

describe('fish', () => {
  it('the script is fish, for ktail and kubectl-ktail', () => {
    const text = readFileSync(scripts.fish, 'utf8');
    expect(text).toContain('for cmd in ktail kubectl-ktail');
    for (const f of completionFlags()) expect(text).toContain(`-l ${f.long} `);
  });

  /** What fish offers for the line (`complete -C`), without the descriptions. */
  async function fish(line: string): Promise<string[]> {
    const r = await run('fish', ['--no-config', '-c', `source ${scripts.fish}; complete -C ${JSON.stringify(line)}`]);
    expect(r.stderr).toBe('');
    return r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split('\t')[0]!)
      .sort();
  }

  it.skipIf(!HAS_FISH)('fish -n accepts it', async () => {
    expect(await run('fish', ['--no-execute', scripts.fish])).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  const cases: [string, string[]][] = [
    ...LINE_CASES,
    ['kubectl-ktail --node ', ['sim-node-1', 'sim-node-2']],
    ['ktail --token TOKEN -n shop c', ['cart-1']],
  ];
  it.skipIf(!HAS_FISH).each(cases)('in a real fish: %j', async (line, expected) => {
    // TOKEN: the simulated cluster's, known once it runs
    expect(await fish(line.replace('TOKEN', fx.sim.token))).toEqual(expected);
  });
});
