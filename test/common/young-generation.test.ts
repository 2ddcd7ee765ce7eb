/**
 * The young generation held at its cap: measured in a child process (the flag it sets is the
 * process's own), with a workload whose survivors make V8 grow the new space.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const MODULE = fileURLToPath(new URL('../../dist/common/young-generation.js', import.meta.url));
const MiB = 1024 * 1024;

/**
 * The new space's settled size under a workload shaped like reading streams: small tasks, each
 * allocating a little, with the last 20,000 objects alive (data waiting in paused streams). It is
 * the median of a sample after each of the last 500 tasks: Node 24 and later take pages past the
 * capacity for the length of one scavenge (up to 7.5 MiB at a 2 MiB cap), and one sample read
 * at the end can land on such a moment.
 */
function newSpaceAfterWork(hold: boolean): number {
  const script = `
    import { getHeapSpaceStatistics } from 'node:v8';
    const { holdYoungGeneration } = await import(${JSON.stringify(MODULE)});
    if (${String(hold)}) holdYoungGeneration(${2 * MiB});
    let keep = [];
    const sizes = [];
    for (let task = 0; task < 1_000; task++) {
      for (let i = 0; i < 2_000; i++) { keep.push({ i, a: [i] }); if (keep.length > 20_000) keep = []; }
      if (task >= 500) sizes.push(getHeapSpaceStatistics().find((s) => s.space_name === 'new_space').space_size);
      // the GC entries that the observer reads come between macrotasks, as between stream reads
      await new Promise((resolve) => setImmediate(resolve));
    }
    sizes.sort((a, b) => a - b);
    process.stdout.write(String(sizes[sizes.length >> 1]));
  `;
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  expect(r.stderr).toBe('');
  return Number(r.stdout);
}

describe('holdYoungGeneration', () => {
  it('stops the new space growing once it reaches the cap; without it the same work grows it past', () => {
    const free = newSpaceAfterWork(false);
    const held = newSpaceAfterWork(true);
    expect(free).toBeGreaterThan(4 * MiB);
    expect(held).toBeLessThanOrEqual(4 * MiB);
  });
});
