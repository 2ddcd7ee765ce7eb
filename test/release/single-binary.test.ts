/**
 * The single-file binary of `npm run dist`, built for this machine (and for linux-arm64 where
 * qemu-user can run it) into a temporary folder, then run as a user who downloaded it would:
 * from an empty directory, with no `node` on PATH (linux-arm64: its header, and under qemu-user on request). Its archive, SHA-256 files and krew manifest
 * are checked against what was built; the krew rules are in test/helpers/krew.ts.
 *
 * The binary embeds its own Node, so the Node running this suite changes nothing in it:
 * scripts/test-node-versions.mjs sets KTAIL_SKIP_SINGLE_BINARY for its runs under other versions.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numbered, expectSameSequence } from '../helpers/count.js';
import { krewProblems, parseManifest, zipNames } from '../helpers/krew.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';
import { Ktail, runKtail } from '../helpers/spawn.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const NODE_VERSION = /NODE_VERSION = '([\d.]+)'/.exec(readFileSync(join(ROOT, 'scripts/release/targets.mjs'), 'utf8'))![1]!;
const HOST = `${process.platform === 'win32' ? 'windows' : process.platform}-${process.arch}`;
const skipReason =
  process.env.KTAIL_SKIP_SINGLE_BINARY === '1'
    ? 'tested once, in the main run: the binary embeds its own Node, whichever runs the suite'
    : HOST === 'linux-x64' || HOST === 'linux-arm64'
      ? undefined
      : `the binary test runs on Linux (this is ${HOST})`;
/**
 * linux-arm64 is built too (on an x64 Linux host) and its ELF header checked. Running it under
 * qemu-user costs more than a minute of CI here (Debian's qemu-user-static and arm64 libc,
 * libstdc++ and libatomic, then Node starting emulated), so that is opt-in: KTAIL_TEST_QEMU=1.
 */
const ARM64 = HOST === 'linux-x64';
const QEMU_LIBS = '/usr/aarch64-linux-gnu';
const QEMU_SKIP =
  process.env.KTAIL_TEST_QEMU !== '1'
    ? 'running it under qemu-user is opt-in (KTAIL_TEST_QEMU=1): it costs more than a minute here'
    : existsSync('/usr/bin/qemu-aarch64-static') && existsSync(join(QEMU_LIBS, 'lib', 'libatomic.so.1'))
      ? undefined
      : 'KTAIL_TEST_QEMU=1 needs Debian packages qemu-user-static, libc6-arm64-cross, libstdc++6-arm64-cross, libatomic1-arm64-cross';

/** One demo log line: pod, container, message (src/sim/demo.ts's shop). */
const DEMO_LINE = /^(web|worker|payments)-[a-z0-9-]+ (app|proxy|worker|payments) \S/;
const HELP_HEADINGS = ['Usage: ktail', 'Selection:', 'Time window:', 'Output:', 'Operation:', 'Examples:'];

let tmp: string;
let release: string;
let empty: string;
/** an empty folder as the whole PATH: no node, no kubectl, nothing */
let bareEnv: NodeJS.ProcessEnv;
let fx: SimFixture;
const exe = (target: string): string => join(release, `ktail-${target}`);

beforeAll(async () => {
  if (skipReason) return;
  tmp = mkdtempSync(join(tmpdir(), 'ktail-dist-'));
  release = join(tmp, 'release');
  empty = join(tmp, 'empty');
  mkdirSync(empty);
  bareEnv = { PATH: empty, HOME: empty };
  const targets = ['--target', HOST, ...(ARM64 ? ['--target', 'linux-arm64'] : [])];
  const build = await new Promise<{ code: number | null; output: string }>((resolve) => {
    const child = spawn(process.execPath, [join(ROOT, 'scripts/dist.mjs'), ...targets, '--out', release], { cwd: ROOT });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    child.on('close', (code) => resolve({ code, output }));
  });
  expect(build.code, build.output).toBe(0);
  fx = await fileSim();
}, 300_000);

