/**
 * Issue 8, install: `npm pack` the project (its prepack builds dist/), install the tarball into
 * a temporary global prefix, and run `ktail` and `kubectl-ktail` from there, as a user would
 * after `npm install -g ktail`. The pack runs in a copy of the project, so this test never
 * rebuilds the dist/ the other tests are running.
 */
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Ktail, runKtail } from '../helpers/spawn.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const PKG = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as {
  version: string;
  bin: Record<string, string>;
  engines: { node: string };
};
/** kubectl on PATH: .ci/run installs one where it is missing, so in CI the plugin tests always run. */
const KUBECTL = spawnSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).stdout.trim();
const CI = process.env.CI !== undefined && !['', '0', 'false'].includes(process.env.CI.toLowerCase());
/** One demo log line: pod, container, message (src/sim/demo.ts's shop). */
const DEMO_LINE = /^(web|worker|payments)-[a-z0-9-]+ (app|proxy|worker|payments) \S/;
/**
 * The Node versions CI runs the suite on: the machine's (this one, or under
 * scripts/test-node-versions.mjs the one that started it), and that script's.
 */
const CI_NODE_MAJORS = [
  Number((process.env.KTAIL_SUITE_MAIN_NODE ?? process.versions.node).split('.')[0]),
  ...[...readFileSync(join(ROOT, 'scripts/test-node-versions.mjs'), 'utf8').matchAll(/versions\.push\(([^)]*)\)/g)].flatMap((m) =>
    [...m[1]!.matchAll(/'(\d+)'/g)].map((v) => Number(v[1])),
  ),
];

/** Not copied: what git ignores, and git itself. */
const SKIP = new Set(['node_modules', 'dist', 'dist-bench', 'dist-release', '.git', '.tmp', 'coverage']);

let tmp: string;
let prefix: string;
let packed: { filename: string; files: { path: string }[] };

/**
 * The child's environment: `node` on PATH is the one running this test (so the installed
 * `#!/usr/bin/env node` scripts run on it too), and none of the npm_* variables `npm test` sets
 * for its scripts (npm_config_prefix, npm_config_local_prefix…) leak into the nested npm.
 */
function childEnv(): NodeJS.ProcessEnv {
  const keep = new Set(['npm_config_cache', 'npm_config_registry', 'npm_config_cafile', 'npm_config_userconfig']);
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) if (!k.startsWith('npm_') || keep.has(k)) env[k] = v;
  env.PATH = `${join(prefix, 'bin')}:${dirname(process.execPath)}:${process.env.PATH}`;
  env.KTAIL_CONFIG = '/dev/null';
  return env;
}

/** For the installed commands, run through their `#!/usr/bin/env node` line: found on PATH, and so is this Node. */
const installedEnv = (): NodeJS.ProcessEnv => ({ PATH: `${join(prefix, 'bin')}:${dirname(process.execPath)}:${process.env.PATH}` });

function run(file: string, args: readonly string[], cwd: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, env: childEnv(), timeout: 120_000, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), 'ktail-install-'));
  prefix = join(tmp, 'prefix');
  const copy = join(tmp, 'project');
  cpSync(ROOT, copy, { recursive: true, filter: (src) => !SKIP.has(basename(src)) && !src.endsWith('.tgz') });
  // the build (tsc) needs the dev dependencies; the tarball gets none of them
  symlinkSync(join(ROOT, 'node_modules'), join(copy, 'node_modules'), 'dir');

  const pack = await run('npm', ['pack', '--json', '--pack-destination', tmp], copy);
  expect(pack.code, pack.stderr).toBe(0);
  // the prepack's build output may precede the JSON
  packed = (JSON.parse(pack.stdout.slice(pack.stdout.search(/^\[/m))) as (typeof packed)[])[0]!;

  // dependencies from npm's cache when it has them (after npm ci it does), else the registry
  const install = await run(
    'npm',
    ['install', '--global', '--prefix', prefix, '--prefer-offline', '--no-audit', '--no-fund', join(tmp, packed.filename)],
    tmp,
  );
  expect(install.code, install.stderr).toBe(0);
}, 180_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('npm pack', () => {
  it('ships what runs: bin/, the built dist/, README, LICENSE, package.json', () => {
    const files = packed.files.map((f) => f.path).sort();
    expect(files).toEqual(
      expect.arrayContaining([
        'LICENSE',
        'README.md',
        'bin/ktail.js',
        'dist/main.js',
        'dist/cli/program.js',
        'dist/sim/cluster.js',
        'package.json',
      ]),
    );
    const unexpected = files.filter((f) => !/^(bin\/ktail\.js|dist\/.+\.js|README\.md|LICENSE|package\.json)$/.test(f));
    expect(unexpected).toEqual([]);
    // no tests, sources, source maps or the standalone simulator
    expect(files.filter((f) => /^(test|src|docs|scripts|bench)\/|\.ts$|\.map$|^dist\/sim\/cli\.js$/.test(f))).toEqual([]);
  });

  it('declares both commands', () => {
    expect(PKG.bin).toEqual({ ktail: 'bin/ktail.js', 'kubectl-ktail': 'bin/ktail.js' });
  });

  it('engines: met by every Node CI runs the suite on, and its lowest major is the lowest CI runs', () => {
    const [, wantMajor, wantMinor] = /^>=(\d+)\.(\d+)$/.exec(PKG.engines.node)!.map(Number) as [number, number, number];
    // this Node, the one running the suite: on each of CI's runs (20 natively, then 22, 24, 26) it is checked here
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(major > wantMajor || (major === wantMajor && minor >= wantMinor), `Node ${process.versions.node} vs ${PKG.engines.node}`).toBe(
      true,
    );
    expect(new Set(CI_NODE_MAJORS)).toEqual(new Set([20, 22, 24, 26]));
    // engines promises nothing older than what CI tests
    expect(Math.min(...CI_NODE_MAJORS)).toBe(wantMajor);
  });
});

