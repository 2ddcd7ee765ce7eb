/** --output-dir: one file per container, raw; restarts append after a marker under -t; failures. */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ktail, runKtail } from '../helpers/spawn.js';
import { fileSim, type SimFixture } from '../helpers/sim.js';

let fx: SimFixture;
let root: string;
beforeAll(async () => {
  fx = await fileSim({ namespaces: ['shop'] });
  root = mkdtempSync(join(tmpdir(), 'ktail-output-dir-'));
});
afterAll(() => rmSync(root, { recursive: true, force: true }));

let n = 0;
const freshDir = (): string => join(root, `run-${++n}`);
const read = (...parts: string[]): string => readFileSync(join(...parts), 'utf8');

describe('--output-dir', () => {
  it('each container to DIR/NAMESPACE/POD/CONTAINER.log, raw and uncoloured; stdout as usual', async () => {
    fx.sim.createPod({ name: 'files-a', containers: [{ name: 'app' }, { name: 'proxy' }] });
    fx.sim.createPod({ name: 'files-b', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'files-a', container: 'app' }, ['a1', '\x1b[31mred\x1b[0m', 'a3']);
    fx.sim.writeLines({ pod: 'files-a', container: 'proxy' }, ['p1']);
    fx.sim.writeLines({ pod: 'files-b', container: 'app' }, ['b1', 'b2']);
    const dir = freshDir();
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, '^files-', '--output-dir', dir, '--no-follow', '--color', 'always']);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toContain('files-a'); // the usual lines, coloured as asked
    expect(read(dir, 'default', 'files-a', 'app.log')).toBe('a1\n\x1b[31mred\x1b[0m\na3\n');
    expect(read(dir, 'default', 'files-a', 'proxy.log')).toBe('p1\n');
    expect(read(dir, 'default', 'files-b', 'app.log')).toBe('b1\nb2\n');
    expect(readdirSync(join(dir, 'default')).sort()).toEqual(['files-a', 'files-b']);
  });

  it('-t: timestamps in the file; a restart appends the new instance after a marker; -o none leaves stdout empty', async () => {
    const ref = { pod: 'files-r', container: 'app' };
    fx.sim.createPod({ name: 'files-r', containers: [{ name: 'app' }] });
    fx.sim.writeLines(ref, ['first 1', 'first 2'], { timestamp: '2026-11-30T01:00:00.000000001Z' });
    const dir = freshDir();
    const k = ktail(fx, ['files-r', '--output-dir', dir, '-o', 'none', '-t']);
    const file = join(dir, 'default', 'files-r', 'app.log');
    await k.waitFor(() => existsSync(file) && read(file).includes('first 2'), 'the first lines in the file');
    fx.sim.restartContainer(ref);
    const second = fx.sim.containerId(ref)!;
    fx.sim.writeLines(ref, ['second 1'], { timestamp: '2026-11-30T01:00:05.000000002Z' });
    await k.waitFor(() => read(file).includes('second 1'), 'the new instance in the file');
    const exit = await k.stop();
    expect(exit.code).toBe(130);
    expect(k.stdout.length).toBe(0);
    expect(read(file)).toBe(
      '2026-11-30T01:00:00.000000001Z first 1\n' +
        '2026-11-30T01:00:00.000000001Z first 2\n' +
        `2026-11-30T01:00:05.000000002Z ktail: new instance of files-r/app (restart 1, ${second})\n` +
        '2026-11-30T01:00:05.000000002Z second 1\n',
    );
  });

  it('without -t a restart appends with no marker: the file is the log, byte for byte', async () => {
    const ref = { pod: 'files-nt', container: 'app' };
    fx.sim.createPod({ name: 'files-nt', containers: [{ name: 'app' }] });
    fx.sim.writeLines(ref, ['one']);
    const dir = freshDir();
    const k = ktail(fx, ['files-nt', '--output-dir', dir]);
    const file = join(dir, 'default', 'files-nt', 'app.log');
    await k.waitFor(() => existsSync(file) && read(file) === 'one\n', 'the first line');
    fx.sim.restartContainer(ref);
    fx.sim.writeLines(ref, ['two']);
    await k.waitFor(() => read(file) === 'one\ntwo\n', 'the second instance appended');
    await k.stop();
    expect(k.lines).toEqual(['files-nt app one', 'files-nt app two']);
  });

  it('several contexts: DIR/CONTEXT/NAMESPACE/POD/CONTAINER.log', async () => {
    fx.sim.createPod({ namespace: 'shop', name: 'files-s', containers: [{ name: 'app' }] });
    fx.sim.createPod({ name: 'files-d', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ namespace: 'shop', pod: 'files-s', container: 'app' }, ['in shop']);
    fx.sim.writeLines({ pod: 'files-d', container: 'app' }, ['in default']);
    const dir = freshDir();
    const r = await runKtail([
      '--kubeconfig',
      fx.kubeconfig,
      '^files-[sd]$',
      '--context',
      'sim,sim-shop',
      '--output-dir',
      dir,
      '--no-follow',
    ]);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(read(dir, 'sim', 'default', 'files-d', 'app.log')).toBe('in default\n');
    expect(read(dir, 'sim-shop', 'shop', 'files-s', 'app.log')).toBe('in shop\n');
  });

  it('a directory that cannot be written: one line, exit 1, before anything is followed', async () => {
    const notADir = join(root, 'a-file');
    writeFileSync(notADir, 'x');
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, 'web', '--output-dir', notADir]);
    expect([r.code, r.stdout, r.stderr]).toEqual([
      1,
      '',
      `ktail: cannot write to --output-dir ${notADir}: exists and is not a directory (EEXIST)\n`,
    ]);
  });

  it.skipIf(!existsSync('/dev/full'))('a full disk during the run is said on stderr and ends the run, exit 1', async () => {
    const ref = { pod: 'files-full', container: 'app' };
    fx.sim.createPod({ name: 'files-full', containers: [{ name: 'app' }] });
    const dir = freshDir();
    // the container's file is /dev/full, where every write fails with ENOSPC
    mkdirSync(join(dir, 'default', 'files-full'), { recursive: true });
    const file = join(dir, 'default', 'files-full', 'app.log');
    symlinkSync('/dev/full', file);
    const k = ktail(fx, ['files-full', '--output-dir', dir]);
    await k.waitFor((x) => x.stderr.includes('+ files-full › app'), 'the container followed');
    fx.sim.writeLines(ref, ['lost on the disk, shown on stdout']);
    const exit = await k.exited;
    expect(exit.code).toBe(1);
    expect(k.lines).toEqual(['files-full app lost on the disk, shown on stdout']);
    expect(k.notices(/^ktail: /)).toEqual([`ktail: cannot write ${file}: no space left on device (ENOSPC)`]);
  });

  it.each<[string[], string]>([
    [['-o', 'none'], 'ktail: -o none prints nothing: give --output-dir DIR for the files, or another -o\n'],
    [['--output-dir', ''], 'ktail: --output-dir needs a directory\n'],
  ])('%j: a usage error, exit 2', async (args, stderr) => {
    const r = await runKtail(['--kubeconfig', fx.kubeconfig, 'web', ...args]);
    expect([r.code, r.stdout, r.stderr]).toEqual([2, '', stderr]);
  });
});