afterAll(() => {
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

const skipped = skipReason === undefined ? '' : ` (skipped: ${skipReason})`;

describe.skipIf(skipReason !== undefined)(`the ${HOST} binary, from an empty directory with no node on PATH${skipped}`, () => {
  it('really has no node to lean on', () => {
    expect(spawnSync('sh', ['-c', 'command -v node'], { env: bareEnv }).status).not.toBe(0);
  });

  it('--version names ktail, the embedded Node and the platform', async () => {
    const r = await runKtail(['--version'], bareEnv, { command: exe(HOST), cwd: empty });
    expect(r).toMatchObject({ code: 0, stdout: `ktail ${VERSION} (node ${NODE_VERSION}, ${HOST})\n`, stderr: '' });
  });

  it('--help', async () => {
    const r = await runKtail(['--help'], bareEnv, { command: exe(HOST), cwd: empty });
    expect(r.code).toBe(0);
    for (const heading of HELP_HEADINGS) expect(r.stdout).toContain(heading);
  });

  it('a usage error is one line and exit 2, no stack trace', async () => {
    const r = await runKtail(['web', '--since', 'soon'], bareEnv, { command: exe(HOST), cwd: empty });
    expect(r).toMatchObject({ code: 2, stdout: '' });
    expect(r.stderr).toMatch(/^ktail: invalid duration "soon" for --since[^\n]*\n$/);
  });

  it('--demo --no-follow: the simulated cluster is in the file; what it prints are demo log lines', async () => {
    const r = await runKtail(['--demo', '--no-follow', '--color', 'never'], bareEnv, { command: exe(HOST), cwd: empty, timeoutMs: 30_000 });
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split('\n').filter((l) => l !== '');
    for (const l of lines) expect(l).toMatch(DEMO_LINE);
  });

  it('--demo follows the demo shop: its log lines from web, worker and payments pods', async () => {
    const k = new Ktail(['--demo', '--color', 'never'], bareEnv, { command: exe(HOST), cwd: empty });
    await k.waitFor((x) => x.lines.length >= 10, '10 demo lines', 30_000);
    expect((await k.stop()).code).toBe(130);
    for (const l of k.lines) expect(l).toMatch(DEMO_LINE);
    expect(k.stderr).toMatch(/^\+ web-\S+ › app$/m);
  });

  it('follows a cluster: 2 pods × 300 lines, then 200 more each while it runs, every line once and in order', async () => {
    for (const pod of ['bin-0', 'bin-1']) {
      fx.sim.createPod({ name: pod, containers: [{ name: 'app' }] });
      fx.sim.writeLines({ pod, container: 'app' }, numbered(pod, 300));
    }
    const k = new Ktail(['--kubeconfig', fx.kubeconfig, '^bin-', '--color', 'never'], bareEnv, { command: exe(HOST), cwd: empty });
    await k.waitFor((x) => x.lines.length >= 600, '600 lines', 30_000);
    for (const pod of ['bin-0', 'bin-1']) fx.sim.writeLines({ pod, container: 'app' }, numbered(pod, 200, 300));
    await k.waitFor((x) => x.lines.length >= 1000, '1000 lines', 30_000);
    expect((await k.stop()).code).toBe(130);
    expect(k.lines).toHaveLength(1000);
    for (const pod of ['bin-0', 'bin-1']) expectSameSequence(k.source(pod, 'app'), numbered(pod, 500), pod);
  });
});

describe.skipIf(skipReason !== undefined || !ARM64)(`the linux-arm64 binary${skipped}`, () => {
  it('is a 64-bit little-endian ELF executable for AArch64', () => {
    const h = readFileSync(exe('linux-arm64')).subarray(0, 20);
    expect(h.subarray(0, 4)).toEqual(Buffer.from([0x7f, 0x45, 0x4c, 0x46]));
    expect([h[4], h[5]]).toEqual([2, 1]); // ELFCLASS64, little-endian
    expect(h.readUInt16LE(16)).toBe(2); // ET_EXEC
    expect(h.readUInt16LE(18)).toBe(0xb7); // EM_AARCH64
  });

  const qemu = ['-L', QEMU_LIBS];
  describe.skipIf(QEMU_SKIP !== undefined)(`under qemu-user${QEMU_SKIP ? ` (skipped: ${QEMU_SKIP})` : ''}`, () => {
    it('--version', async () => {
      const r = await runKtail([...qemu, exe('linux-arm64'), '--version'], bareEnv, {
        command: '/usr/bin/qemu-aarch64-static',
        cwd: empty,
        timeoutMs: 60_000,
      });
      expect(r).toMatchObject({ code: 0, stdout: `ktail ${VERSION} (node ${NODE_VERSION}, linux-arm64)\n`, stderr: '' });
    });

    it('--demo prints demo log lines', async () => {
      const k = new Ktail([...qemu, exe('linux-arm64'), '--demo', '--color', 'never'], bareEnv, {
        command: '/usr/bin/qemu-aarch64-static',
        cwd: empty,
      });
      await k.waitFor((x) => x.lines.length >= 3, '3 demo lines', 90_000);
      expect((await k.stop()).code).toBe(130);
      for (const l of k.lines) expect(l).toMatch(DEMO_LINE);
    });
  });
});

describe.skipIf(skipReason !== undefined)(`the release files${skipped}`, () => {
  const sha = (file: string): string => createHash('sha256').update(readFileSync(file)).digest('hex');

  it('each file has a .sha256 that sha256sum -c accepts', () => {
    for (const name of [`ktail-${HOST}`, `ktail-v${VERSION}-${HOST}.tar.gz`]) {
      expect(readFileSync(join(release, `${name}.sha256`), 'utf8')).toBe(`${sha(join(release, name))}  ${name}\n`);
      expect(spawnSync('sha256sum', ['-c', `${name}.sha256`], { cwd: release }).status).toBe(0);
    }
  });

  it('the krew manifest follows krew rules and matches the archives: hash, file name, bin inside', () => {
    const manifest = parseManifest(readFileSync(join(release, 'plugins', 'ktail.yaml'), 'utf8'));
    expect(krewProblems(manifest, 'ktail.yaml')).toEqual([]);
    expect(manifest.spec?.version).toBe(`v${VERSION}`);
    const platforms = manifest.spec!.platforms!;
    expect(platforms.map((p) => `${p.selector!.matchLabels!.os}/${p.selector!.matchLabels!.arch}`)).toEqual(
      ARM64 ? ['linux/amd64', 'linux/arm64'] : [`linux/${process.arch === 'x64' ? 'amd64' : 'arm64'}`],
    );
    for (const p of platforms) {
      const file = p.uri!.split('/').pop()!;
      expect(p.sha256).toBe(sha(join(release, file)));
      const names = execFileSync('tar', ['-tzf', join(release, file)], { encoding: 'utf8' })
        .split('\n')
        .filter(Boolean);
      expect(names).toEqual([p.bin, 'LICENSE']);
      for (const f of p.files!) expect(names).toContain(f.from);
    }
  });
});

/** The full set, when `npm run dist` has made one in dist-release/: all five platforms, the zip too. */
const FULL = join(ROOT, 'dist-release');
describe.skipIf(skipReason !== undefined || !existsSync(join(FULL, 'plugins', 'ktail.yaml')))(
  `dist-release/ from npm run dist${skipped}`,
  () => {
    // hashing five archives of 40–50 MB
    it('its manifest: five platforms, each archive with its hash and its bin', { timeout: 120_000 }, () => {
      const manifest = parseManifest(readFileSync(join(FULL, 'plugins', 'ktail.yaml'), 'utf8'));
      expect(krewProblems(manifest, 'ktail.yaml')).toEqual([]);
      const platforms = manifest.spec!.platforms!;
      expect(platforms.map((p) => `${p.selector!.matchLabels!.os}/${p.selector!.matchLabels!.arch}`).sort()).toEqual(
        ['darwin/amd64', 'darwin/arm64', 'linux/amd64', 'linux/arm64', 'windows/amd64'].sort(),
      );
      for (const p of platforms) {
        const file = join(FULL, p.uri!.split('/').pop()!);
        expect(p.sha256).toBe(createHash('sha256').update(readFileSync(file)).digest('hex'));
        const names = file.endsWith('.zip')
          ? zipNames(readFileSync(file))
          : execFileSync('tar', ['-tzf', file], { encoding: 'utf8' }).split('\n').filter(Boolean);
        expect(names).toEqual([p.bin, 'LICENSE']);
      }
    });
  },
);