describe('npm install -g of the tarball', () => {
  it.each(['ktail', 'kubectl-ktail'])('%s --version prints the package version and the Node it runs on', async (cmd) => {
    const r = await runKtail(['--version'], installedEnv(), { command: join(prefix, 'bin', cmd) });
    expect(r).toMatchObject({
      code: 0,
      stdout: `ktail ${PKG.version} (node ${process.versions.node}, linux-${process.arch})\n`,
      stderr: '',
    });
  });

  it('ktail --completion bash', async () => {
    const r = await runKtail(['--completion', 'bash'], installedEnv(), { command: 'ktail' });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('complete -F _ktail ktail kubectl-ktail');
  });

  it('ktail --demo: the simulated cluster ships too, and its shop logs', async () => {
    const demo = new Ktail(['--demo', '--color', 'never'], installedEnv(), { command: join(prefix, 'bin', 'ktail') });
    await demo.waitFor((k) => k.lines.length >= 5, '5 lines from ktail --demo', 20_000);
    expect((await demo.stop()).code).toBe(130);
    for (const l of demo.lines) expect(l).toMatch(DEMO_LINE);
    expect(demo.stderr).toMatch(/^\+ web-\S+ › app$/m);
  });

  it('a usage error is exit 2', async () => {
    const r = await runKtail(['web', '--since', 'soon'], installedEnv(), { command: 'ktail' });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^ktail: invalid duration "soon" for --since/);
  });
});

describe.skipIf(KUBECTL === '' && !CI)(
  `kubectl finds the installed plugin${KUBECTL === '' ? ' (skipped: no kubectl on PATH)' : ''}`,
  () => {
    /** the installed commands, the Node their #! line needs, kubectl: nothing else that could be a plugin */
    const pluginEnv = (): NodeJS.ProcessEnv => ({
      PATH: [join(prefix, 'bin'), dirname(process.execPath), dirname(KUBECTL || '/usr/bin/kubectl')].join(':'),
      HOME: tmp,
    });

    it('kubectl plugin list names kubectl-ktail from the install', async () => {
      const r = await runKtail(['plugin', 'list'], pluginEnv(), { command: 'kubectl' });
      expect(r.stdout, r.stderr).toContain(join(prefix, 'bin', 'kubectl-ktail'));
    });

    it('kubectl ktail --version runs it', async () => {
      const r = await runKtail(['ktail', '--version'], pluginEnv(), { command: 'kubectl' });
      expect(r).toMatchObject({ code: 0, stdout: `ktail ${PKG.version} (node ${process.versions.node}, linux-${process.arch})\n` });
    });

    it('kubectl ktail --help', async () => {
      const r = await runKtail(['ktail', '--help'], pluginEnv(), { command: 'kubectl' });
      expect(r.code).toBe(0);
      for (const heading of ['Usage: ktail', 'Selection:', 'Time window:', 'Output:', 'Operation:', 'Examples:'])
        expect(r.stdout).toContain(heading);
    });
  },
);
