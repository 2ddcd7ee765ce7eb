/** --output-dir in process: a file's pressure pauses its source; files close when their sources end. */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Target } from '../../src/follow/targets.js';
import { ContainerFiles } from '../../src/output/files.js';
import { until } from '../helpers/wait.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function target(containerId: string, restartCount = 0): Target {
  return {
    key: `ctx/default/web-1/app/${containerId}`,
    podKey: 'ctx/default/web-1',
    context: 'ctx',
    namespace: 'default',
    pod: 'web-1',
    container: 'app',
    containerId,
    kind: 'container',
    nodeName: 'n1',
    restartCount,
    phase: 'running',
  };
}

function setup(timestamps: 'default' | false = false) {
  const dir = mkdtempSync(join(tmpdir(), 'ktail-files-'));
  dirs.push(dir);
  const failures: string[] = [];
  const files = new ContainerFiles({ dir, byContext: false, timestamps, zone: undefined }, (t) => failures.push(t));
  return { files, failures, path: join(dir, 'default', 'web-1', 'app.log') };
}

/** one kubelet line, `TIMESTAMP MESSAGE`, to a writer */
const line = (ts: string, msg: string) => {
  const buf = Buffer.from(`${ts} ${msg}`);
  return [buf, 0, ts.length, ts.length + 1, buf.length] as const;
};

describe('ContainerFiles', () => {
  it('a file that does not keep up is saturated, and says when it has drained; every line lands, in order', async () => {
    const { files, failures, path } = setup();
    const file = files.openFor(target('c1'));
    const msg = 'x'.repeat(1000);
    for (let i = 0; i < 1000; i++) file.writer(...line('2026-11-30T00:00:00Z', `${i} ${msg}`));
    // a million bytes handed over in one tick: far past the file's 256 KiB
    expect(file.pressure.saturated).toBe(true);
    await new Promise<void>((resolve) => file.pressure.whenDrained(resolve));
    expect(file.pressure.saturated).toBe(false);
    await files.drainAll();
    const got = readFileSync(path, 'utf8').split('\n');
    expect(got).toHaveLength(1001);
    expect(got.slice(0, 1000).map((l) => Number(l.split(' ')[0]))).toEqual(Array.from({ length: 1000 }, (_, i) => i));
    expect(failures).toEqual([]);
  });

  it('two instances of a container share the file; it closes when the last of them ends', async () => {
    const { files, path } = setup('default');
    const old = files.openFor(target('c1'));
    const fresh = files.openFor(target('c2', 1));
    expect(files.openCount).toBe(1);
    old.writer(...line('2026-11-30T00:00:01Z', 'old'));
    fresh.writer(...line('2026-11-30T00:00:02Z', 'new'));
    fresh.writer(...line('2026-11-30T00:00:03Z', 'new again'));
    old.close();
    expect(files.openCount).toBe(1);
    fresh.close();
    await until(() => files.openCount === 0, 'the file closed');
    expect(readFileSync(path, 'utf8')).toBe(
      '2026-11-30T00:00:01Z old\n' +
        '2026-11-30T00:00:02Z ktail: new instance of web-1/app (restart 1, c2)\n' +
        '2026-11-30T00:00:02Z new\n' +
        '2026-11-30T00:00:03Z new again\n',
    );
  });
});
