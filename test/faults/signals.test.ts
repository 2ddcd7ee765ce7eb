/**
 * Issue 4: ending. SIGINT → 130 and SIGTERM → 143 within a second, every complete line already
 * received written (no line lost, none cut in half, none repeated); `| head -1` → exit 0 at
 * once, without an EPIPE trace.
 */
import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { compareRange, expectSameSequence, numbered, seqs } from '../helpers/count.js';
import { sim, type SimFixture } from '../helpers/sim.js';
import { BIN, ktail } from '../helpers/spawn.js';
import { sleep } from '../helpers/wait.js';

describe.each([
  ['SIGINT', 130],
  ['SIGTERM', 143],
] as const)('%s', (signal, code) => {
  it(`exits ${code} within a second while lines stream in, with every complete line received written`, async () => {
    const fx = await sim();
    const pods = ['sig-a', 'sig-b'];
    for (const pod of pods) {
      fx.sim.createPod({ name: pod, containers: [{ name: 'app' }] });
      fx.sim.writeLines({ pod, container: 'app' }, numbered(pod, 2000));
    }
    const k = ktail(fx, ['^sig-']);
    await k.waitFor((x) => pods.every((p) => x.source(p, 'app').length >= 2000), 'the lines written before');
    // now a fast stream: the signal lands in the middle of it
    for (const pod of pods) fx.sim.generate({ pod, container: 'app' }, { count: 1_000_000, size: 200, ratePerSec: 20_000 });
    await k.waitFor((x) => pods.every((p) => x.source(p, 'app').length >= 4000), 'lines streaming');
    await sleep(300);
    const exit = await k.stop(signal);
    expect({ code: exit.code, signal: exit.signal }).toEqual({ code, signal: null });
    expect(exit.ms, 'ms from the signal to the exit').toBeLessThan(1000);
    // nothing cut in half: stdout ends with a whole line
    expect(k.partial).toBe('');
    for (const pod of pods) {
      const printed = k.source(pod, 'app');
      expectSameSequence(printed.slice(0, 2000), numbered(pod, 2000), `${pod} before`);
      // what was received of the stream is there, from its first line, with no gap or repeat
      const s = seqs(printed.slice(2000));
      expect(s.length).toBeGreaterThan(0);
      expect({ pod, ...compareRange(s, 0, s.length) }).toMatchObject({ pod, lost: 0, repeated: 0, outOfOrder: 0 });
      expect(printed.length).toBe(2000 + s.length);
    }
  });
});

it('SIGINT while the reader has stopped reading (a pager left open): exits 130 without waiting for it', async () => {
  const fx = await sim();
  fx.sim.createPod({ name: 'stuck', containers: [{ name: 'app' }] });
  fx.sim.generate({ pod: 'stuck', container: 'app' }, { count: 200_000, size: 500 });
  const k = ktail(fx, ['^stuck$']);
  await k.waitFor((x) => x.lineCount > 1000, 'the first lines');
  k.child.stdout.pause();
  await sleep(1500); // the pipe and ktail's output buffer fill up
  const exit = await k.stop('SIGINT');
  k.child.stdout.resume();
  expect(exit.code).toBe(130);
  // run.ts gives a stuck reader one second to take what was received
  expect(exit.ms, 'ms from the signal to the exit').toBeLessThan(1500);
  const s = seqs(k.source('stuck', 'app'));
  expect(compareRange(s, 0, s.length)).toMatchObject({ lost: 0, repeated: 0, outOfOrder: 0 });
});

/** `ktail … | head -1` in bash: ktail's exit status (PIPESTATUS), its stderr, what head printed, how long. */
async function headOne(
  fx: SimFixture,
  query: string,
  timeoutMs: number,
): Promise<{ status: string | undefined; stderr: string; stdout: string; ms: number }> {
  const script = `"${process.execPath}" "${BIN}" --kubeconfig "${fx.kubeconfig}" '${query}' | head -1; echo "ktail-exit=\${PIPESTATUS[0]}" >&2`;
  const t0 = Date.now();
  const sh = spawn('bash', ['-c', script], { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let stderr = '';
  let stdout = '';
  sh.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  sh.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  const closed = new Promise<void>((resolve) => sh.on('close', () => resolve()));
  const timer = setTimeout(() => {
    try {
      process.kill(-sh.pid!, 'SIGKILL'); // the whole pipeline, ktail included
    } catch {
      // already gone
    }
  }, timeoutMs);
  await closed;
  clearTimeout(timer);
  return { status: /ktail-exit=(\d+)/.exec(stderr)?.[1], stderr, stdout, ms: Date.now() - t0 };
}

describe('| head -1', () => {
  it('while lines stream fast from 3 containers: exit 0 at once, no EPIPE trace', async () => {
    const fx = await sim();
    for (const pod of ['hd-a', 'hd-b', 'hd-c']) {
      fx.sim.createPod({ name: pod, containers: [{ name: 'app' }] });
      fx.sim.generate({ pod, container: 'app' }, { count: 1_000_000, size: 100, ratePerSec: 20_000 });
    }
    const r = await headOne(fx, '^hd-', 10_000);
    expect(r.status, r.stderr).toBe('0');
    expect(r.stdout).toMatch(/^hd-[abc] app seq=\d{9} .*\n$/);
    expect(r.stderr).not.toMatch(/EPIPE|ERR_STREAM|^\s+at /m);
    expect(r.stderr.split('\n').filter((l) => l.startsWith('ktail:'))).toEqual([]);
    expect(r.ms).toBeLessThan(3000); // start-up included
  });

  // A closed pipe is seen only by a write (as by kubectl and stern): Linux reports no reader
  // loss to a writer that writes nothing. So a quiet source ends ktail with its next line.
  it('when the container goes quiet: exit 0 with its next line, which is not printed', async () => {
    const fx = await sim();
    fx.sim.createPod({ name: 'quiet', containers: [{ name: 'app' }] });
    fx.sim.writeLines({ pod: 'quiet', container: 'app' }, ['first', 'second']);
    const pending = headOne(fx, '^quiet$', 8000);
    await sleep(1500);
    const wroteAt = Date.now();
    fx.sim.writeLines({ pod: 'quiet', container: 'app' }, ['third']);
    const r = await pending;
    expect(r.stdout).toBe('quiet app first\n');
    expect(r.status, `ktail still running after ${r.ms} ms; stderr: ${r.stderr}`).toBe('0');
    expect(Date.now() - wroteAt).toBeLessThan(2000);
  });
});
