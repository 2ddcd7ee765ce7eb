/** `ktail --demo` has a past: --no-follow, --tail and --since show something on it, as on a real cluster. */
import { describe, expect, it } from 'vitest';
import { runKtail } from '../helpers/spawn.js';

const sources = (stdout: string): Map<string, number> => {
  const counts = new Map<string, number>();
  for (const line of stdout.split('\n').filter(Boolean)) {
    const key = line.split(' ').slice(0, 2).join(' ');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
};

describe('ktail --demo --no-follow', () => {
  it('prints the minutes of history of every pod, then exits 0', async () => {
    const r = await runKtail(['--demo', '--no-follow']);
    expect(r.code).toBe(0);
    const counts = sources(r.stdout);
    const web = [...counts].filter(([k]) => /^web-\S+ app$/.test(k));
    expect(web).toHaveLength(3);
    // five minutes at 1.5 lines a second: hundreds each
    for (const [, n] of web) expect(n).toBeGreaterThan(200);
    expect([...counts.keys()].some((k) => /^worker-\S+ worker$/.test(k))).toBe(true);
  });

  it('--tail 3: three lines per container', async () => {
    const r = await runKtail(['--demo', '--no-follow', '--tail', '3']);
    expect(r.code).toBe(0);
    const counts = sources(r.stdout);
    expect(counts.size).toBeGreaterThanOrEqual(8);
    for (const [key, n] of counts) if (!key.startsWith('payments-')) expect(n, key).toBe(3);
  });

  it('--since 1m: only the last minute, by the log timestamps', async () => {
    const started = Date.now();
    const r = await runKtail(['--demo', '--no-follow', '--since', '1m', '-t', '-o', 'raw']);
    expect(r.code).toBe(0);
    const stamps = r.stdout
      .split('\n')
      .filter(Boolean)
      .map((l) => Date.parse(l.slice(0, l.indexOf(' '))));
    expect(stamps.length).toBeGreaterThan(50);
    for (const t of stamps) expect(t).toBeGreaterThanOrEqual(started - 61_000);
    // and the history went further back than that
    const all = await runKtail(['--demo', '--no-follow', '-t', '-o', 'raw']);
    expect(
      Math.min(
        ...all.stdout
          .split('\n')
          .filter(Boolean)
          .map((l) => Date.parse(l.slice(0, l.indexOf(' ')))),
      ),
    ).toBeLessThan(started - 4 * 60_000);
  });
});
